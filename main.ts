/** Entry point: `deno task start`. Reads config, opens KV and serves. */
import { ConfigError, configFromEnv } from "@/lib/config.ts";
import { spawnEarlyWorker } from "@/lib/drawing/worker_spawn.ts";

let config;
try {
  config = configFromEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}
// With the warm-up on, the first render worker starts before anything else
// is imported: it loads ECharts and resvg on its own thread while this one
// loads the app, and the pool takes it as its first worker.
if (config.RENDER_WARMUP === "on" && config.RENDER_WORKERS !== 0) {
  spawnEarlyWorker();
}
const [
  { default: manifest },
  { startServer },
  { scheduleHousekeeping },
  { StoreError },
  { prestartRenderer },
] = await Promise.all([
  import("./fresh.gen.ts"),
  import("@/lib/server.ts"),
  import("@/lib/jobs/cron.ts"),
  import("@/lib/kv/open.ts"),
  import("@/lib/drawing/pool_config.ts"),
]);
prestartRenderer(config);

let running;
try {
  running = await startServer(config, manifest);
} catch (error) {
  if (error instanceof StoreError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}
scheduleHousekeeping(running.instance.housekeeping);

// Stop cleanly on Ctrl-C or a stop signal: end streams, finish requests, close KV.
const server = running;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  try {
    Deno.addSignalListener(signal, async () => {
      await server[Symbol.asyncDispose]();
      Deno.exit(0);
    });
  } catch {
    // Hosts without signals (Deno Deploy) stop the isolate themselves.
  }
}
