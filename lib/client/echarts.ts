/**
 * The browser's ECharts: only the charts and components the compiler emits,
 * imported one `install` at a time so the bundle stays small. Histograms are
 * bars and donuts are pies; heatmaps add their own chunk (echarts_heatmap.ts),
 * loaded only when a heatmap is shown (echarts_loader.ts).
 */
import * as echarts from "echarts/core";
import { install as LineChart } from "echarts/lib/chart/line/install.js";
import { install as BarChart } from "echarts/lib/chart/bar/install.js";
import { install as PieChart } from "echarts/lib/chart/pie/install.js";
import { install as ScatterChart } from "echarts/lib/chart/scatter/install.js";
import { install as Grid } from "echarts/lib/component/grid/install.js";
import { install as Dataset } from "echarts/lib/component/dataset/install.js";
import { install as Tooltip } from "echarts/lib/component/tooltip/install.js";
import { install as Legend } from "echarts/lib/component/legend/install.js";
import { install as Title } from "echarts/lib/component/title/install.js";
import { install as DataZoom } from "echarts/lib/component/dataZoom/install.js";
import { install as CanvasRenderer } from "echarts/lib/renderer/installCanvasRenderer.js";

echarts.use([
  LineChart,
  BarChart,
  PieChart,
  ScatterChart,
  Grid,
  Dataset,
  Tooltip,
  Legend,
  Title,
  DataZoom,
  CanvasRenderer,
]);

export { echarts };
