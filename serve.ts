/**
 * Entry point for `deno serve`, which can run one instance per core in one
 * process (`deno task start --parallel`, or `deno serve --parallel serve.ts`
 * with the permissions README's Deploy section lists). Each worker is a full
 * instance on the shared store; they share nothing in memory.
 */
import { ConfigError, configFromEnv } from "@/lib/config.ts";
import manifest from "./fresh.gen.ts";
import { createInstance } from "@/lib/server.ts";
import { StoreError } from "@/lib/kv/open.ts";
import { scheduleHousekeeping } from "@/lib/jobs/cron.ts";
import { warmUpRenderer } from "@/lib/drawing/warm_up.ts";
import { getRenderPool } from "@/lib/drawing/render_pool.ts";

let instance;
let config;
try {
  config = configFromEnv();
  instance = await createInstance(config, manifest);
} catch (error) {
  if (error instanceof ConfigError || error instanceof StoreError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}
const running = instance;
scheduleHousekeeping(running.housekeeping);
if (config.RENDER_WARMUP === "on") warmUpRenderer(getRenderPool());

// Hand running jobs back before the process goes, so another instance takes
// them up at once instead of after their lease.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  try {
    Deno.addSignalListener(signal, async () => {
      await running.stop();
      Deno.exit(0);
    });
  } catch {
    // Hosts without signals stop the isolate themselves.
  }
}

export default { fetch: running.fetch } satisfies Deno.ServeDefaultExport;
