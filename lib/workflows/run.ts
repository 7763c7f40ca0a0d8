/**
 * Running workflows as jobs (`lib/jobs/runner.ts`). `startWorkflow` checks the
 * request against the session's datasets, creates the job and starts it on
 * this instance. The workflow job kind runs the steps in order (each step's
 * output is stored as a dataset and becomes the next step's input), reports
 * `workflow_started`, `progress`, `workflow_completed` or `workflow_failed` on
 * the session's event log, and records each finished step on the job, so an
 * instance that takes over an interrupted job resumes at the step it was in.
 * The last event is committed with the job's final status.
 */
import { addEventToCommit, type EventType } from "@/lib/kv/events.ts";
import type { Job, JobOutput } from "@/lib/kv/jobs.ts";
import {
  type JobContext,
  JobFailed,
  JobInterrupted,
  type JobKind,
  type JobRunner,
} from "@/lib/jobs/runner.ts";
import {
  type Dataset,
  getDataset,
  listSessionDatasets,
  readDatasetDetail,
  saveDerivedDataset,
  storedSourceOf,
  typedBatches,
} from "@/lib/kv/datasets.ts";
import { writeBlob } from "@/lib/kv/blobs.ts";
import type { Session } from "@/lib/kv/sessions.ts";
import { signedDownloadPath } from "@/lib/links/download.ts";
import { failsForGood } from "@/lib/errors.ts";
import { unreadable } from "@/lib/data/errors.ts";
import {
  EXPORT_MIME,
  exportDataset,
  exportFilename,
} from "@/lib/exports/dataset.ts";
import type { RawCell } from "@/lib/data/infer.ts";
import { runStep, type StepSource } from "@/lib/workflows/operations/mod.ts";
import { outputView } from "@/lib/api/build.ts";
import { runSandboxedSql } from "@/lib/data/sandbox.ts";
import type { StoredSource } from "@/lib/data/query.ts";
import { acquireSqlSlot } from "@/lib/kv/sql_slots.ts";
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
  /** Runs before each step (tests use it to stop a job in the middle). */
  beforeStep?: (job: WorkflowJob, step: number) => Promise<void> | void;
}

const PROGRESS_EVERY_MS = 250;

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
 * dataset must be its own), creates the job and starts it on this instance;
 * returns the job as created (queued).
 */
