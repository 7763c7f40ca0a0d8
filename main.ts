/** Entry point: `deno task start`. Reads config, opens KV and serves. */
import { ConfigError, configFromEnv } from "./fresh.config.ts";
import manifest from "./fresh.gen.ts";
import { startServer } from "./lib/server.ts";
import { StoreError } from "./lib/kv/open.ts";
import { scheduleHousekeeping } from "./lib/jobs/cron.ts";

let running;
try {
  running = await startServer(configFromEnv(), manifest);
} catch (error) {
  if (error instanceof ConfigError || error instanceof StoreError) {
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
