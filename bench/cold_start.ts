/**
 * Cold start of the server, as a person meets it: the server process started
 * the way `deno task start` starts it (its permissions and V8 flags), and
 * `POST /api/render` of the peer line chart (800×400 @2x) sent until it
 * answers; the time is from spawning the process to the PNG written to a
 * file. Median of five fresh processes, without and with the renderer
 * warm-up (RENDER_WARMUP), each on its own new KV file. The server's CPU time
 * by then (all its threads) is printed too: on a machine other work keeps
 * busy it varies far less than the wall time.
 *
 * Run: deno run -A bench/cold_start.ts [runs]
 */
import { loadConfig } from "@/lib/config.ts";
import { serverArgs, START_ENV } from "@/scripts/start.ts";
import { freePort } from "@/tests/_instances.ts";
import { loadPeerCharts, PEER_SIZE } from "./_peer_charts.ts";

const RUNS = Number(Deno.args[0] ?? 5);
const ROOT = new URL("../", import.meta.url);
const peers = await loadPeerCharts();
if (!peers) {
  console.warn("cold_start: peer-charts.json not found; skipping");
  Deno.exit(0);
}
const body = JSON.stringify({ option: peers.line, ...PEER_SIZE });

/** A process's CPU time so far (user + system, every thread) in ms, from /proc (Linux; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]
      .split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function once(
  warmup: "on" | "off",
): Promise<{ ms: number; cpuMs: number }> {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-cold-" });
  const env = {
    PORT: String(freePort()),
    HOSTNAME: "127.0.0.1",
    KV_PATH: `${dir}/cold.kv`,
    LOG_LEVEL: "warn",
    RENDER_WARMUP: warmup,
  };
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs(loadConfig(env), { cwd: ROOT.pathname }),
    cwd: ROOT,
    env: { ...START_ENV, ...env },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    const url = `http://127.0.0.1:${env.PORT}/api/render`;
    for (;;) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }).catch(() => null);
      if (response?.ok) {
        await Deno.writeFile(
          `${dir}/first.png`,
          new Uint8Array(await response.arrayBuffer()),
        );
        return { ms: performance.now() - started, cpuMs: cpuMs(child.pid) };
      }
      await response?.body?.cancel();
      if (performance.now() - started > 60_000) throw new Error("no PNG");
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill();
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () => Deno.loadavg()[0].toFixed(1);
for (const warmup of ["off", "on"] as const) {
  const loadBefore = load();
  const runs: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(warmup));
  const times = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs);
  console.log(
    `server cold start, process start → first PNG written (RENDER_WARMUP=${warmup}): median ${
      median(times).toFixed(0)
    } ms (${times.map((t) => t.toFixed(0)).join(", ")}); server CPU by then ${
      median(cpu).toFixed(0)
    } ms (${
      cpu.join(", ")
    }); load average ${loadBefore} → ${load()} on ${navigator.hardwareConcurrency} cores`,
  );
}
