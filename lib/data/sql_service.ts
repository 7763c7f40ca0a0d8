/**
 * The server's way to run user SQL: one supervisor worker
 * (sql_supervisor.ts) holds the pool of SQL workers, so this thread only
 * posts a statement and waits for its answer. The supervisor is started a
 * second after the server starts (starting a worker holds up the thread that
 * starts it, so not while the first requests are served), by the first
 * statement if that comes sooner, again after it died, and never where
 * workers are unavailable: there the pool runs in this isolate.
 */
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log.ts";
import type { SandboxResult } from "./sandbox_engine.ts";
import {
  replyError,
  type SqlJob,
  SqlPool,
  type SqlPoolOptions,
  type SqlReply,
} from "./sql_pool.ts";
import type { SupervisorRequest } from "./sql_supervisor.ts";

interface Waiting {
  resolve(result: SandboxResult): void;
  reject(error: unknown): void;
}

/** Runs statements through the supervisor (or a local pool without workers). */
export class SqlService {
  readonly #options: SqlPoolOptions;
  #supervisor: Worker | null = null;
  #local: SqlPool | null = null;
  #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #closed = false;

  constructor(options: SqlPoolOptions = {}) {
    this.#options = { ...options };
    if (options.size === 0) this.#local = new SqlPool(options);
  }

  /** Starts the supervisor now rather than on the first statement. */
  start(): void {
    if (!this.#local && !this.#closed) this.#ensure();
  }

  /** Returns the rows of `job`'s statement; rejects as SqlPool.run does. */
  run(job: SqlJob): Promise<SandboxResult> {
    if (this.#closed) return Promise.reject(new Error("SQL service closed"));
    const supervisor = this.#local ? null : this.#ensure();
    if (!supervisor) return this.#local!.run(job);
    const id = this.#nextId++;
    const { promise, resolve, reject } = Promise.withResolvers<SandboxResult>();
    this.#waiting.set(id, { resolve, reject });
    // Keeps the process alive while a statement is out, and only then.
    supervisor.ref();
    const request: SupervisorRequest = { type: "run", id, ...job };
    const image = job.image;
    const whole = image.byteOffset === 0 &&
      image.byteLength === image.buffer.byteLength &&
      image.buffer instanceof ArrayBuffer;
    supervisor.postMessage(request, whole ? [image.buffer] : []);
    return promise;
  }

  #ensure(): Worker | null {
    if (this.#supervisor) return this.#supervisor;
    let worker: Worker;
    try {
      worker = new Worker(new URL("./sql_supervisor.ts", import.meta.url));
    } catch (error) {
      log.warn("SQL workers unavailable; running SQL in process", { error });
      this.#local = new SqlPool({ ...this.#options, size: 0 });
      return null;
    }
    worker.unref();
    const init: SupervisorRequest = { type: "init", options: this.#options };
    worker.postMessage(init);
    worker.on("message", (reply: SqlReply) => {
      const waiting = this.#waiting.get(reply.id);
      if (!waiting) return;
      this.#waiting.delete(reply.id);
      if (this.#waiting.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(replyError(reply));
    });
    const failed = (message: string) => {
      if (this.#supervisor !== worker) return;
      this.#supervisor = null;
      if (!this.#closed) log.error("SQL supervisor ended", { message });
      const gone = new Error(`SQL supervisor ended: ${message}`);
      for (const waiting of this.#waiting.values()) waiting.reject(gone);
      this.#waiting.clear();
    };
    worker.on("error", (error: Error) => failed(error.message));
    worker.on("exit", (code: number) => failed(`exited with code ${code}`));
    this.#supervisor = worker;
    return worker;
  }

  /** Stops the supervisor and its workers; waiting statements are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    const supervisor = this.#supervisor;
    this.#supervisor = null;
    const closed = new Error("SQL service closed");
    for (const waiting of this.#waiting.values()) waiting.reject(closed);
    this.#waiting.clear();
    await this.#local?.close();
    await supervisor?.terminate();
  }
}

let serviceOptions: SqlPoolOptions = {};
let service: SqlService | undefined;

/**
 * Sets how the shared service runs (one with other settings is closed) and,
 * unless `start` is false, starts its supervisor now; otherwise the first
 * statement or a later `getSqlService().start()` does.
 */
export function startSqlService(options: SqlPoolOptions, start = true): void {
  const same = service !== undefined &&
    options.size === serviceOptions.size &&
    options.memoryBytes === serviceOptions.memoryBytes &&
    options.idleMs === serviceOptions.idleMs;
  serviceOptions = { ...options };
  if (!same) {
    service?.close();
    service = new SqlService(serviceOptions);
  }
  if (start) service!.start();
}

/** Returns the shared service, creating it on first use. */
export function getSqlService(): SqlService {
  service ??= new SqlService(serviceOptions);
  return service;
}

/** Stops the shared service; a later statement starts a new one. */
export async function closeSqlService(): Promise<void> {
  const old = service;
  service = undefined;
  await old?.close();
}
