/**
 * Rendering off the request thread: a pool of worker threads
 * (render_worker.ts), one per core by default, each with its own ECharts and
 * resvg-wasm. They are `node:worker_threads` workers rather than Web Workers
 * for one reason: `resourceLimits`. A render allocates fast and briefly, so a
 * worker runs well with a small young generation and a bounded old one, while
 * the main thread keeps the larger heap that uploads and exports need (V8
 * flags would apply to every isolate alike). A job waits in a bounded FIFO
 * queue until a worker is free. Workers start on the
 * first job, stop after a while without work, and are terminated by
 * `close()` (the server calls `closeRenderPool()` when it stops), so they
 * never keep the process alive on their own for long.
 *
 * Where workers are unavailable (they fail to start, or `size: 0`), jobs run in
 * this isolate instead (raster.ts, loaded on first use).
 */
import type { Worker } from "node:worker_threads";
import { type Slot as WorkerSlot, WorkerSlots } from "@/lib/workers/slots.ts";
import {
  spawnRenderWorker,
  takeEarlyWorker,
  WORKER_HEAP,
  type WorkerHeap,
} from "./worker_spawn.ts";
import { configureFonts } from "./fonts.ts";
import { compileResvg } from "./resvg_wasm.ts";
import { AppError } from "@/lib/errors.ts";
import { checkPixels, RENDER_BUDGET, renderTimeout } from "./budget.ts";
import { log } from "@/lib/log.ts";
import {
  renderDuration,
  renders,
  secondsSince,
  setRenderQueueProbe,
} from "@/lib/metrics.ts";
import { type RenderJob, type RenderOutput, runJob } from "./render_job.ts";

/** A render that failed on its input (ECharts refused the option, say). */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderError";
  }
}

/** How a pool runs. */
export interface RenderPoolOptions {
  /** Workers; 0 renders in this isolate. Default: one per core, at most 8. */
  size?: number;
  /** Extra fonts (FONT_PATHS) every worker loads. */
  fontPaths?: readonly string[];
  /** Jobs that may wait for a worker before new ones are refused (503). */
  maxQueue?: number;
  /** Idle workers stop after this long without a job. */
  idleMs?: number;
  /** Each worker's V8 heap limits; default WORKER_HEAP. */
  heap?: WorkerHeap;
  /** A job still drawing this long after it began is stopped with its worker (RENDER_TIMEOUT). */
  timeoutMs?: number;
  /** Largest output of one job in bytes (RENDER_MAX_BYTES). */
  maxOutputBytes?: number;
  /** Each new worker draws a small chart before its first job (RENDER_WARMUP). */
  warmUp?: boolean;
}

/** Messages between the pool and a worker. */
export type WorkerRequest =
  | {
    type: "init";
    fontPaths: string[];
    /** resvg compiled by the pool; null: compile it in the worker. */
    wasm: WebAssembly.Module | null;
    maxOutputBytes: number;
    /** Draw a small chart first (worker_warm_up.ts). */
    warmUp: boolean;
  }
  | { type: "job"; id: number; job: RenderJob };

/** A worker's answer to one job, or its word that it has begun it. */
export type WorkerReply =
  | { id: number; started: true }
  | { id: number; ok: true; output: RenderOutput }
  | {
    id: number;
    ok: false;
    message: string;
    fatal: boolean;
    /** A job over the render budget: the 400 to answer with. */
    refused?: { code: string; message: string };
  };

type Slot = WorkerSlot<RenderJob, RenderOutput>;

const DEFAULT_MAX_QUEUE = 64;
const DEFAULT_IDLE_MS = 60_000;

/** Returns the default pool size: the machine's cores, 1 to 8. */
export function defaultPoolSize(): number {
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(8, cores));
}

