/**
 * Background jobs (workflow runs, session deletes): a record per job and a
 * lease (`lib/kv/lease.ts`, kind "job") that says which instance runs it.
 * The record and the lease are created in one commit, held by the instance
 * that accepted the request; every later change of the record is committed
 * under that lease, so an instance that lost it (it stalled, another took the
 * job over) writes nothing more. The lease goes when the job ends, so the
 * leases of kind "job" are exactly the unfinished jobs.
 */
import { keys } from "./keys.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { getMany } from "./batch.ts";
import {
  acquireLease,
  type AddOps,
  commitUnderLease,
  type Lease,
  type LeaseEntry,
  releaseLease,
} from "./lease.ts";
import { newId } from "@/lib/ids.ts";

/** The lease kind of jobs. */
export const JOB_LEASE = "job";

export type JobType = "workflow" | "session_delete";
export type JobStatus = "queued" | "running" | "completed" | "failed";

/** One step's output, as recorded on a workflow job. */
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
  type: JobType;
  sessionId: string;
  ownerId: string;
  status: JobStatus;
  request: Request;
  /** Public origin for the URLs in events, from the request that started the job. */
  origin: string;
  outputs: JobOutput[];
  /** Claims so far; the first run is attempt 1. */
  attempts: number;
  /** The instance running it now, if any. */
  runner: string | null;
  /** The failure that ended it, or the last crash of an attempt that is retried. */
  error: JobFailure | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface NewJob<Request> {
  type: JobType;
  sessionId: string;
  ownerId: string;
  request: Request;
  origin: string;
  ttlMs: number;
  /** Listed among the session's jobs (workflows are; a session's own delete is not). */
  listed: boolean;
}

/** The payload of a job's lease: enough to find the job from the lease alone. */
export interface JobLeaseData {
  type: JobType;
}

/** Thrown when a job's lease was taken over or the job is gone: stop, write nothing. */
export class JobLost extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is no longer this instance's`);
  }
}

/**
 * Creates a queued job and its lease, held by `owner`, in one commit (with
 * whatever `also` adds); returns both.
 */
export async function createJob<Request>(
  kv: Deno.Kv,
  input: NewJob<Request>,
  claim: { owner: string; leaseMs: number; also?: AddOps },
): Promise<{ job: Job<Request>; lease: LeaseEntry<JobLeaseData> }> {
  const now = Date.now();
  const job: Job<Request> = {
    id: newId(),
    type: input.type,
    sessionId: input.sessionId,
    ownerId: input.ownerId,
    status: "queued",
    request: input.request,
    origin: input.origin,
    outputs: [],
    attempts: 0,
    runner: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    expiresAt: now + input.ttlMs,
  };
  const expireIn = input.ttlMs;
  const lease = await acquireLease<JobLeaseData>(kv, JOB_LEASE, job.id, {
    owner: claim.owner,
    ttlMs: claim.leaseMs,
    data: { type: job.type },
    now,
    also: async (op) => {
      op.check({ key: keys.job(job.id), versionstamp: null })
        .set(keys.job(job.id), job, { expireIn });
      if (input.listed) {
        op.set(keys.jobBySession(job.sessionId, job.id), job.id, { expireIn });
      }
      await claim.also?.(op);
    },
  });
  if (!lease) throw new Error(`job ${job.id}: could not be created`);
  return { job, lease };
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

/** Lists a session's listed jobs (its workflows, of request type `Request`), newest first. */
export async function listSessionJobs<Request = unknown>(
  kv: Deno.Kv,
  sessionId: string,
  limit = 50,
): Promise<Job<Request>[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({
      prefix: keys.jobsBySessionPrefix(sessionId),
    }, { reverse: true, limit })
  ) ids.push(entry.value);
  const now = Date.now();
  return (await getMany<Job<Request>>(kv, ids.map((id) => keys.job(id))))
    .map((e) => liveValue(e, now))
    .filter((j): j is Job<Request> => j !== null);
}

function nextRecord<Request>(
  job: Job<Request>,
  patch: Partial<Job<Request>>,
  op: Deno.AtomicOperation,
): Job<Request> {
  const now = Date.now();
  const next: Job<Request> = { ...job, ...patch, updatedAt: now };
  op.set(keys.job(job.id), next, {
    expireIn: expireInFor(next.expiresAt, now),
  });
  return next;
}

/**
 * Applies `change` to the job under its lease `held` (extending the lease by
 * `leaseMs`); returns the new record. Throws JobLost when the lease is no
 * longer this claim or the job is gone.
 */
export async function updateJob<Request>(
  kv: Deno.Kv,
  held: Lease<JobLeaseData>,
  leaseMs: number,
  change: (job: Job<Request>) => Partial<Job<Request>>,
  also?: AddOps,
): Promise<Job<Request>> {
  const done = await commitUnderLease(kv, held, leaseMs, async (op) => {
    const job = await getJob<Request>(kv, held.id);
    if (!job) return { gone: true as const };
    const next = nextRecord(job, change(job), op);
    await also?.(op);
    return { gone: false as const, job: next };
  });
  if (!done || done.value.gone) throw new JobLost(held.id);
  return done.value.job;
}

/**
 * Ends this claim of a job: with `handBack` the lease is left lapsed after
 * `delayMs` for any instance to take (the job is not done), else it is deleted
 * (the job completed or failed). The record gets `patch` (or, with `remove`,
 * is deleted), and `also` adds to the same commit. Returns the final record;
 * throws JobLost when the claim was no longer this one.
 */
export async function releaseJob<Request>(
  kv: Deno.Kv,
  held: Lease<JobLeaseData>,
  patch: Partial<Job<Request>>,
  options: {
    handBack?: boolean;
    delayMs?: number;
    also?: AddOps;
    /** Delete the record (and its index) instead of keeping it: nothing is left of the job. */
    remove?: boolean;
  } = {},
): Promise<Job<Request>> {
  let next = null as Job<Request> | null;
  const released = await releaseLease(kv, held, {
    handBack: options.handBack,
    delayMs: options.delayMs,
    also: async (op) => {
      const job = await getJob<Request>(kv, held.id);
      if (job && options.remove) {
        op.delete(keys.job(job.id))
          .delete(keys.jobBySession(job.sessionId, job.id));
        next = { ...job, ...patch };
      } else next = job ? nextRecord(job, patch, op) : null;
      if (job) await options.also?.(op);
    },
  });
  if (!released || !next) throw new JobLost(held.id);
  return next;
}

/** Deletes every listed job of a session with its lease and index; safe to run more than once. */
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
      .delete(keys.lease(JOB_LEASE, entry.value))
      .delete(entry.key)
      .commit();
  }
}
