/**
 * What a pool of worker threads shares, whatever its workers do: a bounded
 * queue of jobs, one slot per worker holding the job it runs, workers started
 * as jobs need them (up to the pool's size) and stopped after an idle time,
 * and closing. The render pool (lib/drawing/render_pool.ts) and the SQL pool
 * (lib/data/sql_pool.ts) each say how a worker starts, what a job's message
 * is and what its replies mean.
 */
import type { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors.ts";

/** A job waiting for, or held by, a worker. */
export interface Pending<Job, Result> {
  id: number;
  job: Job;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/** A started worker and the job it runs (null: idle). */
export interface Slot<Job, Result> {
  worker: Worker;
  busy: Pending<Job, Result> | null;
  /** The running job's timer (a start or run deadline). */
  timer?: ReturnType<typeof setTimeout>;
}

export interface WorkerSlotsOptions<Job, Result> {
  size: number;
  maxQueue: number;
  idleMs: number;
  /** "render pool": rejections say "<pool> closed". */
  pool: string;
  /** "renders": the busy refusal says "too many <jobs> are waiting". */
  jobs: string;
  /** Starts a worker and listens to it, or returns undefined when workers are unavailable. */
  spawn(): Slot<Job, Result> | undefined;
  /** Sends `pending`'s job to the worker of `slot`. */
  post(slot: Slot<Job, Result>, pending: Pending<Job, Result>): void;
}

/** The queue and slots of one pool; see the module comment. */
export class WorkerSlots<Job, Result> {
  slots: Slot<Job, Result>[] = [];
  queue: Pending<Job, Result>[] = [];
  closed = false;
  #nextId = 1;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly options: WorkerSlotsOptions<Job, Result>) {}

  /** Whether no job runs or waits. */
  get idle(): boolean {
    return this.queue.length === 0 && this.slots.every((s) => !s.busy);
  }

  /**
   * Queues `job` for a worker; rejects when the pool is closed, and with a
   * busy AppError (a 503) when too many jobs wait already.
   */
  submit(job: Job): Promise<Result> {
    if (this.closed) {
      return Promise.reject(new Error(`${this.options.pool} closed`));
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(
        new AppError(
          "busy",
          "busy",
          `too many ${this.options.jobs} are waiting; try again shortly`,
        ),
      );
    }
    const { promise, resolve, reject } = Promise.withResolvers<Result>();
    this.queue.push({ id: this.#nextId++, job, resolve, reject });
    this.dispatch();
    return promise;
  }

  /** Hands waiting jobs to idle workers, starting workers up to the size; arms the idle stop. */
  dispatch(): void {
    clearTimeout(this.#idleTimer);
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.options.size) {
        slot = this.options.spawn();
      }
      if (!slot) break;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      this.options.post(slot, pending);
    }
    if (this.slots.length > 0 && this.slots.every((s) => !s.busy)) {
      const timer = setTimeout(() => this.#stopIdle(), this.options.idleMs);
      Deno.unrefTimer(timer);
      this.#idleTimer = timer;
    }
  }

  /** Stops a slot's worker and forgets the slot (its job, if any, is the caller's). */
  retire(slot: Slot<Job, Result>): void {
    clearTimeout(slot.timer);
    this.slots = this.slots.filter((s) => s !== slot);
    slot.worker.terminate();
  }

  /** Stops a slot's worker, fails its job with `error` and goes on with the queue. */
  fail(slot: Slot<Job, Result>, error: unknown): void {
    const pending = slot.busy;
    slot.busy = null;
    this.retire(slot);
    pending?.reject(error);
    this.dispatch();
  }

  #stopIdle(): void {
    if (!this.idle) return;
    for (const slot of this.slots.splice(0)) slot.worker.terminate();
  }

  /** Terminates every worker; waiting and running jobs are rejected. */
  close(): void {
    this.closed = true;
    clearTimeout(this.#idleTimer);
    const closed = new Error(`${this.options.pool} closed`);
    for (const pending of this.queue.splice(0)) pending.reject(closed);
    for (const slot of this.slots.splice(0)) {
      clearTimeout(slot.timer);
      slot.busy?.reject(closed);
      slot.worker.terminate();
    }
  }
}
