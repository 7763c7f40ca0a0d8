/**
 * `deno task start`: runs the server with only the permissions it needs. It
 * may write to the folder of its KV file (`KV_PATH`, wherever that is) and
 * nowhere else; `:memory:`, a KV Connect URL and Deploy need no write access.
 * `--parallel` serves through `deno serve --parallel` (one instance per core,
 * one process). Signals are passed on; the exit code is the server's.
 */
import { dirname, resolve } from "node:path";
import { type Config, ConfigError, configFromEnv } from "@/lib/config.ts";
import { storeKind } from "@/lib/kv/open.ts";

/**
 * The environment `deno task start` sets: a fixed malloc mmap threshold, so
 * the 5 MB pixel buffers of each render go back to the system when freed.
 */
export const START_ENV = {
  GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072",
};

/**
 * V8 flags `deno task start` runs the server with. A higher Wasm tiering budget
 * keeps resvg on V8's baseline code for the first drawing instead of compiling
 * its hot functions with the optimising compiler while that drawing runs: on
 * two cores that background compile took the CPU the first PNG needed (about
 * a quarter of a cold start's CPU and wall time). They are compiled a few
 * drawings later instead; from the twentieth on, drawing costs the same.
 */
export const START_V8_FLAGS = ["--wasm-tiering-budget=100000000"];

/** Returns the `deno` arguments that run the server for `config`. */
export function serverArgs(
  config: Config,
  options: { parallel?: boolean; cwd?: string } = {},
): string[] {
  const permissions = [
    `--v8-flags=${START_V8_FLAGS.join(",")}`,
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-sys",
  ];
  const kind = storeKind(config.KV_PATH, !!config.DENO_DEPLOYMENT_ID);
  if (kind === "file") {
    const file = resolve(options.cwd ?? Deno.cwd(), config.KV_PATH);
    permissions.push(`--allow-write=${dirname(file)}`);
  }
  if (!options.parallel) return ["run", ...permissions, "main.ts"];
  return [
    "serve",
    "--parallel",
    `--port=${config.PORT}`,
    `--host=${config.HOSTNAME}`,
    ...permissions,
    "serve.ts",
  ];
}

if (import.meta.main) {
  let config: Config;
  try {
    config = configFromEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    Deno.exit(1);
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs(config, { parallel: Deno.args.includes("--parallel") }),
    cwd: new URL("../", import.meta.url),
    env: START_ENV,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    });
  }
  const status = await child.status;
  Deno.exit(status.code);
}
