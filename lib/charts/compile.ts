/**
 * The one compiler from a chart spec and its data snapshot to an ECharts
 * option. It builds plain JSON only (no functions, no echarts import), so the
 * server renderer, the exporters and the canvas island all draw the same chart
 * from the same object. Shared with the browser: no Deno APIs here.
 */
import type { Cell, ChartSpec, Column, Snapshot } from "./spec.ts";
import { badRequest } from "../errors.ts";

/** An ECharts option as plain JSON; echarts' own types stay out of the browser-shared path. */
export type ChartOption = Record<string, unknown>;

/** How the option will be shown. */
export interface CompileOptions {
  /** In a browser: tooltip, legend toggles, dataZoom for long axes, animation. */
  interactive?: boolean;
  /** A small thumbnail: no title, legend, axis labels or dataZoom. */
  preview?: boolean;
}

/** Series colours, in order (Tableau 10: distinct, and readable on white). */
export const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

/**
 * Font stack for every text. The server has DejaVu Sans (resvg is given its
 * TTFs); Verdana has near-identical metrics for browsers without it.
 */
export const FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif";

/** Label shown for a category whose cell is empty. */
export const BLANK_LABEL = "(blank)";

/** More x values than this get a dataZoom when interactive. */
const ZOOM_THRESHOLD = 20;
/** More points than this draw scatter in ECharts' large mode (one path). */
const LARGE_SCATTER = 2000;
/** More slices than this get no legend in a static pie (labels name them). */
const STATIC_PIE_LEGEND_LIMIT = 12;
/** More points than this hide line symbols. */
const SYMBOL_LIMIT = 60;

const TEXT = "#333333";
const MUTED = "#6e7079";
const AXIS = "#8a8d96";
const SPLIT = "#e6e8ec";

/**
 * Returns the ECharts option that draws `spec` over `snapshot`. Values are
 * shown exactly as in the snapshot; a null (or non-numeric) cell is a gap.
 * Throws a 400 when the spec names a column the snapshot lacks.
 */
export function compileOption(
  spec: ChartSpec,
  snapshot: Snapshot,
  options: CompileOptions = {},
): ChartOption {
  const ctx: Ctx = {
    spec,
    snapshot,
    interactive: options.interactive === true,
    preview: options.preview === true,
  };
  const body = spec.type === "pie"
    ? pieParts(ctx)
    : spec.type === "scatter"
    ? scatterParts(ctx)
    : cartesianParts(ctx);
  const header = headerParts(ctx, body.legendNames);
  const option: ChartOption = {
    animation: ctx.interactive && !ctx.preview,
    ...(ctx.interactive ? { animationDuration: 300 } : {}),
    backgroundColor: "#ffffff",
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT },
    ...header.parts,
    ...body.parts,
  };
  if (body.layoutGrid) {
    option.grid = gridFor(ctx, header.height, body.zoom);
  }
  if (ctx.interactive) {
    option.tooltip = body.tooltip;
    if (body.zoom && !ctx.preview) option.dataZoom = body.zoom;
  }
  return option;
}

interface Ctx {
  spec: ChartSpec;
  snapshot: Snapshot;
  interactive: boolean;
  preview: boolean;
}

interface BodyParts {
  parts: ChartOption;
  /** Names the legend lists; empty means no legend. */
  legendNames: string[];
  tooltip: ChartOption;
  /** Whether the body draws on a grid that needs laying out. */
  layoutGrid: boolean;
  /** dataZoom components to add when interactive, if the axis is long. */
  zoom?: ChartOption[];
}

function columnIndex(snapshot: Snapshot, name: string): number {
  const index = snapshot.columns.findIndex((c) => c.name === name);
  if (index < 0) {
    throw badRequest(
      "bad_spec",
      `column "${name}" is not in the data snapshot`,
    );
  }
  return index;
}

function labelOf(column: Column): string {
  return column.label ?? column.name;
}

