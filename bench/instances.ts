/**
 * Scaling out on one machine: chat turns per second served by one app process
 * and by three processes sharing one KV file, under the same load (N clients,
 * each sending turns back to back in its own session, spread round-robin over
 * the processes), with GET /health timed every 100 ms throughout.
 *
 * Run: deno run -A bench/instances.ts [--seconds=20] [--clients=8] [--kv-dir=DIR]
 * (`--kv-dir=/dev/shm` puts the KV file in memory, to show what the disk's
 * fsync per commit costs).
 */
import { Client } from "../tests/_fixtures.ts";
import { type AppProcess, spawnApp } from "../tests/_instances.ts";

const arg = (name: string, fallback: string) =>
  Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ??
    fallback;
const SECONDS = Number(arg("seconds", "20"));
const CLIENTS = Number(arg("clients", "8"));
const KV_DIR = arg("kv-dir", "");
const PROMPTS = [
  "line chart of pm25 by date for Kampala",
  "bar chart of average no2 per city",
  "monthly average roe by bank",
  "pie chart of total revenue by region",
];
const ENV = { STREAM_WORD_DELAY_MS: "0", RENDER_WORKERS: "1" };

/** A process's CPU seconds so far (user + system), from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Sends one turn and reads its stream to the end; returns whether it ended with `done`. */
async function turn(client: Client, sessionId: string, prompt: string) {
  const response = await client.json(
    `/api/sessions/${sessionId}/messages`,
    "POST",
    { content: prompt },
  );
  const text = await response.text();
  return response.ok && text.includes("event: done");
}

async function measure(processes: number) {
  const dir = await Deno.makeTempDir({
    prefix: "chartroom-scale-",
    ...(KV_DIR ? { dir: KV_DIR } : {}),
  });
  const kvPath = `${dir}/bench.kv`;
  const apps: AppProcess[] = [await spawnApp(kvPath, ENV)];
  apps.push(
    ...await Promise.all(
      Array.from({ length: processes - 1 }, () => spawnApp(kvPath, ENV)),
    ),
  );
  try {
    const urls = apps.map((a) => a.url);
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const client = new Client(
          urls.map((_, j) => urls[(i + j) % urls.length]),
        );
        return { client, sessionId: await client.createSession() };
      }),
    );
    // Warm up every process (JIT, query caches) before timing.
    await Promise.all(
      clients.map(({ client, sessionId }, i) =>
        turn(client, sessionId, PROMPTS[i % PROMPTS.length])
      ),
    );
    let done = 0;
    let failed = 0;
    const health: number[] = [];
    const until = performance.now() + SECONDS * 1000;
    const healthLoop = (async () => {
      for (let i = 0; performance.now() < until; i++) {
        const started = performance.now();
        const r = await fetch(`${urls[i % urls.length]}/health`);
        await r.body?.cancel();
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const cpuBefore = apps.map((a) => cpuSeconds(a.pid));
    const started = performance.now();
    await Promise.all(clients.map(async ({ client, sessionId }, i) => {
      for (let n = i; performance.now() < until; n++) {
        if (await turn(client, sessionId, PROMPTS[n % PROMPTS.length])) done++;
        else failed++;
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    const cpu = apps.map((a, i) =>
      (cpuSeconds(a.pid) - cpuBefore[i]) / elapsed
    );
    await healthLoop;
    return {
      cores: cpu.reduce((a, b) => a + b, 0),
      turnsPerSecond: done / elapsed,
      failed,
      healthP50: percentile(health, 0.5),
      healthP99: percentile(health, 0.99),
      healthMax: Math.max(...health),
    };
  } finally {
    for (const app of apps) await app[Symbol.asyncDispose]();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const one = await measure(1);
const three = await measure(3);
const fmt = (r: typeof one) =>
  `${r.turnsPerSecond.toFixed(2)} turns/s (${r.failed} failed, server CPU ${
    r.cores.toFixed(2)
  } cores); /health p50 ${r.healthP50.toFixed(1)} ms, p99 ${
    r.healthP99.toFixed(1)
  } ms, max ${r.healthMax.toFixed(1)} ms`;
console.log(
  `instances (${CLIENTS} clients, ${SECONDS} s each, ${navigator.hardwareConcurrency} cores, KV file in ${
    KV_DIR || "the temp folder"
  }, no word pacing)`,
);
console.log(`  1 process:   ${fmt(one)}`);
console.log(`  3 processes: ${fmt(three)}`);
console.log(
  `  speed-up ${
    (three.turnsPerSecond / one.turnsPerSecond).toFixed(2)
  }× (target ≥ 1.6×), /health p99 with 3 processes ${
    three.healthP99.toFixed(1)
  } ms (target ≤ 50 ms)`,
);
