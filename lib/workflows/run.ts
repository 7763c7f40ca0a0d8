/**
 * Running workflows as jobs. `startWorkflow` checks the request against the
 * session's datasets and creates a queued job (record + queue message in one
 * commit). `runWorkflowJob` claims a job, runs its steps in order (each
 * step's output is stored as a dataset and becomes the next step's input),
 * reports `workflow_started`, `progress`, `workflow_completed` or
 * `workflow_failed` on the session's event log, and records each finished
 * step on the job, so a job interrupted by a restart resumes at the step it
 * was in. A runner's `resume` (start-up, then periodically) picks up jobs whose
 * runner went away; a job that keeps being interrupted is failed.
 */
import { appendEvent, type EventType } from "../kv/events.ts";
import {
  claimJob,
  createJob,
  getJob,
  type Job,
  type JobFailure,
  type JobOutput,
  listActiveJobIds,
  updateJob,
} from "../kv/jobs.ts";
import {
  type Dataset,
  getDataset,
  listSessionDatasets,
  readDatasetDetail,
  saveDerivedDataset,
  storedSourceOf,
  typedBatches,
} from "../kv/datasets.ts";
import { writeBlob } from "../kv/blobs.ts";
import type { Session } from "../kv/sessions.ts";
import { signedDownloadPath } from "../http/links.ts";
import { HttpError } from "../errors.ts";
import { unreadable } from "../data/errors.ts";
import { EXPORT_MIME, exportDataset, exportFilename } from "../data/export.ts";
import type { RawCell } from "../data/infer.ts";
import { log } from "../log.ts";
import { runStep, type StepSource } from "./operations.ts";
import { runSandboxedSql } from "../data/sandbox.ts";
import type { StoredSource } from "../data/query.ts";
import { acquireSqlSlot } from "../kv/sql_slots.ts";
import type { Step, WorkflowRequest } from "./schema.ts";

export type WorkflowJob = Job<WorkflowRequest>;

export interface WorkflowDeps {
  kv: Deno.Kv;
  signingKey: CryptoKey;
  /** How long output datasets and events live. */
  datasetTtlMs: number;
  /** How long output files and their signed links live. */
  downloadTtlMs: number;
  maxRows: number;
  sqlTimeoutMs: number;
  /** Memory one user statement may use (SQL_MEMORY); default 256 MB. */
  sqlMemoryBytes?: number;
  /** User statements one identity may run at once (SQL_CONCURRENCY); default 2. */
  sqlConcurrency?: number;
  /** Identifies this process in job claims. */
  runnerId: string;
  /** A running job's heartbeat older than this means its runner died. */
  leaseMs?: number;
  /** Aborted at shutdown: the step stops and the job is left for the next start. */
  signal?: AbortSignal;
  /** Runs before each step (tests use it to stop a job in the middle). */
  beforeStep?: (job: WorkflowJob, step: number) => Promise<void> | void;
}

/** How long a runner may go without a heartbeat before its job is taken over. */
export const JOB_LEASE_MS = 30_000;
/** Claims after which an interrupted job is failed rather than resumed. */
export const MAX_ATTEMPTS = 3;
const HEARTBEAT_MS = 5_000;
const PROGRESS_EVERY_MS = 250;

class Interrupted extends Error {}

async function findInSession(
  kv: Deno.Kv,
  sessionId: string,
  ref: string,
): Promise<Dataset | null> {
  const byId = await getDataset(kv, ref);
  if (byId) return byId.sessionId === sessionId ? byId : null;
  const all = await listSessionDatasets(kv, sessionId);
  const lower = ref.toLowerCase();
  return all.findLast((d) => d.name === ref) ??
    all.findLast((d) => d.name.toLowerCase() === lower) ??
    all.findLast((d) => (d.filename ?? "").toLowerCase() === lower) ??
    null;
}

/**
 * Checks a workflow request against the session (the input and every joined
 * dataset must be its own) and creates a queued job; returns the job.
 */
