/**
 * Entry of the standalone ECharts build that the HTML export inlines: the
 * canvas's own tree-shaken set (line, bar, pie, scatter, heatmap; grid,
 * tooltip, legend, title, dataZoom, continuous visualMap; canvas renderer)
 * exposed as `window.echarts`. `deno task build` bundles it as one classic
 * script to `static/build/export-echarts.js`.
 */
import { echarts } from "./echarts_heatmap.ts";

(globalThis as unknown as { echarts: typeof echarts }).echarts = echarts;
