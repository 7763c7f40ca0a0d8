/**
 * The browser's ECharts with heatmaps: the heatmap chart and the continuous
 * visualMap (its colour scale; nothing of the piecewise one) on top of the
 * base set. A separate lazy chunk (~36 KB minified), fetched only when a
 * heatmap is drawn.
 */
import { install as HeatmapChart } from "echarts/lib/chart/heatmap/install.js";
import { install as VisualMap } from "echarts/lib/component/visualMap/installVisualMapContinuous.js";
import { echarts } from "./echarts.ts";

echarts.use([HeatmapChart, VisualMap]);

export { echarts };
