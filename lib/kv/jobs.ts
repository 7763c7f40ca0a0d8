/**
 * Background jobs (workflow runs). A job record, its by-session index, an
 * "active" marker and the queue message are written in one commit, so a job
 * is never queued without a record nor recorded without being queued. A
 * runner claims a job with a versionstamp check and keeps a heartbeat while
 * it works; a job whose heartbeat went stale (its process died) can be
 * claimed again, and one that keeps dying is marked failed. The active
 * marker goes when the job ends, so start-up only scans unfinished jobs.
 */
import { keys } from "./keys.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { retryCommit } from "./commit.ts";
import { getMany } from "./batch.ts";
import { newId } from "../ids.ts";

export type JobStatus = "queued" | "running" | "completed" | "failed";

/** The queue message that asks a process to run a job. */
export interface JobMessage {
  type: "workflow_job";
  jobId: string;
}

/** Returns whether a queue message asks for a workflow job. */
export function isJobMessage(value: unknown): value is JobMessage {
  return typeof value === "object" && value !== null &&
    (value as JobMessage).type === "workflow_job" &&
    typeof (value as JobMessage).jobId === "string";
}

/** One step's output, as recorded on the job. */
export interface JobOutput {
  step: number;
  operation: string;
  datasetId: string;
  name: string;
  rows: number;
  /** The format its download link gives (csv unless a convert step chose one). */
  format: string;
  /** A stored file of the output with a signed link (the last step's, and convert steps'). */
  file: { url: string; filename: string; mime: string; size: number } | null;
}

export interface JobFailure {
  step: number | null;
  code: string;
  message: string;
}

export interface Job<Request = unknown> extends Expiring {
  id: string;
  type: "workflow";
  sessionId: string;
  ownerId: string;
  status: JobStatus;
  request: Request;
  /** Public origin for the URLs in events, from the request that started the job. */
  origin: string;
  outputs: JobOutput[];
  /** Claims so far; the first run is attempt 1. */
  attempts: number;
  runner: string | null;
  heartbeatAt: number | null;
  error: JobFailure | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface NewJob<Request> {
  sessionId: string;
  ownerId: string;
  request: Request;
  origin: string;
  ttlMs: number;
}

/** Creates a queued job and enqueues it, in one commit; returns the record. */
export async function createJob<Request>(
  kv: Deno.Kv,
  input: NewJob<Request>,
): Promise<Job<Request>> {
  const now = Date.now();
  const job: Job<Request> = {
    id: newId(),
    type: "workflow",
    sessionId: input.sessionId,
    ownerId: input.ownerId,
    status: "queued",
    request: input.request,
    origin: input.origin,
    outputs: [],
    attempts: 0,
    runner: null,
    heartbeatAt: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    expiresAt: now + input.ttlMs,
  };
  const expireIn = input.ttlMs;
  const message: JobMessage = { type: "workflow_job", jobId: job.id };
  const result = await kv.atomic()
    .check({ key: keys.job(job.id), versionstamp: null })
    .set(keys.job(job.id), job, { expireIn })
    .set(keys.jobBySession(job.sessionId, job.id), job.id, { expireIn })
    .set(keys.jobActive(job.id), job.id, { expireIn })
    .enqueue(message)
    .commit();
  if (!result.ok) throw new Error("job id collision");
  return job;
}

/** Returns the job, or null when absent or expired. */
export async function getJob<Request = unknown>(
  kv: Deno.Kv,
  jobId: string,
): Promise<Job<Request> | null> {
  return liveValue(await kv.get<Job<Request>>(keys.job(jobId)));
}

/** Returns the job when `ownerId` owns it, else null (the caller answers 404). */
export async function getOwnedJob<Request = unknown>(
  kv: Deno.Kv,
  jobId: string,
  ownerId: string,
): Promise<Job<Request> | null> {
  const job = await getJob<Request>(kv, jobId);
  return job && job.ownerId === ownerId ? job : null;
}

/** Lists a session's jobs, newest first. */
export async function listSessionJobs(
  kv: Deno.Kv,
  sessionId: string,
  limit = 50,
): Promise<Job[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({
      prefix: keys.jobsBySessionPrefix(sessionId),
    }, { reverse: true, limit })
  ) ids.push(entry.value);
  const now = Date.now();
  return (await getMany<Job>(kv, ids.map((id) => keys.job(id))))
    .map((e) => liveValue(e, now))
    .filter((j): j is Job => j !== null);
}

/**
 * Applies `change` to a job with a versionstamp check, retrying on races;
 * returns the new record, or null when the job is gone or `change` declines
 * (returns null). A job that reaches completed or failed loses its active marker.
 */
export function updateJob<Request>(
  kv: Deno.Kv,
  jobId: string,
  change: (job: Job<Request>) => Partial<Job<Request>> | null,
): Promise<Job<Request> | null> {
  return retryCommit("job update", async () => {
    const entry = await kv.get<Job<Request>>(keys.job(jobId));
    const current = liveValue(entry);
    if (!current) return { value: null };
    const patch = change(current);
    if (!patch) return { value: null };
    const now = Date.now();
    const next: Job<Request> = { ...current, ...patch, updatedAt: now };
    const expireIn = expireInFor(next.expiresAt, now);
    const op = kv.atomic().check(entry).set(keys.job(jobId), next, {
      expireIn,
    });
    if (next.status === "completed" || next.status === "failed") {
      op.delete(keys.jobActive(jobId));
    }
    const result = await op.commit();
    return result.ok ? { value: next } : null;
  }).then((r) => r.value);
}

/**
 * Claims a job for `runner`: a queued job, or a running one whose heartbeat
 * is older than `leaseMs` (its runner died). Returns the claimed record, or
 * null when the job is finished, gone, or held by a live runner.
 */
export function claimJob<Request>(
  kv: Deno.Kv,
  jobId: string,
  runner: string,
  leaseMs: number,
  now = Date.now(),
): Promise<Job<Request> | null> {
  return updateJob<Request>(kv, jobId, (job) => {
    const stale = job.status === "running" &&
      (job.heartbeatAt ?? 0) < now - leaseMs;
    if (job.status !== "queued" && !stale) return null;
    return {
      status: "running",
      runner,
      heartbeatAt: Date.now(),
      attempts: job.attempts + 1,
    };
  });
}

/** Lists the ids of jobs that are queued or running. */
export async function listActiveJobIds(kv: Deno.Kv): Promise<string[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({ prefix: keys.jobsActivePrefix() })
  ) ids.push(entry.value);
  return ids;
}

/** Deletes every job of a session with its index and marker; safe to run more than once. */
export async function deleteSessionJobs(
  kv: Deno.Kv,
  sessionId: string,
): Promise<void> {
  for await (
    const entry of kv.list<string>({
      prefix: keys.jobsBySessionPrefix(sessionId),
    })
  ) {
    await kv.atomic()
      .delete(keys.job(entry.value))
      .delete(keys.jobActive(entry.value))
      .delete(entry.key)
      .commit();
  }
}
