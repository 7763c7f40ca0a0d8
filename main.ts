/** Entry point: `deno task start`. Reads config, opens KV and serves. */
import { ConfigError, configFromEnv } from "./fresh.config.ts";
import manifest from "./fresh.gen.ts";
import { startServer } from "./lib/server.ts";

try {
  await startServer(configFromEnv(), manifest);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}