/** A numeric cell as a number; anything else (null, text, ±Infinity) is a gap. */
function numberOf(cell: Cell | undefined): number | null {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : null;
  if (typeof cell === "string" && cell.trim() !== "") {
    const n = Number(cell);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function categoryOf(cell: Cell | undefined): string {
  return cell === null || cell === undefined || cell === ""
    ? BLANK_LABEL
    : String(cell);
}

function headerParts(
  ctx: Ctx,
  legendNames: string[],
): { parts: ChartOption; height: number } {
  if (ctx.preview) return { parts: {}, height: 0 };
  const { spec } = ctx;
  const parts: ChartOption = {
    title: {
      text: spec.title,
      ...(spec.subtitle ? { subtext: spec.subtitle } : {}),
      left: "center",
      top: 10,
      itemGap: 6,
      textStyle: { fontSize: 16, fontWeight: "bold", color: TEXT },
      subtextStyle: { fontSize: 12, color: MUTED },
    },
  };
  let height = spec.subtitle ? 58 : 38;
  if (legendNames.length > 0) {
    parts.legend = {
      type: "scroll",
      data: legendNames,
      top: height,
      left: "center",
      itemWidth: 18,
      itemHeight: 10,
      textStyle: { fontSize: 12, color: TEXT },
      selectedMode: ctx.interactive,
    };
    height += 26;
  }
  return { parts, height };
}

function gridFor(
  ctx: Ctx,
  headerHeight: number,
  zoom: ChartOption[] | undefined,
): ChartOption {
  if (ctx.preview) {
    return {
      left: 4,
      right: 4,
      top: 6,
      bottom: 4,
      outerBoundsMode: "same",
    };
  }
  const zoomShown = ctx.interactive && zoom !== undefined;
  // Horizontal bars zoom along y, so their slider sits on the right.
  const sideSlider = ctx.spec.type === "bar" && ctx.spec.horizontal === true;
  const bottom = 10 + (zoomShown && !sideSlider ? 34 : 0);
  const right = 24 + (zoomShown && sideSlider ? 34 : 0);
  const top = Math.max(headerHeight, 8) + 14;
  // ECharts 6 shrinks the grid until axis labels and names fit in
  // `outerBounds`, which is what containLabel used to do.
  return {
    left: 12,
    right,
    top,
    bottom,
    outerBoundsMode: "auto",
    outerBounds: { left: 10, right: right - 8, top: top - 8, bottom },
    outerBoundsContain: "all",
  };
}

/** Up to this many categories every label is tried (overlapping ones hide). */
const ALL_LABELS_LIMIT = 40;
/** Nominal plot width the label-rotation guess assumes, in CSS px. */
const NOMINAL_PLOT_WIDTH = 680;

/**
 * Category-axis label settings. Few categories: every label is tried; when
 * many of them are wider than their band they are tilted, else the odd long
 * one is cut to its band. Many categories: ECharts picks an interval. Either
 * way overlapping labels are hidden, never drawn on top of each other.
 */
function categoryLabels(
  categories: string[],
  onXAxis: boolean,
): ChartOption {
  const label: ChartOption = {
    color: MUTED,
    hideOverlap: true,
    overflow: "truncate",
    width: 160,
  };
  const n = categories.length;
  if (n === 0 || n > ALL_LABELS_LIMIT) return label;
  label.interval = 0;
  if (!onXAxis) return label;
  const band = NOMINAL_PLOT_WIDTH / n;
  // ~7 px per character at 12 px DejaVu Sans, plus a gap.
  const tooWide = categories.filter((c) => c.length * 7 + 10 > band).length;
  if (tooWide > n / 4) {
    label.rotate = 30;
    label.width = 120;
  } else {
    label.width = Math.max(48, Math.floor(band - 10));
  }
  return label;
}

function axisStyle(ctx: Ctx, kind: "category" | "value"): ChartOption {
  const line = { lineStyle: { color: AXIS } };
  if (ctx.preview) {
    return {
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: kind === "category" ? line : { show: false },
      splitLine: { show: kind === "value", lineStyle: { color: SPLIT } },
    };
  }
  return {
    axisLine: kind === "category" ? line : { show: false },
    axisTick: { show: kind === "category", alignWithLabel: true },
    splitLine: { show: kind === "value", lineStyle: { color: SPLIT } },
    axisLabel: { color: MUTED, hideOverlap: true },
  };
}

function axisName(ctx: Ctx, name: string | undefined, gap: number) {
  if (ctx.preview || !name) return {};
  return {
    name,
    nameLocation: "middle",
    nameGap: gap,
    nameTextStyle: { color: TEXT, fontSize: 12 },
  };
}

function cartesianParts(ctx: Ctx): BodyParts {
  const { spec, snapshot } = ctx;
  const xIndex = columnIndex(snapshot, spec.x);
  const seriesIndexes = spec.series.map((name) => columnIndex(snapshot, name));
  const categories = snapshot.rows.map((row) => categoryOf(row[xIndex]));
  const names = seriesIndexes.map((i) => labelOf(snapshot.columns[i]));
  const horizontal = spec.type === "bar" && spec.horizontal === true;
  const stacked = spec.stacked === true &&
    (spec.type === "bar" || spec.type === "area");
  const area = spec.type === "area";
  const many = categories.length > SYMBOL_LIMIT;

  const series = seriesIndexes.map((col, i) => {
    const data = snapshot.rows.map((row) => numberOf(row[col]));
    const base: ChartOption = {
      name: names[i],
      type: spec.type === "bar" ? "bar" : "line",
      data,
      ...(stacked ? { stack: "total" } : {}),
      emphasis: { focus: "series" },
    };
    if (spec.type === "bar") {
      base.barMaxWidth = 48;
    } else {
      base.showSymbol = !many && !ctx.preview;
      base.symbolSize = 6;
      base.lineStyle = { width: ctx.preview ? 1.5 : 2 };
      base.connectNulls = false;
      if (area) base.areaStyle = { opacity: stacked ? 0.75 : 0.25 };
    }
    return base;
  });

  const categoryName = axisName(
    ctx,
    spec.xLabel ?? labelOf(snapshot.columns[xIndex]),
    horizontal ? 10 : 28,
  );
  const categoryAxis: ChartOption = {
    type: "category",
    data: categories,
    boundaryGap: spec.type === "bar",
    ...axisStyle(ctx, "category"),
    ...(ctx.preview
      ? {}
      : { axisLabel: categoryLabels(categories, !horizontal) }),
    ...categoryName,
    // Horizontal bars read top-down in row order; their category name sits
    // above the labels like a column header instead of colliding with them.
    ...(horizontal
      ? {
        inverse: true,
        ...("name" in categoryName
          ? {
            nameLocation: "start",
            nameTextStyle: {
              ...categoryName.nameTextStyle,
              align: "right",
              fontWeight: "bold",
            },
          }
          : {}),
      }
      : {}),
  };
  const valueName = spec.yLabel ??
    (names.length === 1 ? names[0] : undefined);
  const valueAxis: ChartOption = {
    type: "value",
    ...axisStyle(ctx, "value"),
    ...axisName(ctx, valueName, horizontal ? 28 : 48),
  };

  const zoom = categories.length > ZOOM_THRESHOLD
    ? horizontal
      ? [
        { type: "inside", yAxisIndex: 0 },
        { type: "slider", yAxisIndex: 0, right: 8, width: 18 },
      ]
      : [
        { type: "inside", xAxisIndex: 0 },
        { type: "slider", xAxisIndex: 0, bottom: 8, height: 18 },
      ]
    : undefined;

  return {
    parts: {
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series,
    },
    legendNames: names.length > 1 ? names : [],
    tooltip: {
      trigger: "axis",
      axisPointer: { type: spec.type === "bar" ? "shadow" : "line" },
      confine: true,
    },
    layoutGrid: true,
    zoom,
  };
}

function pieParts(ctx: Ctx): BodyParts {
  const { spec, snapshot } = ctx;
  const xIndex = columnIndex(snapshot, spec.x);
  const valueIndex = columnIndex(snapshot, spec.series[0]);
  const data = snapshot.rows.map((row) => ({
    name: categoryOf(row[xIndex]),
    value: numberOf(row[valueIndex]),
  }));
  const names = data.map((d) => d.name);
  return {
    parts: {
      series: [{
        name: labelOf(snapshot.columns[valueIndex]),
        type: "pie",
        data,
        radius: ctx.preview ? ["0%", "85%"] : ["0%", "60%"],
        center: ctx.preview ? ["50%", "50%"] : ["50%", "60%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        label: ctx.preview
          ? { show: false }
          : { show: true, formatter: "{b}: {d}%", color: TEXT },
        labelLine: { show: !ctx.preview },
      }],
    },
    // A static image cannot page through a long legend, and every slice is
    // already labelled, so only short legends are drawn there.
    legendNames: ctx.interactive || names.length <= STATIC_PIE_LEGEND_LIMIT
      ? [...new Set(names)]
      : [],
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)", confine: true },
    layoutGrid: false,
  };
}

function scatterParts(ctx: Ctx): BodyParts {
  const { spec, snapshot } = ctx;
  const xIndex = columnIndex(snapshot, spec.x);
  const yIndex = columnIndex(snapshot, spec.series[0]);
  const groupIndex = spec.group === undefined
    ? -1
    : columnIndex(snapshot, spec.group);

  // One series per group value, in order of first appearance.
  const groups = new Map<string, [number, number][]>();
  const defaultName = labelOf(snapshot.columns[yIndex]);
  let points = 0;
  for (const row of snapshot.rows) {
    const x = numberOf(row[xIndex]);
    const y = numberOf(row[yIndex]);
    // A point needs both coordinates; there is no gap to draw in a scatter.
    if (x === null || y === null) continue;
    const key = groupIndex < 0 ? defaultName : categoryOf(row[groupIndex]);
    let list = groups.get(key);
    if (!list) groups.set(key, list = []);
    list.push([x, y]);
    points++;
  }
  if (groups.size === 0) groups.set(defaultName, []);

  const large = points > LARGE_SCATTER;
  const symbolSize = ctx.preview || points > 1000 ? 4 : 8;
  const series = [...groups].map(([name, data]) => ({
    name,
    type: "scatter",
    data,
    symbolSize,
    // Canvas renderers drop points without this.
    progressive: 0,
    ...(large ? { large: true, largeThreshold: LARGE_SCATTER } : {}),
    itemStyle: { opacity: large ? 0.6 : 0.8 },
    emphasis: { focus: "series" },
  }));

  const valueAxis = (name: string | undefined, gap: number) => ({
    type: "value",
    scale: true,
    ...axisStyle(ctx, "value"),
    ...axisName(ctx, name, gap),
  });
  const names = [...groups.keys()];
  return {
    parts: {
      xAxis: valueAxis(
        spec.xLabel ?? labelOf(snapshot.columns[xIndex]),
        28,
      ),
      yAxis: valueAxis(spec.yLabel ?? defaultName, 48),
      series,
    },
    legendNames: names.length > 1 ? names : [],
    tooltip: { trigger: "item", confine: true },
    layoutGrid: true,
    zoom: points > ZOOM_THRESHOLD
      ? [
        { type: "inside", xAxisIndex: 0, filterMode: "empty" },
        {
          type: "slider",
          xAxisIndex: 0,
          bottom: 8,
          height: 18,
          filterMode: "empty",
        },
      ]
      : undefined,
  };
}
