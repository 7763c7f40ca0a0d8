/**
 * PNG render benchmark: the four peer charts of shared/bench (line 1,000
 * points, bar 50×3, pie 8 slices, scatter 10,000 points) at 800×400, scale 2,
 * through `renderPng` (the worker pool), after 10 warm-up renders each as the
 * peer figures were measured; then the same charts the naive way (ECharts SVG
 * straight through resvg, in process) for comparison, and a 1,000-point line
 * compiled from a chart spec. Run: deno task bench (or deno bench -A bench/png_bench.ts).
 */
import { closeRenderPool } from "@/lib/drawing/render_pool.ts";
import { renderPng } from "@/lib/drawing/png.ts";
import { referencePng } from "@/lib/drawing/raster.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import type { ChartSpec, Snapshot } from "@/lib/charts/spec.ts";
import { loadPeerCharts, PEER_SIZE } from "./_peer_charts.ts";

const WARM_UP = 10;
const peers = await loadPeerCharts();

if (peers === null) {
  console.warn(
    "png_bench: peer-charts.json not found; skipping the peer charts",
  );
} else {
  for (const option of Object.values(peers)) {
    for (let i = 0; i < WARM_UP; i++) await renderPng(option, PEER_SIZE);
  }
  for (const [name, option] of Object.entries(peers)) {
    Deno.bench({
      name: `png: peer ${name} 800×400 @2x`,
      group: "peer",
      warmup: 3,
      n: name === "scatter" ? 30 : 60,
      async fn() {
        await renderPng(option, PEER_SIZE);
      },
    });
  }
  const reference = { ...PEER_SIZE, background: "#ffffff" };
  for (const [name, option] of Object.entries(peers)) {
    Deno.bench({
      name: `png (naive path): peer ${name} 800×400 @2x`,
      group: "naive",
      warmup: WARM_UP,
      n: name === "scatter" ? 8 : 20,
      async fn() {
        await referencePng(option, reference);
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
  warmup: WARM_UP,
  n: 40,
  async fn() {
    await renderPng(compileOption(lineSpec, lineSnapshot), PEER_SIZE);
  },
});

// The workers would keep the process alive after the last bench.
globalThis.addEventListener("unload", () => {
  closeRenderPool();
});
