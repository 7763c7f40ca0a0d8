/**
 * Runs background jobs on this instance, with no queue: the instance that
 * accepts a request creates the job holding its lease and starts it at once
 * (`start`); any instance takes over a job whose lease lapsed because its
 * runner died or stalled (`claimLapsed`, called on requests, from Deno.cron
 * and from an optional timer). A lease is renewed while the job runs and every
 * write is fenced by it, so a job never runs in two places at once. A job that
 * crashes is retried by whichever instance claims it next; the claim after
 * `maxAttempts` fails it with the last error (or "interrupted").
 */
import { failsForGood } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import {
  type AddOps,
  checkLease,
  claimLease,
  keepLease,
  type Lease,
  listLapsedLeases,
  releaseLease,
} from "@/lib/kv/lease.ts";
import {
  createJob,
  getJob,
  type Job,
  JOB_LEASE,
  type JobFailure,
  type JobLeaseData,
  JobLost,
  type JobType,
  type NewJob,
  releaseJob,
  updateJob,
} from "@/lib/kv/jobs.ts";

/** What a running job can do; every write is fenced by the job's lease. */
export interface JobContext<Request = unknown> {
  /** The record as this claim found it: status running, attempts counted. */
  readonly job: Job<Request>;
  /** Aborted when the lease is lost or this instance shuts down: stop then. */
  readonly signal: AbortSignal;
  /** Changes the record; throws JobLost once the job is not this instance's. */
  update(
    change: (job: Job<Request>) => Partial<Job<Request>>,
    also?: AddOps,
  ): Promise<Job<Request>>;
  /**
   * Adds to a commit of the job's own (an output it stores) a check that the
   * job is still this instance's; throws JobLost when it is not.
   */
  guard(op: Deno.AtomicOperation): Promise<void>;
  /** Marks the job completed and ends its lease, with `also` in the same commit. */
  complete(
    patch?: Partial<Job<Request>>,
    also?: AddOps,
  ): Promise<Job<Request>>;
}

/** The code of one type of job. */
export interface JobKind<Request = unknown> {
  /** Does the work; resumes from the record when `job.attempts` > 1. */
  run(ctx: JobContext<Request>): Promise<void>;
  /** Leave nothing of a completed job (a session's delete, which must not keep its ids). */
  forgetWhenDone?: boolean;
  /** Adds what a failure also writes (e.g. its event) to the commit that fails the job. */
  failed?(
    job: Job<Request>,
    failure: JobFailure,
    op: Deno.AtomicOperation,
  ): Promise<void>;
}

/** Thrown by a job kind for a failure that retrying cannot fix (bad input). */
export class JobFailed extends Error {
  constructor(readonly failure: JobFailure) {
    super(failure.message);
  }
}

/** Thrown by a job kind that stopped because its `signal` aborted. */
export class JobInterrupted extends Error {
  constructor() {
    super("the job was interrupted");
  }
}

export interface JobRunnerOptions {
  kv: Deno.Kv;
  /** Identifies this instance in leases and logs. */
  instanceId?: string;
  /** A runner that has not renewed its lease for this long is presumed dead. */
  leaseMs: number;
  /** Claims after which a job that keeps crashing or dying is failed. */
  maxAttempts: number;
  // deno-lint-ignore no-explicit-any
  kinds: Partial<Record<JobType, JobKind<any>>>;
  /** Wait before a crashed attempt may be claimed again. */
  retryDelayMs?: (attempt: number) => number;
}

export interface JobRunner {
  readonly instanceId: string;
  /**
   * Creates a job held by this instance (with `also` in the same commit) and
   * starts it; `done` resolves with the final record, or null when the job
   * was handed to another instance.
   */
  start<Request>(
    input: NewJob<Request>,
    also?: AddOps,
  ): Promise<{ job: Job<Request>; done: Promise<Job<Request> | null> }>;
  /** Takes over jobs whose lease lapsed and starts them; returns how many. */
  claimLapsed(options?: { scan?: number }): Promise<number>;
  /** Stops: running jobs are handed back (lapsed, for any instance) and awaited. */
  close(): Promise<void>;
}

const interrupted = (attempts: number): JobFailure => ({
  step: null,
  code: "interrupted",
  message:
    `it was interrupted ${attempts} times (the server running it stopped) and was given up`,
});

const crashed: JobFailure = {
  step: null,
  code: "internal",
  message: "it failed on our side; please try again",
};

