/**
 * Starting a render worker thread. Apart from the pool, and importing
 * nothing else, so that `main.ts` can start the first worker before it loads
 * the app: the worker then loads ECharts and resvg on its own thread while
 * this one loads the server, and a chart asked for right after a start does
 * not wait for both one after the other.
 */
import { Worker } from "node:worker_threads";

/**
 * Each worker's V8 heap. A render's garbage dies young, so a 3 MB young
 * generation (where V8's default grows to 48 MB) costs a few milliseconds
 * per render and keeps a worker's resident set small. The old generation's
 * limit also sets how eagerly V8 collects it: 512 MB holds the largest
 * option the render API accepts (a 100,000-point line with its symbols
 * peaks at 300–500 MB) while the peer workload stays under 200 MB in all.
 * Measured in bench/memory_png.ts.
 */
export const WORKER_HEAP = {
  maxYoungGenerationSizeMb: 3,
  maxOldGenerationSizeMb: 512,
} as const;

export type WorkerHeap = {
  maxYoungGenerationSizeMb?: number;
  maxOldGenerationSizeMb?: number;
};

/** Starts a render worker with `heap` (throws where workers are unavailable). */
export function spawnRenderWorker(heap: WorkerHeap = WORKER_HEAP): Worker {
  return new Worker(new URL("./render_worker.ts", import.meta.url), {
    resourceLimits: heap,
  });
}

let early: Worker | undefined;

/**
 * Starts a worker for the pool to take as its first (`takeEarlyWorker`).
 * A failure is left for the pool to meet and report.
 */
export function spawnEarlyWorker(): void {
  try {
    early ??= spawnRenderWorker();
  } catch {
    // The pool's own start reports it and renders in process.
  }
}

/**
 * Returns the worker `spawnEarlyWorker` started (once), when it has the
 * heap the pool asks for; otherwise stops it and returns undefined.
 */
export function takeEarlyWorker(heap: WorkerHeap): Worker | undefined {
  const worker = early;
  early = undefined;
  if (!worker) return undefined;
  const same = heap.maxYoungGenerationSizeMb ===
      WORKER_HEAP.maxYoungGenerationSizeMb &&
    heap.maxOldGenerationSizeMb === WORKER_HEAP.maxOldGenerationSizeMb;
  if (same) return worker;
  worker.terminate();
  return undefined;
}
