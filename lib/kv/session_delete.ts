/**
 * Deleting a session and everything it owns. One commit hides the session
 * from readers and creates a `session_delete` job (`lib/jobs/runner.ts`) held
 * by this instance, which sweeps the session's records at once. The sweep is
 * idempotent, so when it is interrupted (the process dies) whichever instance
 * claims the job's lapsed lease finishes it.
 */
import { keys, sessionScopedPrefixes } from "./keys.ts";
import { deleteByPrefix } from "./batch.ts";
import { deleteBlob } from "./blobs.ts";
import { type Artifact, deleteArtifact } from "./artifacts.ts";
import type { Session } from "./sessions.ts";
import { deleteSessionDatasets } from "./datasets.ts";
import { deleteSessionJobs, type Job } from "./jobs.ts";
import { deleteSessionShares } from "./shares.ts";
import type { JobKind, JobRunner } from "@/lib/jobs/runner.ts";
import { log } from "@/lib/log.ts";

/** What a session-delete job needs: the session and its owner. */
export interface DeleteSessionRequest {
  sessionId: string;
  ownerId: string;
}

/** How long the record of a delete that keeps failing is kept (a finished one is removed). */
const DELETE_RECORD_TTL_MS = 24 * 3600_000;

/**
 * Deletes a session: it is gone for readers when the first commit is made,
 * and the sweep of its records has finished (here or, after an interruption,
 * on another instance) when the returned promise resolves.
 */
export async function deleteSession(
  jobs: JobRunner,
  session: Session,
): Promise<Job | null> {
  const { done } = await jobs.start<DeleteSessionRequest>({
    type: "session_delete",
    sessionId: session.id,
    ownerId: session.ownerId,
    request: { sessionId: session.id, ownerId: session.ownerId },
    origin: "",
    ttlMs: DELETE_RECORD_TTL_MS,
    listed: false,
  }, (op) => {
    op.delete(keys.session(session.id))
      .delete(keys.sessionByOwner(session.ownerId, session.id));
  });
  return await done;
}

/** Returns the session-delete job kind: the idempotent sweep of a session's records. */
export function sessionDeleteJobKind(
  kv: Deno.Kv,
): JobKind<DeleteSessionRequest> {
  return {
    async run({ job }) {
      await finishSessionDelete(kv, job.request);
    },
    forgetWhenDone: true,
  };
}

/** Removes every record of a deleted session; safe to run more than once. */
export async function finishSessionDelete(
  kv: Deno.Kv,
  request: DeleteSessionRequest,
): Promise<void> {
  const { sessionId } = request;
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
  await deleteSessionShares(kv, sessionId);
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
    .delete(keys.sessionByOwner(request.ownerId, sessionId))
    .commit();
  log.info("session deleted", { session_id: sessionId });
}