export async function startWorkflow(
  kv: Deno.Kv,
  input: {
    session: Session;
    request: WorkflowRequest;
    origin: string;
    ttlMs: number;
  },
): Promise<WorkflowJob> {
  const { session } = input;
  const dataset = await findInSession(kv, session.id, input.request.input);
  if (!dataset) {
    throw unreadable(
      "unknown_dataset",
      `this session has no dataset "${input.request.input}"`,
    );
  }
  for (const [i, step] of input.request.steps.entries()) {
    if (step.operation !== "join") continue;
    const other = await findInSession(kv, session.id, step.arguments.dataset);
    if (!other) {
      throw unreadable(
        "unknown_dataset",
        `step ${
          i + 1
        } (join): this session has no dataset "${step.arguments.dataset}"`,
      );
    }
    step.arguments.dataset = other.id;
  }
  return await createJob(kv, {
    sessionId: session.id,
    ownerId: session.ownerId,
    request: { ...input.request, input: dataset.id },
    origin: input.origin,
    ttlMs: input.ttlMs,
  });
}

async function stepSource(kv: Deno.Kv, dataset: Dataset): Promise<StepSource> {
  const detail = await readDatasetDetail(kv, dataset);
  return {
    id: dataset.id,
    name: dataset.name,
    columns: detail.columns.map((c) => ({ name: c.name, type: c.type })),
    source: storedSourceOf(kv, dataset, detail),
  };
}

function outputName(input: Dataset, step: Step, index: number): string {
  const base = input.origin.kind === "workflow"
    ? input.name.replace(/ · .*$/, "")
    : input.name;
  const what = step.operation === "convert"
    ? `${step.arguments.format}`
    : step.operation.replace("_", " ");
  return `${base} · ${index + 1} ${what}`.slice(0, 200);
}

/** Returns the public view of a job output (the event and API shape). */
export function outputView(origin: string, output: JobOutput) {
  return {
    step: output.step,
    operation: output.operation,
    dataset_id: output.datasetId,
    name: output.name,
    rows: output.rows,
    format: output.format,
    dataset_url: `${origin}/api/datasets/${output.datasetId}`,
    download_url:
      `${origin}/api/datasets/${output.datasetId}/export?format=${output.format}`,
    ...(output.file ? { file: output.file } : {}),
  };
}

/** Returns the public view of a job. */
export function jobView(job: WorkflowJob) {
  return {
    id: job.id,
    session_id: job.sessionId,
    status: job.status,
    input: job.request.input,
    steps: job.request.steps,
    outputs: job.outputs.map((o) => outputView(job.origin, o)),
    error: job.error,
    attempts: job.attempts,
    created_at: new Date(job.createdAt).toISOString(),
    updated_at: new Date(job.updatedAt).toISOString(),
    finished_at: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    url: `${job.origin}/api/workflows/${job.id}`,
  };
}

async function storeFile(
  deps: WorkflowDeps,
  job: WorkflowJob,
  dataset: Dataset,
  format: JobOutput["format"],
): Promise<JobOutput["file"]> {
  const detail = await readDatasetDetail(deps.kv, dataset);
  const fmt = format as Parameters<typeof exportDataset>[0];
  const filename = exportFilename(dataset.name.replace(/ · .*$/, ""), fmt);
  const expiresAt = Date.now() + deps.downloadTtlMs;
  const meta = await writeBlob(
    deps.kv,
    exportDataset(
      fmt,
      detail.columns.map((c) => ({ name: c.name, type: c.type })),
      typedBatches(deps.kv, dataset, detail.columns),
    ),
    {
      mime: EXPORT_MIME[fmt].replace(/; charset=.*$/, ""),
      filename,
      sessionId: job.sessionId,
      expiresAt,
    },
  );
  const path = await signedDownloadPath(deps.signingKey, meta.id, expiresAt);
  return {
    url: job.origin + path,
    filename,
    mime: meta.mime,
    size: meta.size,
  };
}

/**
 * Time past a statement's deadline before its slot counts as abandoned:
 * room for a SQL worker to start (at most a minute) and to be stopped.
 */
const SQL_SLOT_GRACE_MS = 65_000;

/** Runs a person's statement once one of their SQL slots is free. */
async function runUserSql(
  deps: WorkflowDeps,
  ownerId: string,
  source: StoredSource,
  sql: string,
): Promise<Awaited<ReturnType<typeof runSandboxedSql>>> {
  const release = await acquireSqlSlot(deps.kv, ownerId, {
    limit: deps.sqlConcurrency ?? 2,
    leaseMs: deps.sqlTimeoutMs + SQL_SLOT_GRACE_MS,
    // As long as a slot can be held: a waiter gives up only on a stuck one.
    waitMs: deps.sqlTimeoutMs + SQL_SLOT_GRACE_MS,
  });
  try {
    return await runSandboxedSql(source, sql, {
      timeoutMs: deps.sqlTimeoutMs,
      maxRows: deps.maxRows,
      memoryBytes: deps.sqlMemoryBytes,
    });
  } finally {
    await release();
  }
}