/** Returns this instance's job runner. */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { kv, leaseMs, maxAttempts, kinds } = options;
  const instanceId = options.instanceId ?? crypto.randomUUID();
  const retryDelay = options.retryDelayMs ?? ((n: number) => 1000 * n);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  async function fail(
    held: Lease<JobLeaseData>,
    job: Job,
    failure: JobFailure,
  ): Promise<Job> {
    const kind = kinds[job.type];
    return await releaseJob(kv, held, {
      status: "failed",
      error: failure,
      runner: null,
      finishedAt: Date.now(),
    }, { also: (op) => kind?.failed?.(job, failure, op) });
  }

  async function execute(held: Lease<JobLeaseData>): Promise<Job | null> {
    const stored = await getJob(kv, held.id);
    if (
      !stored || stored.status === "completed" || stored.status === "failed"
    ) {
      await releaseLease(kv, held);
      return stored;
    }
    const kind = kinds[stored.type];
    if (!kind) {
      return await fail(held, stored, {
        step: null,
        code: "unknown_job",
        message: `no runner for jobs of type ${stored.type}`,
      });
    }
    if (held.attempts > maxAttempts) {
      log.warn("job given up", { job_id: held.id, attempts: held.attempts });
      return await fail(
        held,
        stored,
        stored.error ?? interrupted(held.attempts - 1),
      );
    }
    const job = await updateJob(kv, held, leaseMs, () => ({
      status: "running",
      runner: instanceId,
      attempts: held.attempts,
    }));
    const kept = keepLease(kv, held, leaseMs, {
      onError: (error) =>
        log.warn("job lease renewal failed", { job_id: held.id, error }),
    });
    const signal = AbortSignal.any([kept.signal, stopping.signal]);
    let completed = null as Job | null;
    try {
      await kind.run({
        job,
        signal,
        update: (change, also) => updateJob(kv, held, leaseMs, change, also),
        guard: async (op) => {
          if (!await checkLease(kv, held, op)) throw new JobLost(held.id);
        },
        complete: async (patch = {}, also) =>
          completed = await releaseJob(kv, held, {
            status: "completed",
            runner: null,
            finishedAt: Date.now(),
            ...patch,
          }, { also, remove: kind.forgetWhenDone }),
      });
      return completed ?? await releaseJob(kv, held, {
        status: "completed",
        runner: null,
        finishedAt: Date.now(),
      }, { remove: kind.forgetWhenDone });
    } catch (error) {
      if (error instanceof JobLost || kept.signal.aborted) {
        log.info("job taken over", { job_id: held.id });
        return null;
      }
      if (stopping.signal.aborted) {
        // Shutting down: leave it lapsed at once, for another instance.
        await releaseJob(kv, held, { status: "queued", runner: null }, {
          handBack: true,
        }).catch(() => {});
        log.info("job handed back", { job_id: held.id });
        return null;
      }
      if (error instanceof JobFailed) {
        return await fail(held, job, error.failure);
      }
      if (failsForGood(error)) {
        return await fail(held, job, {
          step: null,
          code: error.code,
          message: error.message,
        });
      }
      log.error("job crashed", {
        job_id: held.id,
        attempt: held.attempts,
        error,
      });
      if (held.attempts >= maxAttempts) return await fail(held, job, crashed);
      await releaseJob(kv, held, {
        status: "queued",
        runner: null,
        error: crashed,
      }, { handBack: true, delayMs: retryDelay(held.attempts) });
      return null;
    } finally {
      kept.stop();
    }
  }

  /** Runs a claimed job; resolves with its final record or null, never rejects. */
  const launch = <Request>(held: Lease<JobLeaseData>) =>
    track(
      execute(held).catch((error) => {
        if (!(error instanceof JobLost)) {
          log.error("job runner failed", { job_id: held.id, error });
        }
        return null;
      }),
    ) as Promise<Job<Request> | null>;

  return {
    instanceId,
    async start(input, also) {
      const { job, lease } = await createJob(kv, input, {
        owner: instanceId,
        leaseMs,
        also,
      });
      if (stopping.signal.aborted) {
        await releaseLease(kv, lease.lease, { handBack: true });
        return { job, done: Promise.resolve(null) };
      }
      return { job, done: launch(lease.lease) };
    },
    async claimLapsed({ scan } = {}) {
      if (stopping.signal.aborted) return 0;
      let count = 0;
      for (
        const found of await listLapsedLeases<JobLeaseData>(kv, JOB_LEASE, {
          scan,
        })
      ) {
        if (stopping.signal.aborted) break;
        const claimed = await claimLease(kv, found, {
          owner: instanceId,
          ttlMs: leaseMs,
        });
        if (!claimed) continue;
        count++;
        launch(claimed.lease);
      }
      return count;
    },
    async close() {
      stopping.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
