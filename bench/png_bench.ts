/**
 * PNG render benchmark: the four peer charts of shared/bench (line 1,000
 * points, bar 50×3, pie 8 slices, scatter 10,000 points) at 800×400, scale 2,
 * plus a 1,000-point line compiled from a chart spec. Run: deno task bench.
 */
import { renderPng } from "../lib/charts/png.ts";
import { compileOption } from "../lib/charts/compile.ts";
import type { ChartSpec, Snapshot } from "../lib/charts/spec.ts";

const SIZE = { width: 800, height: 400, scale: 2 };
const PEER_CHARTS = new URL(
  "../../shared/bench/peer-charts.json",
  import.meta.url,
);

async function loadPeerCharts(): Promise<
  Record<string, Record<string, unknown>> | null
> {
  try {
    const file = JSON.parse(await Deno.readTextFile(PEER_CHARTS));
    return file.charts;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

const peers = await loadPeerCharts();
if (peers === null) {
  console.warn(
    `png_bench: ${PEER_CHARTS.pathname} not found; skipping the peer charts`,
  );
} else {
  for (const [name, option] of Object.entries(peers)) {
    Deno.bench({
      name: `png: peer ${name} 800×400 @2x`,
      group: "peer",
      async fn() {
        await renderPng(option, SIZE);
      },
    });
  }
}

const lineSpec: ChartSpec = {
  type: "line",
  title: "Daily value (1,000 points)",
  x: "day",
  series: ["value"],
  yLabel: "Value (units)",
};
const lineSnapshot: Snapshot = {
  columns: [
    { name: "day", type: "date", label: "Day" },
    { name: "value", type: "number", label: "Value" },
  ],
  rows: Array.from({ length: 1000 }, (_, i) => [
    new Date(Date.UTC(2022, 0, 1 + i)).toISOString().slice(0, 10),
    Math.round((100 + 10 * Math.sin(i / 25) + (i % 13) / 3) * 100) / 100,
  ]),
};

Deno.bench({
  name: "png: compiled line 1,000 points (compile + render)",
  group: "compiled",
  async fn() {
    await renderPng(compileOption(lineSpec, lineSnapshot), SIZE);
  },
});
