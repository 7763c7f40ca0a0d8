/**
 * A SQL worker (started by sql_pool.ts): runs one sandboxed statement at a
 * time with sqlite-wasm (loaded once) and posts its rows or its DataError
 * back, with how much memory the worker now holds.
 */
import { parentPort } from "node:worker_threads";
import { getHeapStatistics } from "node:v8";
import {
  engineMemoryBytes,
  executeSandboxed,
  loadEngine,
} from "./sandbox_engine.ts";
import {
  errorReply,
  type SqlStarted,
  type SqlWorkerReply,
  type SqlWorkerRequest,
} from "./sql_pool.ts";

if (!parentPort) throw new Error("sql_worker.ts runs as a worker thread");
const port = parentPort;
let queue = Promise.resolve();

port.on("message", (request: SqlWorkerRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: SqlWorkerRequest): Promise<void> {
  let reply: SqlWorkerReply;
  try {
    // The deadline counts from here: loading the engine is not the query's.
    await loadEngine();
    port.postMessage({ id: request.id, started: true } satisfies SqlStarted);
    const result = await executeSandboxed(
      request.image,
      request.sql,
      request.options,
    );
    reply = {
      id: request.id,
      ok: true,
      result,
      heldBytes: await heldBytes(),
    };
  } catch (error) {
    reply = {
      ...errorReply(request.id, error),
      heldBytes: await heldBytes(),
    };
  }
  port.postMessage(reply);
}

/** Memory this worker holds: the engine's WebAssembly memory and its JS heap. */
async function heldBytes(): Promise<number> {
  return await engineMemoryBytes() + getHeapStatistics().total_heap_size;
}
