/**
 * A render worker (started by render_pool.ts): loads ECharts and resvg-wasm
 * once, then renders one job at a time and posts the result back; PNG bytes
 * are transferred, not copied.
 */
import { configureFonts } from "./fonts.ts";
import * as raster from "./raster.ts";
import { runJob, type WorkerReply, type WorkerRequest } from "./render_pool.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;

// Compiling the wasm while the first job is on its way saves its wait.
raster.readyRaster().catch(() => {});

let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "init") {
    configureFonts(request.fontPaths);
    return;
  }
  queue = queue.then(() => handle(request.id, request.job));
};

async function handle(
  id: number,
  job: Extract<WorkerRequest, { type: "job" }>["job"],
): Promise<void> {
  try {
    const output = await runJob(raster, job);
    const transfer = output.kind === "png" ? [output.bytes.buffer] : [];
    scope.postMessage({ id, ok: true, output }, transfer);
  } catch (error) {
    scope.postMessage({
      id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      fatal: error instanceof WebAssembly.RuntimeError,
    });
  }
}
