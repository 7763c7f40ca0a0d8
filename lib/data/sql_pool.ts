/**
 * User SQL off the request thread: a small pool of worker threads
 * (sql_worker.ts), each with its own sqlite-wasm. A statement runs in a
 * worker with a V8 heap limit and SQLite's heap limit at the memory budget
 * (SQL_MEMORY); when a statement is still running a moment after its
 * deadline (SQLite does not yield inside one function call such as
 * `randomblob(1e9)`), or its worker runs out of heap, the worker is
 * terminated, which stops it wherever it is, and the caller gets
 * `sql_timeout` or `sql_memory`. A worker whose memory (WebAssembly and
 * JS heap) grew past RETIRE_BYTES is retired after its statement, so that
 * memory goes back to the system. At most `size` statements run at once; more
 * wait in a bounded queue; workers stop after a while without work.
 *
 * Where workers are unavailable (they fail to start, or `size: 0`),
 * statements run in this isolate, where only the progress handler's
 * deadline holds. The server runs its pool inside a supervisor worker
 * (sql_supervisor.ts), because starting a worker holds up the thread that
 * starts it for 50–500 ms.
 */
import { Worker } from "node:worker_threads";
import { AppError, type ErrorKind } from "@/lib/errors.ts";
import { type Slot as WorkerSlot, WorkerSlots } from "@/lib/workers/slots.ts";
import { log } from "@/lib/log.ts";
import { DataError, isDataErrorKind } from "./errors.ts";
import {
  DEFAULT_SQL_MEMORY,
  DEFAULT_SQL_TIMEOUT_MS,
  executeSandboxed,
  type SandboxOptions,
  type SandboxResult,
  sqlOutOfMemory,
  sqlTimeout,
} from "./sandbox_engine.ts";

/** A statement for a worker: the database image (moved, not copied) and the rules. */
export interface SqlJob {
  image: Uint8Array;
  sql: string;
  options: SandboxOptions;
}

/** Messages to a SQL worker (and to the supervisor). */
export type SqlWorkerRequest = { id: number } & SqlJob;
/** An answer: the result, or the AppError (DataError) it raised. */
export type SqlReply =
  & { id: number }
  & (
    | { ok: true; result: SandboxResult }
    | {
      ok: false;
      error: { kind: ErrorKind; code: string; message: string } | null;
      message: string;
    }
  );
/** A SQL worker's word that a statement's deadline starts now. */
export type SqlStarted = { id: number; started: true };
/** A SQL worker's answer, with the memory it holds (WebAssembly and JS heap). */
export type SqlWorkerReply = SqlReply & { heldBytes: number };

