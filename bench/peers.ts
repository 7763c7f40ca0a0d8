/**
 * `deno task bench:peers`: the four peer charts (../shared/bench) drawn in
 * one run by Chartroom, native resvg (`@resvg/resvg-js` under Node) and a
 * warm headless Chromium (`playwright-core`, /usr/bin/chromium), each figure
 * printed with its ratio to Chartroom's (2.0× = twice Chartroom's time or
 * memory). The Node packages are installed into bench/peers/ on first run.
 *
 * Figures: warm median per PNG after 10 warm-up renders; cold = process
 * start to first PNG written (median of 3); memory = peak resident set while
 * rendering (Chromium: the browser's processes included).
 */
import { renderPng } from "@/lib/drawing/png.ts";
import { closeRenderPool } from "@/lib/drawing/render_pool.ts";
import { loadPeerCharts, PEER_CHARTS_URL, PEER_SIZE } from "./_peer_charts.ts";

const ROOT = new URL("../", import.meta.url);
const PEERS_DIR = new URL("bench/peers/", ROOT);
const CHARTS = ["line", "bar", "pie", "scatter"] as const;
const WARM_UP = 10;

interface Figures {
  warm: Record<string, number>;
  cold: number;
  memory: number;
}

const peers = await loadPeerCharts();
if (!peers) {
  console.error("bench:peers: peer-charts.json not found");
  Deno.exit(1);
}

async function ensurePeerPackages(): Promise<void> {
  const marker = new URL(
    "node_modules/@resvg/resvg-js/package.json",
    PEERS_DIR,
  );
  if (await Deno.stat(marker).then(() => true, () => false)) return;
  console.log("installing the peer renderers into bench/peers/ (npm install)");
  const npm = await new Deno.Command("npm", {
    args: ["install", "--no-audit", "--no-fund"],
    cwd: PEERS_DIR,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!npm.success) throw new Error("npm install in bench/peers failed");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `command` and returns ms from spawn until it prints "written". */
async function timeToWritten(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = new Deno.Command(command, {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let text = "";
  let written = NaN;
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    if (Number.isNaN(written) && text.includes("written")) {
      written = performance.now() - started;
    }
  }
  if (!(await child.status).success || Number.isNaN(written)) {
    throw new Error(`${command} ${args.join(" ")} failed`);
  }
  return written;
}

async function coldMedian(command: string, args: (out: string) => string[]) {
  const out = await Deno.makeTempFile({ suffix: ".png" });
  try {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(await timeToWritten(command, args(out)));
    }
    return median(runs);
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

async function chartroom(): Promise<Figures> {
  const warm: Record<string, number> = {};
  let memory = 0;
  for (const name of CHARTS) {
    const option = peers![name];
    for (let i = 0; i < WARM_UP; i++) await renderPng(option, PEER_SIZE);
    const times: number[] = [];
    for (let i = 0; i < (name === "scatter" ? 15 : 30); i++) {
      const started = performance.now();
      await renderPng(option, PEER_SIZE);
      times.push(performance.now() - started);
      memory = Math.max(memory, Deno.memoryUsage().rss / 1048576);
    }
    warm[name] = median(times);
  }
  await closeRenderPool();
  const cold = await coldMedian(Deno.execPath(), (out) => [
    "run",
    "-A",
    "bench/cold_png.ts",
    out,
  ]);
  return { warm, cold, memory };
}

async function peer(renderer: "resvg" | "chromium"): Promise<Figures> {
  const script = new URL("scripts/bench_peers.mjs", ROOT).pathname;
  const charts = PEER_CHARTS_URL.pathname;
  const output = await new Deno.Command("node", {
    args: [script, "warm", renderer, charts],
    cwd: ROOT,
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`${renderer}: warm run failed`);
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  const cold = await coldMedian("node", (out) => [
    script,
    "cold",
    renderer,
    charts,
    out,
  ]);
  return { warm: result.warm, cold, memory: result.peak_rss_mb };
}

await ensurePeerPackages();
const rows: [string, Figures][] = [
  [
    "Chartroom (ECharts SSR → resvg-wasm, worker pool, Deno)",
    await chartroom(),
  ],
  ["ECharts SSR → native resvg (@resvg/resvg-js, Node)", await peer("resvg")],
  [
    "warm headless Chromium (playwright-core, ECharts canvas)",
    await peer("chromium"),
  ],
];

const base = rows[0][1];
const cell = (
  value: number,
  reference: number,
  unit: string,
  first: boolean,
) => {
  const text = unit === "MB"
    ? `${Math.round(value)} MB`
    : value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${value.toFixed(1)} ms`;
  return first ? text : `${text} (${(value / reference).toFixed(2)}×)`;
};
console.log(
  "\nPeer charts at 800×400 @2x, one run; (n×) = the figure divided by Chartroom's\n",
);
console.log(
  "| renderer | line | bar | pie | scatter | cold | memory |\n|---|---:|---:|---:|---:|---:|---:|",
);
for (const [i, [name, figures]] of rows.entries()) {
  const cells = [
    ...CHARTS.map((c) => cell(figures.warm[c], base.warm[c], "ms", i === 0)),
    cell(figures.cold, base.cold, "ms", i === 0),
    cell(figures.memory, base.memory, "MB", i === 0),
  ];
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
