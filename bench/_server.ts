/**
 * A Chartroom server for benchmarks: `main.ts` in its own process, on
 * 127.0.0.1, with a temporary KV file and the environment and V8 flags
 * `deno task start` sets, so its resident memory can be read apart from the benchmark's own.
 */

import { START_ENV, START_V8_FLAGS } from "@/scripts/start.ts";

export { START_ENV };

const ROOT = new URL("../", import.meta.url);

/** A running server process; dispose to stop it and remove its KV. */
export interface ServerProcess extends AsyncDisposable {
  url: string;
  pid: number;
  /** The process's resident set size in bytes, from /proc (Linux). */
  rss(): number;
}

/**
 * Starts `main.ts` with `env` added to START_ENV and waits until it answers
 * and has warmed its renderer up.
 */
export async function startServerProcess(
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-bench-" });
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--v8-flags=${START_V8_FLAGS.join(",")}`, "main.ts"],
    cwd: ROOT,
    env: {
      ...START_ENV,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      KV_PATH: `${dir}/bench.kv`,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const stop = async () => {
    try {
      child.kill();
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    // Up once it answers and its renderer warm-up (RENDER_WARMUP) is over,
    // so a benchmark measures the server as a user meets it.
    const ready = await fetch(`${url}/health`).then(
      async (r) => r.ok && (await r.json()).renderer_warmup !== "running",
      () => false,
    );
    if (ready) {
      return {
        url,
        pid: child.pid,
        rss: () => residentBytes(child.pid),
        [Symbol.asyncDispose]: stop,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error("the server did not start");
}

/** Returns a process's resident set size in bytes (VmRSS in /proc). */
export function residentBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

/** Returns the CPU time (user + system, every thread) a process has used, in ms. */
export function cpuMillis(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) start at ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10;
}

/** Samples a server's resident set size every 20 ms until `stop`, which returns the RSS before and the peak. */
export function sampleRss(server: ServerProcess) {
  const before = server.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rss());
  }, 20);
  return {
    stop() {
      clearInterval(sampler);
      return { before, peak: Math.max(peak, server.rss()) };
    },
  };
}
