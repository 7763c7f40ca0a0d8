/**
 * Deleting a session and everything it owns. The session disappears for readers
 * in one commit that also leaves a marker and enqueues a job; the sweep of its
 * records is idempotent, so the queue (or the start-up scan) finishes a delete
 * that was interrupted.
 */
import { keys, sessionScopedPrefixes } from "./keys.ts";
import { deleteByPrefix } from "./batch.ts";
import { deleteBlob } from "./blobs.ts";
import { type Artifact, deleteArtifact } from "./artifacts.ts";
import type { Session } from "./sessions.ts";
import { deleteSessionDatasets } from "./datasets.ts";
import { deleteSessionJobs } from "./jobs.ts";
import { log } from "../log.ts";

export interface DeleteSessionJob {
  type: "delete_session";
  sessionId: string;
  ownerId: string;
}

/** Returns whether a queue message is a session-delete job. */
export function isDeleteSessionJob(value: unknown): value is DeleteSessionJob {
  return typeof value === "object" && value !== null &&
    (value as DeleteSessionJob).type === "delete_session" &&
    typeof (value as DeleteSessionJob).sessionId === "string";
}

/**
 * Deletes a session: it is gone for readers when this returns. The sweep of
 * its records runs now and, should it be interrupted, again from the queue.
 */
export async function deleteSession(
  kv: Deno.Kv,
  session: Session,
): Promise<void> {
  const job: DeleteSessionJob = {
    type: "delete_session",
    sessionId: session.id,
    ownerId: session.ownerId,
  };
  await kv.atomic()
    .set(keys.sessionDeleting(session.id), job)
    .delete(keys.session(session.id))
    .delete(keys.sessionByOwner(session.ownerId, session.id))
    .enqueue(job, { delay: 60_000 })
    .commit();
  await finishSessionDelete(kv, job);
}

/** Removes every record of a deleted session; safe to run more than once. */
export async function finishSessionDelete(
  kv: Deno.Kv,
  job: DeleteSessionJob,
): Promise<void> {
  const { sessionId } = job;
  for await (
    const entry of kv.list<string>({
      prefix: keys.artifactsBySessionPrefix(sessionId),
    })
  ) {
    const artifact = (await kv.get<Artifact>(keys.artifact(entry.value))).value;
    if (artifact) await deleteArtifact(kv, artifact);
    else await kv.delete(entry.key);
  }
  await deleteSessionDatasets(kv, sessionId);
  await deleteSessionJobs(kv, sessionId);
  for await (
    const entry of kv.list<string>({
      prefix: keys.blobsBySessionPrefix(sessionId),
    })
  ) {
    await deleteBlob(kv, entry.value);
    await kv.delete(entry.key);
  }
  for (const prefix of sessionScopedPrefixes(sessionId)) {
    await deleteByPrefix(kv, prefix);
  }
  await kv.atomic()
    .delete(keys.eventSeq(sessionId))
    .delete(keys.session(sessionId))
    .delete(keys.sessionByOwner(job.ownerId, sessionId))
    .delete(keys.sessionDeleting(sessionId))
    .commit();
  log.info("session deleted", { session_id: sessionId });
}

/** Finishes every session delete that an earlier process left unfinished. */
export async function resumeSessionDeletes(kv: Deno.Kv): Promise<number> {
  let count = 0;
  for await (
    const entry of kv.list<DeleteSessionJob>({
      prefix: keys.sessionsDeletingPrefix(),
    })
  ) {
    await finishSessionDelete(kv, entry.value);
    count++;
  }
  return count;
}
