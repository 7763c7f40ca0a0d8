/**
 * Scaling out on one machine: chat turns per second served by one app process
 * and by three processes sharing one KV file, under the same load (N clients,
 * each sending turns back to back in its own session, spread round-robin over
 * the processes), with GET /health timed every 100 ms throughout. Both setups
 * run side by side and are measured in turns (one, three, one, three, ...), so
 * the ratio of each pair holds while a shared machine's speed drifts; the
 * medians are quoted. The servers' CPU use is read from /proc: on a machine
 * other work keeps busy, turns per server CPU-second tell how much sharing
 * the store costs each process when the cores themselves are not free.
 *
 * Run: deno run -A bench/instances.ts [--rounds=3] [--seconds=8] [--clients=8]
 *      [--kv-dir=DIR]
 * (`--kv-dir=/dev/shm` puts the KV files in memory, which shows the processes'
 * own scaling apart from the disk's: Deno KV syncs the file to disk on every
 * commit, and one file takes one commit at a time.)
 */
import { Client } from "@/tests/_fixtures.ts";
import { type AppProcess, spawnApp } from "@/tests/_instances.ts";

const arg = (name: string, fallback: string) =>
  Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ??
    fallback;
const ROUNDS = Number(arg("rounds", "3"));
const SECONDS = Number(arg("seconds", "8"));
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

const median = (values: number[]) => percentile(values, 0.5);

/** KV commits (and sets and deletes) and busy-lock retries so far, summed over `apps`, from /metrics. */
async function storeWrites(apps: AppProcess[]) {
  let writes = 0;
  let busy = 0;
  for (const app of apps) {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    for (
      const [, op, n] of text.matchAll(
        /^chartroom_kv_operation_duration_seconds_count\{op="(\w+)"\} (\d+)/gm,
      )
    ) {
      if (op === "commit" || op === "set" || op === "delete") writes += +n;
    }
    busy += Number(
      /^chartroom_kv_busy_retries_total (\d+)/m.exec(text)?.[1] ?? 0,
    );
  }
  return { writes, busy };
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

interface Setup {
  apps: AppProcess[];
  clients: { client: Client; sessionId: string }[];
}

/** Starts `processes` app processes on one new KV file, with a session per client, warmed up. */
async function setUp(processes: number, dir: string): Promise<Setup> {
  const kvPath = `${dir}/p${processes}.kv`;
  const apps = [await spawnApp(kvPath, ENV)];
  apps.push(
    ...await Promise.all(
      Array.from({ length: processes - 1 }, () => spawnApp(kvPath, ENV)),
    ),
  );
  const urls = apps.map((a) => a.url);
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const client = new Client(
        urls.map((_, j) => urls[(i + j) % urls.length]),
      );
      return { client, sessionId: await client.createSession() };
    }),
  );
  // Every process answers every prompt once (JIT, query caches) before timing.
  for (let n = 0; n < PROMPTS.length; n++) {
    await Promise.all(
      clients.map(({ client, sessionId }, i) =>
        turn(client, sessionId, PROMPTS[(i + n) % PROMPTS.length])
      ),
    );
  }
  return { apps, clients };
}

/** Runs the load for SECONDS; returns turns/s, server CPU and /health latencies. */
async function measure({ apps, clients }: Setup) {
  let done = 0;
  let failed = 0;
  const health: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const healthLoop = (async () => {
    for (let i = 0; performance.now() < until; i++) {
      const started = performance.now();
      const r = await fetch(`${apps[i % apps.length].url}/health`);
      await r.body?.cancel();
      health.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const writesBefore = await storeWrites(apps);
  const cpuBefore = apps.map((a) => cpuSeconds(a.pid));
  const clientBefore = cpuSeconds(Deno.pid);
  const started = performance.now();
  await Promise.all(clients.map(async ({ client, sessionId }, i) => {
    for (let n = i; performance.now() < until; n++) {
      if (await turn(client, sessionId, PROMPTS[n % PROMPTS.length])) done++;
      else failed++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const cores =
    apps.reduce((sum, a, i) => sum + cpuSeconds(a.pid) - cpuBefore[i], 0) /
    elapsed;
  const clientCores = (cpuSeconds(Deno.pid) - clientBefore) / elapsed;
  await healthLoop;
  const writesAfter = await storeWrites(apps);
  return {
    turnsPerSecond: done / elapsed,
    failed,
    cores,
    clientCores,
    health,
    writesPerTurn: (writesAfter.writes - writesBefore.writes) / done,
    busyPerTurn: (writesAfter.busy - writesBefore.busy) / done,
  };
}

const dir = await Deno.makeTempDir({
  prefix: "chartroom-scale-",
  ...(KV_DIR ? { dir: KV_DIR } : {}),
});
const loadBefore = Deno.loadavg()[0].toFixed(1);
const one = await setUp(1, dir);
const three = await setUp(3, dir);
try {
  const rounds: {
    one: Awaited<ReturnType<typeof measure>>;
    three: Awaited<ReturnType<typeof measure>>;
  }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push({ one: await measure(one), three: await measure(three) });
  }
  const fmt = (runs: Awaited<ReturnType<typeof measure>>[]) => {
    const health = runs.flatMap((r) => r.health);
    return `${median(runs.map((r) => r.turnsPerSecond)).toFixed(1)} turns/s (${
      runs.map((r) => r.turnsPerSecond.toFixed(1)).join(", ")
    }; ${runs.reduce((n, r) => n + r.failed, 0)} failed; CPU: servers ${
      median(runs.map((r) => r.cores)).toFixed(2)
    } cores, ${
      median(runs.map((r) => r.turnsPerSecond / r.cores)).toFixed(0)
    } turns per server CPU-second, load generator ${
      median(runs.map((r) => r.clientCores)).toFixed(2)
    } cores); KV writes ${
      median(runs.map((r) => r.writesPerTurn)).toFixed(1)
    } a turn, busy-lock retries ${
      median(runs.map((r) => r.busyPerTurn)).toFixed(2)
    } a turn; /health p50 ${percentile(health, 0.5).toFixed(1)} ms, p99 ${
      percentile(health, 0.99).toFixed(1)
    } ms, max ${Math.max(...health).toFixed(1)} ms`;
  };
  const ratios = rounds.map((r) =>
    r.three.turnsPerSecond / r.one.turnsPerSecond
  );
  const health3 = rounds.flatMap((r) => r.three.health);
  console.log(
    `instances (${CLIENTS} clients, ${ROUNDS} × ${SECONDS} s each, ${navigator.hardwareConcurrency} cores, KV file in ${
      KV_DIR || "the temp folder"
    }, no word pacing, load average ${loadBefore} → ${
      Deno.loadavg()[0].toFixed(1)
    })`,
  );
  console.log(`  1 process:   ${fmt(rounds.map((r) => r.one))}`);
  console.log(`  3 processes: ${fmt(rounds.map((r) => r.three))}`);
  console.log(
    `  speed-up ${median(ratios).toFixed(2)}× median (${
      ratios.map((r) => r.toFixed(2)).join(", ")
    }; target ≥ 1.6×), /health p99 with 3 processes ${
      percentile(health3, 0.99).toFixed(1)
    } ms (target ≤ 50 ms)`,
  );
} finally {
  for (const app of [...one.apps, ...three.apps]) {
    await app[Symbol.asyncDispose]();
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
