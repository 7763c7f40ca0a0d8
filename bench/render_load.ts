/**
 * Render service benchmark (part of `deno task bench`), against processes and
 * a server it starts itself, on 127.0.0.1 only, with bounded request loops:
 *
 * - cold start: a fresh `deno run bench/cold_png.ts` from spawn to its first
 *   PNG written (median of 5);
 * - memory: resident set after two rounds of 500 mixed renders in a fresh
 *   process (bench/memory_png.ts), with glibc's malloc defaults and with
 *   the setting `deno task start` uses (START_ENV);
 * - throughput: a server (`main.ts`, its own process) gets POST /api/render
 *   of distinct peer charts (800×400 @2x, no cache hits) one at a time, then
 *   8 at a time, with GET /health timed every 25 ms during the concurrent run;
 * - a cached repeat: the same request again (served from KV), median.
 *
 * Run: deno run -A bench/render_load.ts
 */
import { loadPeerCharts, PEER_SIZE } from "./_peer_charts.ts";
import { START_ENV, startServerProcess } from "./_server.ts";
import { START_V8_FLAGS } from "@/scripts/start.ts";

const ROOT = new URL("../", import.meta.url);
const peers = await loadPeerCharts();
if (!peers) {
  console.warn("render_load: peer-charts.json not found; skipping");
  Deno.exit(0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function coldStart(): Promise<number> {
  const out = await Deno.makeTempFile({ suffix: ".png" });
  try {
    const started = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      // With the V8 flags `deno task start` gives the server.
      args: [
        "run",
        "-A",
        `--v8-flags=${START_V8_FLAGS.join(",")}`,
        "bench/cold_png.ts",
        out,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let text = "";
    let written = NaN;
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      if (Number.isNaN(written) && text.includes("written")) {
        written = performance.now() - started;
      }
    }
    const status = await child.status;
    if (!status.success || Number.isNaN(written)) {
      throw new Error("cold_png.ts failed");
    }
    return written;
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

async function memory(env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/memory_png.ts", "500"],
    cwd: ROOT,
    env,
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error("memory_png.ts failed");
  const line = new TextDecoder().decode(output.stdout).trim().split("\n")
    .pop()!;
  return JSON.parse(line) as {
    rss_mb_after_round: number[];
    peak_rss_mb: number;
  };
}

console.log("render service benchmark (2-core machine figures in README)\n");

// `--server-only` skips the cold-start and memory runs.
const serverOnly = Deno.args.includes("--server-only");

const colds: number[] = [];
for (let i = 0; i < (serverOnly ? 0 : 5); i++) colds.push(await coldStart());
if (!serverOnly) {
  console.log(
    `cold start, process start → first PNG written: median ${
      ms(median(colds))
    } (runs: ${colds.map((v) => v.toFixed(0)).join(", ")})`,
  );
  const settings = [
    { name: "malloc defaults", env: {} },
    { name: "as deno task start", env: START_ENV },
  ];
  for (const { name, env } of settings) {
    const m = await memory(env);
    console.log(
      `memory, 2 × 500 mixed renders (${name}): RSS ${
        m.rss_mb_after_round.join(" → ")
      } MB, peak ${m.peak_rss_mb} MB`,
    );
  }
}

await using server = await startServerProcess();
const url = `${server.url}/api/render`;
const charts = Object.values(peers);
let unique = 0;
/** A distinct request each time (the title differs), so nothing is cached. */
const fresh = () => {
  const option = charts[unique % charts.length];
  const title = { ...(option.title as object), text: `Run ${unique++}` };
  return { option: { ...option, title }, ...PEER_SIZE };
};
const post = async (body: unknown) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`render: ${response.status}`);
};

// Warm both workers: every chart on each, a few times.
for (let i = 0; i < 6; i++) {
  await Promise.all(charts.flatMap(() => [post(fresh()), post(fresh())]));
}

const total = 64;
let started = performance.now();
for (let i = 0; i < total; i++) await post(fresh());
const single = total / ((performance.now() - started) / 1000);

const health: number[] = [];
let probing = true;
const probe = (async () => {
  while (probing) {
    const t = performance.now();
    const response = await fetch(`${server.url}/health`);
    await response.arrayBuffer();
    health.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
})();
started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < total) {
      next++;
      await post(fresh());
    }
  }),
);
const concurrent = total / ((performance.now() - started) / 1000);
probing = false;
await probe;
console.log(
  `throughput, POST /api/render (peer charts, 800×400 @2x, no cache): 1 stream ${
    single.toFixed(1)
  }/s, 8 concurrent ${concurrent.toFixed(1)}/s = ${
    (concurrent / single).toFixed(2)
  }× (${total} renders each)`,
);
console.log(
  `GET /health during the 8-concurrent run: median ${ms(median(health))}, p95 ${
    ms(percentile(health, 0.95))
  }, max ${ms(Math.max(...health))} (${health.length} probes)`,
);

const repeat = { option: peers.line, ...PEER_SIZE };
await post(repeat);
const cached: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  await post(repeat);
  cached.push(performance.now() - t);
}
console.log(
  `cached repeat (line chart, served from KV): median ${
    ms(median(cached))
  }, p95 ${ms(percentile(cached, 0.95))}`,
);