/** Returns the reply that carries `error` across a thread. */
export function errorReply(id: number, error: unknown): SqlReply {
  return {
    id,
    ok: false,
    error: error instanceof AppError
      ? { kind: error.kind, code: error.code, message: error.message }
      : null,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Returns the error a failed reply carries (a DataError when it was one). */
export function replyError(reply: Extract<SqlReply, { ok: false }>): Error {
  if (!reply.error) return new Error(`SQL worker: ${reply.message}`);
  const { kind, code, message } = reply.error;
  return isDataErrorKind(kind)
    ? new DataError(kind, code, message)
    : new AppError(kind, code, message);
}

/** How a pool runs. */
export interface SqlPoolOptions {
  /** Workers; 0 runs statements in this isolate. Default 2. */
  size?: number;
  /** Statements that may wait for a worker before new ones are refused (503). */
  maxQueue?: number;
  /** Idle workers stop after this long without a statement. */
  idleMs?: number;
  /** Time a statement gets after its deadline before its worker is terminated. */
  graceMs?: number;
  /** Memory a statement may use (SQL_MEMORY), unless its options say less. */
  memoryBytes?: number;
}

type Slot = WorkerSlot<SqlJob, SandboxResult>;

/** Memory over which a worker is retired after its statement (it holds ~20 MB idle). */
export const RETIRE_BYTES = 64 * 1024 * 1024;
const DEFAULT_SIZE = 2;
const DEFAULT_MAX_QUEUE = 32;
const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_GRACE_MS = 1_000;
/** A worker that has not begun a statement this long after it was sent is stuck. */
const START_TIMEOUT_MS = 60_000;
const MIB = 1024 * 1024;

/** A pool of SQL workers; see the module comment. */
export class SqlPool {
  readonly size: number;
  readonly memoryBytes: number;
  readonly #graceMs: number;
  readonly #slots: WorkerSlots<SqlJob, SandboxResult>;
  #workersFailed = false;

  constructor(options: SqlPoolOptions = {}) {
    this.size = options.size ?? DEFAULT_SIZE;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.memoryBytes = options.memoryBytes ?? DEFAULT_SQL_MEMORY;
    this.#slots = new WorkerSlots({
      size: this.size,
      maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
      idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
      pool: "SQL pool",
      jobs: "queries",
      spawn: () => this.#spawn(),
      post: (slot, pending) => {
        const { job } = pending;
        slot.timer = setTimeout(
          () =>
            this.#slots.fail(slot, new Error("the SQL worker did not start")),
          START_TIMEOUT_MS,
        );
        const request: SqlWorkerRequest = { id: pending.id, ...job };
        const image = job.image;
        const whole = image.byteOffset === 0 &&
          image.byteLength === image.buffer.byteLength &&
          image.buffer instanceof ArrayBuffer;
        slot.worker.postMessage(request, whole ? [image.buffer] : []);
      },
    });
  }

  /** Whether statements run in workers (false: in this isolate). */
  get usesWorkers(): boolean {
    return this.size > 0 && !this.#workersFailed;
  }

  /** Workers currently started. */
  get started(): number {
    return this.#slots.slots.length;
  }

  /**
   * Returns the rows of `job`'s statement; rejects with a DataError when the
   * sandbox refuses or stops it, and a busy AppError when too many wait.
   */
  run(input: SqlJob): Promise<SandboxResult> {
    const memoryBytes = Math.min(
      input.options.memoryBytes ?? this.memoryBytes,
      this.memoryBytes,
    );
    const job = { ...input, options: { ...input.options, memoryBytes } };
    if (this.#slots.closed) {
      return Promise.reject(new Error("SQL pool closed"));
    }
    if (!this.usesWorkers) {
      return executeSandboxed(job.image, job.sql, job.options);
    }
    return this.#slots.submit(job);
  }

  #spawn(): Slot | undefined {
    let worker: Worker;
    // The worker's own heap holds the result rows (at most half the budget)
    // and the engine's code.
    const memoryMb = Math.ceil(this.memoryBytes / MIB);
    try {
      worker = new Worker(new URL("./sql_worker.ts", import.meta.url), {
        resourceLimits: {
          maxOldGenerationSizeMb: memoryMb + 64,
          maxYoungGenerationSizeMb: 16,
        },
      });
    } catch (error) {
      log.warn("SQL workers unavailable; running SQL in process", { error });
      this.#workersFailed = true;
      for (const pending of this.#slots.queue.splice(0)) {
        const { image, sql, options } = pending.job;
        executeSandboxed(image, sql, options).then(
          pending.resolve,
          pending.reject,
        );
      }
      return undefined;
    }
    const slot: Slot = { worker, busy: null };
    worker.on("message", (reply: SqlWorkerReply | SqlStarted) => {
      const pending = slot.busy;
      if (!pending || pending.id !== reply.id) return;
      clearTimeout(slot.timer);
      if ("started" in reply) {
        // SQLite interrupts itself at the deadline between VM steps; a
        // single function call that does not return ends with its worker.
        const timeoutMs = pending.job.options.timeoutMs ??
          DEFAULT_SQL_TIMEOUT_MS;
        slot.timer = setTimeout(
          () => this.#slots.fail(slot, sqlTimeout(timeoutMs)),
          timeoutMs + this.#graceMs,
        );
        return;
      }
      slot.busy = null;
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(replyError(reply));
      if (reply.heldBytes > RETIRE_BYTES) this.#slots.retire(slot);
      this.#slots.dispatch();
    });
    // The heap limit (ERR_WORKER_OUT_OF_MEMORY) or a crash ends the worker.
    const failed = (message: string) => {
      if (!this.#slots.slots.includes(slot)) return;
      const pending = slot.busy;
      const memoryBytes = pending?.job.options.memoryBytes ??
        this.memoryBytes;
      log.warn("SQL worker ended", { message });
      this.#slots.fail(slot, sqlOutOfMemory(memoryBytes));
    };
    worker.on("error", (error: Error) => failed(error.message));
    worker.on("exit", (code: number) => failed(`exited with code ${code}`));
    this.#slots.slots.push(slot);
    return slot;
  }

  /** Terminates every worker; waiting and running statements are rejected. */
  close(): Promise<void> {
    this.#slots.close();
    return Promise.resolve();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
