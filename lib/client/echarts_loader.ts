/** Loads the browser's ECharts on first use, with the heatmap parts only when needed. */
import type { echarts } from "./echarts.ts";

/** The ECharts namespace the canvas draws with. */
export type ECharts = typeof echarts;

/** Returns whether an option has a series that needs the heatmap chunk. */
function usesHeatmap(option: Record<string, unknown> | null): boolean {
  const series = option?.series;
  return Array.isArray(series) &&
    series.some((s) => (s as { type?: unknown })?.type === "heatmap");
}

/** Returns ECharts able to draw `option`, loading its chunks once. */
export function loadECharts(
  option: Record<string, unknown> | null,
): Promise<ECharts> {
  return usesHeatmap(option)
    ? import("./echarts_heatmap.ts").then((m) => m.echarts)
    : import("./echarts.ts").then((m) => m.echarts);
}