/** A pool of render workers; see the module comment. */
export class RenderPool {
  readonly size: number;
  readonly #fontPaths: string[];
  readonly #heap: NonNullable<RenderPoolOptions["heap"]>;
  readonly #timeoutMs: number;
  readonly #maxOutputBytes: number;
  readonly #warmUp: boolean;
  readonly #slots: WorkerSlots<RenderJob, RenderOutput>;
  #workersFailed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.size = options.size ?? defaultPoolSize();
    this.#fontPaths = [...(options.fontPaths ?? [])];
    this.#heap = options.heap ?? WORKER_HEAP;
    this.#timeoutMs = options.timeoutMs ?? RENDER_BUDGET.timeoutMs;
    this.#maxOutputBytes = options.maxOutputBytes ??
      RENDER_BUDGET.maxOutputBytes;
    this.#warmUp = options.warmUp ?? false;
    this.#slots = new WorkerSlots({
      size: this.size,
      maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
      idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
      pool: "render pool",
      jobs: "renders",
      spawn: () => this.#spawn(),
      post: (slot, pending) => {
        const request: WorkerRequest = {
          type: "job",
          id: pending.id,
          job: pending.job,
        };
        slot.worker.postMessage(request);
      },
    });
  }

  /** Whether jobs run in workers (false: in this isolate). */
  get usesWorkers(): boolean {
    return this.size > 0 && !this.#workersFailed;
  }

  /** Whether `close()` was called (every later render is refused). */
  get closed(): boolean {
    return this.#slots.closed;
  }

  /** Whether no job runs or waits. */
  get idle(): boolean {
    return this.#slots.idle;
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.#slots.queue.length;
  }

  /** Workers currently started. */
  get started(): number {
    return this.#slots.slots.length;
  }

  /**
   * Starts one worker now, when none runs, so it loads ECharts, resvg and the
   * fonts while the process does other start-up work, instead of after the
   * first render asks for it. It stops again after the idle timeout.
   */
  prestart(): void {
    if (this.closed || !this.usesWorkers || this.started > 0) return;
    if (this.#spawn()) this.#slots.dispatch();
  }

  /**
   * Returns the output of `job`. Rejects with a RenderError when the option
   * cannot be drawn, an invalid AppError when the job is over the render budget
   * (budget.ts: pixels, text, output bytes, RENDER_TIMEOUT), a 503 when too
   * many jobs wait, and an Error when the pool closes first.
   */
  render(job: RenderJob): Promise<RenderOutput> {
    const started = performance.now();
    const kind = job.kind;
    const done = this.#render(job);
    done.then(
      () => renders.inc({ kind, outcome: "ok" }),
      () => renders.inc({ kind, outcome: "error" }),
    ).finally(() => renderDuration.observe({ kind }, secondsSince(started)));
    return done;
  }

  #render(job: RenderJob): Promise<RenderOutput> {
    if (this.closed) return Promise.reject(new Error("render pool closed"));
    try {
      checkPixels(job);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.usesWorkers) {
      return renderHere(job, this.#fontPaths, this.#maxOutputBytes);
    }
    return this.#slots.submit(job);
  }

  #spawn(): Slot | undefined {
    let worker: Worker;
    try {
      worker = takeEarlyWorker(this.#heap) ?? spawnRenderWorker(this.#heap);
    } catch (error) {
      log.warn("render workers unavailable; rendering in process", { error });
      this.#workersFailed = true;
      // Everything queued runs here instead.
      for (const pending of this.#slots.queue.splice(0)) {
        renderHere(pending.job, this.#fontPaths, this.#maxOutputBytes).then(
          pending.resolve,
          pending.reject,
        );
      }
      return undefined;
    }
    const slot: Slot = { worker, busy: null };
    // Jobs posted before this arrives wait for it in the worker.
    const init = (wasm: WebAssembly.Module | null) => {
      const request: WorkerRequest = {
        type: "init",
        fontPaths: this.#fontPaths,
        wasm,
        maxOutputBytes: this.#maxOutputBytes,
        warmUp: this.#warmUp,
      };
      worker.postMessage(request);
    };
    compileResvg().then(init, () => init(null));
    worker.on("message", (reply: WorkerReply) => {
      const pending = slot.busy;
      if (!pending || pending.id !== reply.id) return;
      clearTimeout(slot.timer);
      if ("started" in reply) {
        // Layout and drawing cannot be interrupted: past its time the job
        // ends with its worker, and the next job starts a fresh one.
        slot.timer = setTimeout(() => {
          log.warn("render stopped at RENDER_TIMEOUT", {
            ms: this.#timeoutMs,
          });
          this.#slots.fail(slot, renderTimeout(this.#timeoutMs));
        }, this.#timeoutMs);
        return;
      }
      slot.busy = null;
      if (reply.ok) {
        pending.resolve(reply.output);
      } else {
        pending.reject(
          reply.refused
            ? new AppError("invalid", reply.refused.code, reply.refused.message)
            : reply.fatal
            ? new Error(reply.message)
            : new RenderError(reply.message),
        );
        // A wasm trap may leave resvg's memory in a bad state: start afresh.
        if (reply.fatal) this.#slots.retire(slot);
      }
      this.#slots.dispatch();
    });
    // A thrown error, or the heap limit (ERR_WORKER_OUT_OF_MEMORY), ends
    // the worker: its job fails and the next job starts a fresh one.
    const failed = (message: string) => {
      if (!this.#slots.slots.includes(slot)) return;
      log.error("render worker failed", { message });
      this.#slots.fail(slot, new Error(`render worker failed: ${message}`));
    };
    worker.on("error", (error: Error) => failed(error.message));
    worker.on("exit", (code: number) => failed(`exited with code ${code}`));
    this.#slots.slots.push(slot);
    return slot;
  }

  /** Terminates every worker; waiting and running jobs are rejected. */
  close(): Promise<void> {
    this.#slots.close();
    return Promise.resolve();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

let inProcess: Promise<typeof import("./raster.ts")> | undefined;

/** Runs a job in this isolate (the fallback without workers; no time limit). */
async function renderHere(
  job: RenderJob,
  fontPaths: readonly string[],
  maxOutputBytes: number,
): Promise<RenderOutput> {
  configureFonts(fontPaths);
  inProcess ??= import("./raster.ts");
  return await runJob(await inProcess, job, maxOutputBytes);
}

let poolOptions: RenderPoolOptions = {};
let defaultPool: RenderPool | undefined;
setRenderQueueProbe(() => defaultPool?.queued ?? 0);

/**
 * Sets how the shared pool runs (workers, fonts) and checks the font files
 * (throws when one is unreadable or not a font). An existing pool with other
 * settings is closed (the next render starts a new one); one with the same
 * settings is kept.
 */
export function configureRenderPool(options: RenderPoolOptions): void {
  try {
    configureFonts(options.fontPaths ?? []);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`FONT_PATHS: ${why}`);
  }
  const same = options.size === poolOptions.size &&
    options.idleMs === poolOptions.idleMs &&
    options.timeoutMs === poolOptions.timeoutMs &&
    options.maxOutputBytes === poolOptions.maxOutputBytes &&
    options.warmUp === poolOptions.warmUp &&
    (options.fontPaths ?? []).join("\n") ===
      (poolOptions.fontPaths ?? []).join("\n");
  poolOptions = { ...options };
  if (same) return;
  const old = defaultPool;
  defaultPool = undefined;
  old?.close();
}

/** Returns the shared pool, creating it on first use. */
export function getRenderPool(): RenderPool {
  defaultPool ??= new RenderPool(poolOptions);
  return defaultPool;
}

/** Closes the shared pool (its workers stop); a later render starts a new one. */
export async function closeRenderPool(): Promise<void> {
  const pool = defaultPool;
  defaultPool = undefined;
  await pool?.close();
}