/**
 * Claims and runs a workflow job to its end (or to shutdown); returns the
 * final record, or null when the job was not this process's to run.
 */
export async function runWorkflowJob(
  deps: WorkflowDeps,
  jobId: string,
): Promise<WorkflowJob | null> {
  const { kv } = deps;
  const leaseMs = deps.leaseMs ?? JOB_LEASE_MS;
  let job = await claimJob<WorkflowRequest>(kv, jobId, deps.runnerId, leaseMs);
  if (!job) return null;
  const send = (type: EventType, data: Record<string, unknown>) =>
    appendEvent(
      kv,
      job!.sessionId,
      type,
      { job_id: jobId, ...data },
      deps.datasetTtlMs,
    );
  const steps = job.request.steps;
  const total = steps.length;
  const mine = (j: WorkflowJob) =>
    j.runner === deps.runnerId && j.status === "running";
  const heartbeat = setInterval(() => {
    updateJob<WorkflowRequest>(
      kv,
      jobId,
      (j) => mine(j) ? { heartbeatAt: Date.now() } : null,
    )
      .catch((error) =>
        log.warn("job heartbeat failed", { job_id: jobId, error })
      );
  }, HEARTBEAT_MS);
  let current = job.outputs.length + 1;
  try {
    if (job.attempts > MAX_ATTEMPTS) {
      throw unreadable(
        "interrupted",
        `the workflow was interrupted ${
          job.attempts - 1
        } times (the server restarted) and was stopped`,
      );
    }
    const first = await getDataset(kv, job.request.input);
    if (!first || first.sessionId !== job.sessionId) {
      throw unreadable("unknown_dataset", "the input dataset no longer exists");
    }
    await send("workflow_started", {
      input: { id: first.id, name: first.name },
      steps: total,
      operations: steps.map((s) => s.operation),
      ...(job.outputs.length ? { resumed: true, from_step: current } : {}),
    });
    let input = job.outputs.length
      ? await getDataset(kv, job.outputs[job.outputs.length - 1].datasetId)
      : first;
    if (!input) throw unreadable("unknown_dataset", "a step's output is gone");
    for (let index = job.outputs.length; index < total; index++) {
      current = index + 1;
      const step = steps[index];
      await deps.beforeStep?.(job, current);
      if (deps.signal?.aborted) throw new Interrupted();
      const result = await runStep({
        step: current,
        input: await stepSource(kv, input),
        findDataset: async (ref) => {
          const found = await findInSession(kv, job!.sessionId, ref);
          return found ? await stepSource(kv, found) : null;
        },
        runSql: (source, sql) => runUserSql(deps, job!.ownerId, source, sql),
        maxRows: deps.maxRows,
      }, step);
      let rowsDone = 0;
      let lastReport = Date.now();
      const signal = deps.signal;
      const batches = (async function* (): AsyncGenerator<RawCell[][]> {
        for await (const batch of result.batches) {
          if (signal?.aborted) throw new Interrupted();
          rowsDone += batch.length;
          yield batch;
          if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
            lastReport = Date.now();
            await send("progress", {
              step: current,
              total,
              rows_done: rowsDone,
              operation: step.operation,
            });
          }
        }
      })();
      const output = await saveDerivedDataset(kv, {
        sessionId: job.sessionId,
        ownerId: job.ownerId,
        name: outputName(input, step, index),
        ttlMs: deps.datasetTtlMs,
        origin: {
          kind: "workflow",
          jobId,
          step: current,
          operation: step.operation,
          inputId: input.id,
        },
        names: result.names,
        batches,
        hints: result.hints,
        maxRows: deps.maxRows,
        repairs: result.notes,
      });
      await send("progress", {
        step: current,
        total,
        rows_done: output.rowCount,
        operation: step.operation,
      });
      const wantsFile = step.operation === "convert" || current === total;
      const record: JobOutput = {
        step: current,
        operation: step.operation,
        datasetId: output.id,
        name: output.name,
        rows: output.rowCount,
        format: result.format,
        file: wantsFile
          ? await storeFile(deps, job, output, result.format)
          : null,
      };
      const next = await updateJob<WorkflowRequest>(
        kv,
        jobId,
        (j) =>
          mine(j)
            ? { outputs: [...j.outputs, record], heartbeatAt: Date.now() }
            : null,
      );
      if (!next) throw new Interrupted();
      job = next;
      input = output;
    }
    const done = await updateJob<WorkflowRequest>(
      kv,
      jobId,
      (j) =>
        mine(j)
          ? { status: "completed", finishedAt: Date.now(), runner: null }
          : null,
    );
    if (!done) throw new Interrupted();
    job = done;
    const outputs = job.outputs.map((o) => outputView(job!.origin, o));
    const last = outputs[outputs.length - 1];
    await send("workflow_completed", {
      outputs,
      dataset_id: last.dataset_id,
      download_url: last.download_url,
      ...(last.file ? { file: last.file } : {}),
    });
    return job;
  } catch (error) {
    if (error instanceof Interrupted) {
      // Hand the job back so the next start (or another instance) resumes it.
      const back = await updateJob<WorkflowRequest>(
        kv,
        jobId,
        (j) =>
          mine(j)
            ? { status: "queued", runner: null, heartbeatAt: null }
            : null,
      ).catch(() => null);
      log.info("workflow interrupted", { job_id: jobId, step: current });
      return back ?? await getJob<WorkflowRequest>(kv, jobId);
    }
    const failure: JobFailure = error instanceof HttpError
      ? { step: current, code: error.code, message: error.message }
      : {
        step: current,
        code: "internal",
        message: "the step failed on our side; please try again",
      };
    if (!(error instanceof HttpError)) {
      log.error("workflow step crashed", {
        job_id: jobId,
        step: current,
        error,
      });
    }
    const failed = await updateJob<WorkflowRequest>(
      kv,
      jobId,
      (j) =>
        j.status === "running" || j.status === "queued"
          ? {
            status: "failed",
            error: failure,
            finishedAt: Date.now(),
            runner: null,
          }
          : null,
    );
    await send("workflow_failed", { ...failure });
    return failed ?? await getJob<WorkflowRequest>(kv, jobId);
  } finally {
    clearInterval(heartbeat);
  }
}

