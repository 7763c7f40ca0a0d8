/**
 * A render worker (started by render_pool.ts): loads ECharts and resvg-wasm
 * once, then renders one job at a time and posts the result back; PNG and
 * PDF bytes are transferred, not copied. The pool's first message brings the fonts to
 * load and resvg's compiled wasm (shared with the other workers).
 */
import { parentPort } from "node:worker_threads";
import { configureFonts } from "./fonts.ts";
import { compileResvg, useCompiledResvg } from "./resvg_wasm.ts";
import { FIRST_DRAWING } from "./worker_warm_up.ts";
import { AppError } from "@/lib/errors.ts";
import type { WorkerReply, WorkerRequest } from "./render_pool.ts";
import type { RenderJob, RenderOutput } from "./render_job.ts";

if (!parentPort) throw new Error("render_worker.ts runs as a worker thread");
const port = parentPort;

/** Posts a job's outcome; PNG bytes are moved, not copied. */
function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

const modules = Promise.all([
  import("./raster.ts"),
  import("./render_job.ts"),
]);
const initialized = Promise.withResolvers<void>();
let queue: Promise<void> = initialized.promise;
let maxOutputBytes: number | undefined;

port.on("message", (request: WorkerRequest) => {
  if (request.type === "init") {
    if (request.wasm) useCompiledResvg(request.wasm);
    else compileResvg().catch(() => {}); // a failure surfaces in the first job
    configureFonts(request.fontPaths);
    maxOutputBytes = request.maxOutputBytes;
    initialized.resolve();
    // After any job already waiting, before the ones still to come.
    if (request.warmUp) queue = queue.then(warmUp);
    return;
  }
  queue = queue.then(() => handle(request.id, request.job));
});

/** Draws FIRST_DRAWING and drops it; a failure is the next job's to meet. */
async function warmUp(): Promise<void> {
  try {
    const [raster, { runJob }] = await modules;
    await runJob(raster, FIRST_DRAWING, maxOutputBytes);
  } catch {
    // Not drawn: the first real job pays for the cold start instead.
  }
}

/** The output's byte buffers, moved to the pool rather than copied. */
function transferable(output: RenderOutput): ArrayBuffer[] {
  switch (output.kind) {
    case "png":
      return [output.bytes.buffer];
    case "vector":
      return output.pdf ? [output.pdf.buffer] : [];
    case "svg":
      return [];
  }
}

async function handle(id: number, job: RenderJob): Promise<void> {
  let loaded: Awaited<typeof modules>;
  try {
    loaded = await modules;
  } catch (error) {
    // Not the option's fault: the pool reports it as a server error.
    const message = error instanceof Error ? error.message : String(error);
    reply({ id, ok: false, message, fatal: true });
    return;
  }
  try {
    const [raster, { runJob }] = loaded;
    // The pool's RENDER_TIMEOUT counts from here.
    reply({ id, started: true });
    const output = await runJob(raster, job, maxOutputBytes);
    reply(
      { id, ok: true, output },
      transferable(output),
    );
  } catch (error) {
    reply({
      id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      fatal: error instanceof WebAssembly.RuntimeError,
      ...(error instanceof AppError
        ? { refused: { code: error.code, message: error.message } }
        : {}),
    });
  }
}
