/**
 * The small chart each new render worker draws before its first job when
 * the warm-up is on (RENDER_WARMUP). An isolate's first drawing runs
 * ECharts and the wasm glue before V8 has compiled them, and reads the
 * fonts: the peer line chart took 360 ms as a worker's first job and 90 ms
 * as its tenth. Drawn first, this 200 × 120 chart takes those costs
 * (~210 ms), and the first real chart then takes ~170 ms. The wasm's own
 * optimised code is shared by every worker; warm_up.ts warms that, once per
 * process.
 */
import type { RenderJob } from "./render_job.ts";

/** Title, legend, a category and a value axis, a line and bars: what most charts draw. */
export const FIRST_DRAWING: RenderJob = {
  kind: "png",
  option: {
    animation: false,
    title: { text: "Warm-up 1" },
    legend: {},
    xAxis: { type: "category", data: ["a", "b", "c"] },
    yAxis: { type: "value" },
    series: [
      { name: "Line", type: "line", data: [1, 3, 2] },
      { name: "Bars", type: "bar", data: [2, 1, 3] },
    ],
  },
  width: 200,
  height: 120,
  scale: 1,
  background: "#ffffff",
};