/** A process's workflow runner: runs delivered jobs, resumes abandoned ones, stops cleanly. */
export interface WorkflowRunner {
  /** Runs a job (from a queue message); resolves when it ends or stops. */
  run(jobId: string): Promise<void>;
  /**
   * Takes up jobs no live runner holds: queued ones older than
   * `queuedGraceMs` (their queue message may be lost) and running ones with a
   * stale heartbeat; returns how many.
   */
  resume(options?: { queuedGraceMs?: number }): Promise<number>;
  /** Interrupts running jobs (they go back to the queue) and waits for them. */
  close(): Promise<void>;
}

/** Returns a runner for this process; jobs it starts stop when `close` is called. */
export function createWorkflowRunner(
  deps: Omit<WorkflowDeps, "signal" | "runnerId">,
): WorkflowRunner {
  const stop = new AbortController();
  const full: WorkflowDeps = {
    ...deps,
    runnerId: crypto.randomUUID(),
    signal: stop.signal,
  };
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  return {
    async run(jobId) {
      if (stop.signal.aborted) return;
      await track(runWorkflowJob(full, jobId)).catch((error) =>
        log.error("workflow crashed", { job_id: jobId, error })
      );
    },
    async resume(options = {}) {
      if (stop.signal.aborted) return 0;
      const now = Date.now();
      const leaseMs = full.leaseMs ?? JOB_LEASE_MS;
      let count = 0;
      for (const id of await listActiveJobIds(full.kv)) {
        const job = await getJob<WorkflowRequest>(full.kv, id);
        if (!job) continue;
        const takeable = (job.status === "queued" &&
          now - job.updatedAt >= (options.queuedGraceMs ?? 0)) ||
          (job.status === "running" && (job.heartbeatAt ?? 0) < now - leaseMs);
        if (!takeable) continue;
        count++;
        this.run(id);
      }
      return count;
    },
    async close() {
      stop.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
