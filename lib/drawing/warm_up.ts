/**
 * Warming the renderer when the server starts. V8 first runs resvg's wasm
 * with its baseline compiler (Liftoff) and compiles the functions that turn
 * out hot with its optimising one (TurboFan) while they run. Until then a
 * PNG takes 2–3× as long (a line chart ~250 ms instead of ~85), and that
 * compilation of resvg's largest functions needs 40–60 MB of memory for a
 * moment, once per process. Left alone, both land on whoever exports first
 * after a restart: a session ZIP grew the server by 80–100 MB where the
 * same ZIP costs 20–40 MB on a warm server. Drawing a few charts that use
 * the common paths (lines, areas, bars, slices, symbols, text, gradients)
 * right after start moves that work to when nobody waits for it.
 *
 * The compiled code belongs to the process, so it outlives the worker that
 * made it (idle workers stop after a minute). `RENDER_WARMUP=off` skips it,
 * and so does a server without render workers (`RENDER_WORKERS=0`).
 */
import { log } from "@/lib/log.ts";
import type { RenderJob } from "./render_job.ts";
import type { RenderPool } from "./render_pool.ts";

/** A chart with most of what ECharts draws for Chartroom's chart types. */
const WARM_UP_OPTION = {
  animation: false,
  title: {
    text: "Warm-up — Ελλάδα 2024",
    subtext: "lines, areas, bars, slices, symbols",
    left: "center",
  },
  legend: { top: 50 },
  grid: { left: 60, right: 300, top: 90, bottom: 50 },
  xAxis: {
    type: "category",
    data: Array.from({ length: 60 }, (_, i) => `2024-${i + 1}`),
    axisLabel: { rotate: 30 },
  },
  yAxis: { type: "value", splitLine: { lineStyle: { type: "dashed" } } },
  series: [
    {
      name: "Line",
      type: "line",
      smooth: true,
      data: Array.from({ length: 60 }, (_, i) => 50 + 30 * Math.sin(i / 6)),
      areaStyle: {
        color: {
          type: "linear",
          x: 0,
          y: 0,
          x2: 0,
          y2: 1,
          colorStops: [
            { offset: 0, color: "rgba(84,112,198,0.6)" },
            { offset: 1, color: "rgba(84,112,198,0)" },
          ],
        },
      },
    },
    {
      name: "Bars",
      type: "bar",
      data: Array.from({ length: 60 }, (_, i) => 20 + ((i * 37) % 40)),
      label: { show: true, position: "top", fontSize: 9 },
    },
    {
      name: "Points",
      type: "scatter",
      data: Array.from({ length: 200 }, (_, i) => [i % 60, (i * 53) % 90]),
      symbolSize: 5,
    },
    {
      name: "Share",
      type: "pie",
      center: ["82%", "58%"],
      radius: ["20%", "40%"],
      label: { formatter: "{b}: {d}%" },
      data: ["North", "South", "East", "West", "Other"].map((name, i) => ({
        name,
        value: 10 + i * 7,
      })),
    },
  ],
};

/** Where this process's warm-up is, as `/health` reports it. */
export type WarmUpState = "off" | "running" | "done" | "failed";

let state: WarmUpState = "off";

/** Returns where the renderer's warm-up is (off until one starts). */
export function warmUpState(): WarmUpState {
  return state;
}

/** The size exports draw at: 800×450 CSS px at scale 2. */
const SIZE = { width: 800, height: 450, background: "#ffffff" };

/**
 * PNG renders of the warm-up chart. Measured on the session ZIP bench:
 * after 4 the ZIP's growth stops falling (wasm tier-up is done for what a
 * ZIP of the sample charts uses).
 */
const RENDERS = 4;

/**
 * The warm-up's first drawing waits this long after start, and each waits
 * until the pool has nothing else to draw: a render asked for right after a
 * start (the first PNG) gets the worker first instead of queueing behind a
 * warm-up drawing.
 */
export const WARM_UP_DELAY_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Draws the warm-up chart a few times as PNG and once as SVG + PDF in the
 * render pool; resolves when done. Never throws: a failure is logged, and
 * the renders it would have warmed are simply slower.
 */
export async function warmUpRenderer(pool: RenderPool): Promise<void> {
  // Without workers it would load ECharts into the request thread: skipped.
  if (!pool.usesWorkers) {
    state = "off";
    return;
  }
  const started = performance.now();
  state = "running";
  try {
    const jobs: RenderJob[] = [
      ...Array.from({ length: RENDERS }, (): RenderJob => ({
        kind: "png",
        option: WARM_UP_OPTION,
        scale: 2,
        ...SIZE,
      })),
      {
        kind: "vector",
        option: WARM_UP_OPTION,
        ...SIZE,
        pdf: { width: SIZE.width, height: SIZE.height, title: "Warm-up" },
      },
    ];
    await sleep(WARM_UP_DELAY_MS);
    // Stops if the workers fail to start (the pool then draws in process).
    for (const job of jobs) {
      while (!pool.idle && !pool.closed) await sleep(25);
      if (!pool.usesWorkers) break;
      await pool.render(job);
    }
    state = pool.usesWorkers ? "done" : "off";
    log.debug("renderer warmed up", {
      ms: Math.round(performance.now() - started),
    });
  } catch (error) {
    state = "failed";
    // A server stopped during the warm-up closes the pool: nothing wrong.
    if (!pool.closed) {
      log.warn("renderer warm-up failed", { error: String(error) });
    }
  }
}