export async function startWorkflow(
  jobs: JobRunner,
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
  const { job } = await jobs.start<WorkflowRequest>({
    type: "workflow",
    sessionId: session.id,
    ownerId: session.ownerId,
    request: { ...input.request, input: dataset.id },
    origin: input.origin,
    ttlMs: input.ttlMs,
    listed: true,
  });
  return job;
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

/** Returns the workflow job kind: runs the steps of a claimed job from where it stands. */
export function workflowJobKind(deps: WorkflowDeps): JobKind<WorkflowRequest> {
  const { kv } = deps;
  const eventOps = (
    job: WorkflowJob,
    type: EventType,
    data: Record<string, unknown>,
  ) =>
  (op: Deno.AtomicOperation) =>
    addEventToCommit(
      kv,
      op,
      job.sessionId,
      type,
      { job_id: job.id, ...data },
      deps.datasetTtlMs,
    ).then(() => {});
  return {
    async run(ctx) {
      let job = ctx.job;
      // Events are committed under the job's lease: a runner that lost the
      // job cannot add to its story.
      const send = (type: EventType, data: Record<string, unknown>) =>
        ctx.update(() => ({}), eventOps(job, type, data));
      const steps = job.request.steps;
      const total = steps.length;
      let current = job.outputs.length + 1;
      try {
        const first = await getDataset(kv, job.request.input);
        if (!first || first.sessionId !== job.sessionId) {
          throw unreadable(
            "unknown_dataset",
            "the input dataset no longer exists",
          );
        }
        await send("workflow_started", {
          input: { id: first.id, name: first.name },
          steps: total,
          operations: steps.map((s) => s.operation),
          ...(job.outputs.length ? { resumed: true, from_step: current } : {}),
        });
        const from = job.outputs.length
          ? await getDataset(kv, job.outputs[job.outputs.length - 1].datasetId)
          : first;
        if (!from) {
          throw unreadable("unknown_dataset", "a step's output is gone");
        }
        let input: Dataset = from;
        for (let index = job.outputs.length; index < total; index++) {
          current = index + 1;
          const step = steps[index];
          await deps.beforeStep?.(job, current);
          if (ctx.signal.aborted) throw new JobInterrupted();
          // A step whose output was stored by a run that then died before
          // recording it is not run again.
          const output: { dataset: Dataset; format: JobOutput["format"] } =
            await storedOutput(kv, job, index) ??
              await runOneStep(deps, ctx, job, input, index, send);
          const wantsFile = step.operation === "convert" || current === total;
          const record: JobOutput = {
            step: current,
            operation: step.operation,
            datasetId: output.dataset.id,
            name: output.dataset.name,
            rows: output.dataset.rowCount,
            format: output.format,
            file: wantsFile
              ? await storeFile(deps, job, output.dataset, output.format)
              : null,
          };
          job = await ctx.update((j) => ({ outputs: [...j.outputs, record] }));
          input = output.dataset;
        }
        const outputs = job.outputs.map((o) => outputView(job.origin, o));
        const last = outputs[outputs.length - 1];
        await ctx.complete(
          {},
          eventOps(job, "workflow_completed", {
            outputs,
            dataset_id: last.dataset_id,
            download_url: last.download_url,
            ...(last.file ? { file: last.file } : {}),
          }),
        );
      } catch (error) {
        if (failsForGood(error)) {
          throw new JobFailed({
            step: current,
            code: error.code,
            message: error.message,
          });
        }
        throw error;
      }
    },
    async failed(job, failure, op) {
      await eventOps(job, "workflow_failed", {
        ...failure,
        step: failure.step ?? job.outputs.length + 1,
      })(op);
    },
  };
}

/** Returns the output of step `index` stored by an earlier run of this job, if any. */
async function storedOutput(
  kv: Deno.Kv,
  job: WorkflowJob,
  index: number,
): Promise<{ dataset: Dataset; format: JobOutput["format"] } | null> {
  const step = job.request.steps[index];
  const dataset = (await listSessionDatasets(kv, job.sessionId)).find((d) =>
    d.origin.kind === "workflow" && d.origin.jobId === job.id &&
    d.origin.step === index + 1
  );
  if (!dataset) return null;
  const format = step.operation === "convert" ? step.arguments.format : "csv";
  return { dataset, format };
}

/** Runs one step into a stored dataset, reporting progress as its rows flow. */
async function runOneStep(
  deps: WorkflowDeps,
  ctx: JobContext<WorkflowRequest>,
  job: WorkflowJob,
  input: Dataset,
  index: number,
  send: (type: EventType, data: Record<string, unknown>) => Promise<unknown>,
): Promise<{ dataset: Dataset; format: JobOutput["format"] }> {
  const { kv } = deps;
  const step = job.request.steps[index];
  const current = index + 1;
  const total = job.request.steps.length;
  const result = await runStep({
    step: current,
    input: await stepSource(kv, input),
    findDataset: async (ref) => {
      const found = await findInSession(kv, job.sessionId, ref);
      return found ? await stepSource(kv, found) : null;
    },
    runSql: (source, sql) => runUserSql(deps, job.ownerId, source, sql),
    maxRows: deps.maxRows,
  }, step);
  let rowsDone = 0;
  let lastReport = Date.now();
  const batches = (async function* (): AsyncGenerator<RawCell[][]> {
    for await (const batch of result.batches) {
      if (ctx.signal.aborted) throw new JobInterrupted();
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
  const dataset = await saveDerivedDataset(kv, {
    sessionId: job.sessionId,
    ownerId: job.ownerId,
    name: outputName(input, step, index),
    ttlMs: deps.datasetTtlMs,
    origin: {
      kind: "workflow",
      jobId: job.id,
      step: current,
      operation: step.operation,
      inputId: input.id,
    },
    names: result.names,
    batches,
    hints: result.hints,
    maxRows: deps.maxRows,
    repairs: result.notes,
    // An instance that lost the job must not add an output to the session.
    guard: ctx.guard,
  });
  await send("progress", {
    step: current,
    total,
    rows_done: dataset.rowCount,
    operation: step.operation,
  });
  return { dataset, format: result.format };
}
