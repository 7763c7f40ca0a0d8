/**
 * The one compiler from a chart spec and its data snapshot to an ECharts
 * option. It builds plain JSON only (no functions, no echarts import), so the
 * server renderer, the exporters and the canvas island all draw the same chart
 * from the same object. Shared with the browser: no Deno APIs here.
 */
import type { Cell, ChartSpec, ChartType, Column, Snapshot } from "./spec.ts";
import { badRequest } from "@/lib/errors.ts";

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

/** The colours of a compiled option besides the palette (lib/charts/theme.ts swaps them). */
export const CHROME_COLORS = {
  background: "#ffffff",
  text: TEXT,
  muted: MUTED,
  axis: AXIS,
  split: SPLIT,
} as const;

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
  const body = BODIES[spec.type](ctx);
  const header = headerParts(ctx, body.legendNames);
  const option: ChartOption = {
    animation: ctx.interactive && !ctx.preview,
    ...(ctx.interactive ? { animationDuration: 300 } : {}),
    backgroundColor: CHROME_COLORS.background,
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT },
    ...header.parts,
    ...body.parts,
  };
  if (body.layoutGrid) {
    option.grid = gridFor(ctx, header.height, body.zoom, body.rightRoom ?? 0);
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
  /** CSS px the grid leaves free on its right (for a colour scale). */
  rightRoom?: number;
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
      // Cut with "…" at the width it is drawn at (title_fit.ts).
      textStyle: {
        fontSize: 16,
        fontWeight: "bold",
        color: TEXT,
        overflow: "truncate",
      },
      subtextStyle: { fontSize: 12, color: MUTED, overflow: "truncate" },
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
  rightRoom: number,
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
  const right = 24 + (zoomShown && sideSlider ? 34 : 0) + rightRoom;
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
  return categoryChart(ctx, {
    xName: labelOf(snapshot.columns[xIndex]),
    categories: snapshot.rows.map((row) => categoryOf(row[xIndex])),
    series: seriesIndexes.map((col) => ({
      name: labelOf(snapshot.columns[col]),
      data: snapshot.rows.map((row) => numberOf(row[col])),
    })),
  });
}

/** A chart of values over categories: what line, bar, area and histogram share. */
interface CategoryData {
  /** The category axis' name when the spec gives no xLabel. */
  xName: string;
  categories: string[];
  series: { name: string; data: (number | null)[] }[];
}

function categoryChart(ctx: Ctx, input: CategoryData): BodyParts {
  const { spec } = ctx;
  const { categories } = input;
  const names = input.series.map((s) => s.name);
  const histogram = spec.type === "histogram";
  const bars = spec.type === "bar" || histogram;
  const horizontal = spec.type === "bar" && spec.horizontal === true;
  const stacked = spec.stacked === true &&
    (spec.type === "bar" || spec.type === "area");
  const area = spec.type === "area";
  const many = categories.length > SYMBOL_LIMIT;

  const series = input.series.map(({ name, data }) => {
    const base: ChartOption = {
      name,
      type: bars ? "bar" : "line",
      data,
      ...(stacked ? { stack: "total" } : {}),
      emphasis: { focus: "series" },
    };
    if (histogram) {
      // Bins touch: no gap between bars, a hairline of white between them.
      base.barCategoryGap = "0%";
      base.itemStyle = { borderColor: "#ffffff", borderWidth: 1 };
    } else if (bars) {
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
    spec.xLabel ?? input.xName,
    horizontal ? 10 : 28,
  );
  const categoryAxis: ChartOption = {
    type: "category",
    data: categories,
    boundaryGap: bars,
    ...axisStyle(ctx, "category"),
    ...(ctx.preview
      ? {}
      : { axisLabel: categoryLabels(categories, !horizontal) }),
    // A histogram's ticks mark the bin edges, between its bars.
    ...(histogram && !ctx.preview
      ? { axisTick: { show: true, alignWithLabel: false } }
      : {}),
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

  return {
    parts: {
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series,
    },
    legendNames: names.length > 1 ? names : [],
    tooltip: {
      trigger: "axis",
      axisPointer: { type: bars ? "shadow" : "line" },
      confine: true,
    },
    layoutGrid: true,
    zoom: categoryZoom(categories.length, horizontal),
  };
}

/** dataZoom for a category axis longer than ZOOM_THRESHOLD, else undefined. */
function categoryZoom(
  count: number,
  horizontal: boolean,
): ChartOption[] | undefined {
  if (count <= ZOOM_THRESHOLD) return undefined;
  return horizontal
    ? [
      { type: "inside", yAxisIndex: 0 },
      { type: "slider", yAxisIndex: 0, right: 8, width: 18 },
    ]
    : [
      { type: "inside", xAxisIndex: 0 },
      { type: "slider", xAxisIndex: 0, bottom: 8, height: 18 },
    ];
}

/** Most bins a histogram gets by filling gaps; beyond it rows are drawn as given. */
const MAX_FILLED_BINS = 2000;

/**
 * A histogram: one bar per bin, labelled with its edges ("10–20"). A bin the
 * snapshot skips (no rows fell in it) is drawn as an empty bar, so the bars
 * stay contiguous.
 */
function histogramParts(ctx: Ctx): BodyParts {
  const { spec, snapshot } = ctx;
  const width = spec.binWidth;
  if (width === undefined || !(width > 0) || !Number.isFinite(width)) {
    throw badRequest(
      "bad_spec",
      "a histogram needs binWidth, the width of its bins",
    );
  }
  const xIndex = columnIndex(snapshot, spec.x);
  const countIndex = columnIndex(snapshot, spec.series[0]);
  const bins = snapshot.rows
    .map((row) => ({
      edge: numberOf(row[xIndex]),
      count: numberOf(row[countIndex]),
    }))
    .filter((b): b is { edge: number; count: number | null } => b.edge !== null)
    .sort((a, b) => a.edge - b.edge);
  const filled: typeof bins = [];
  const span = bins.length
    ? (bins[bins.length - 1].edge - bins[0].edge) / width
    : 0;
  for (const bin of bins) {
    const last = filled[filled.length - 1];
    if (last && span < MAX_FILLED_BINS) {
      // Edges are multiples of the width from the first; rounding absorbs
      // the float error of computed edges (0.1 + 0.2).
      const missing = Math.round((bin.edge - last.edge) / width) - 1;
      for (let k = 1; k <= missing; k++) {
        filled.push({ edge: last.edge + k * width, count: 0 });
      }
    }
    filled.push(bin);
  }
  const label = binLabeller(width, filled[0]?.edge ?? 0);
  const column = snapshot.columns[countIndex];
  return categoryChart(ctx, {
    xName: labelOf(snapshot.columns[xIndex]),
    categories: filled.map((b) => label(b.edge)),
    series: [{ name: labelOf(column), data: filled.map((b) => b.count) }],
  });
}

/**
 * Returns a function that labels the bin starting at an edge with its two
 * edges ("10–20", "0.1–0.2"), printed to the decimals the width and first
 * edge need, so float error (0.30000000000000004) never shows.
 */
function binLabeller(
  width: number,
  firstEdge: number,
): (edge: number) => string {
  const decimals = binDecimals(width, firstEdge);
  const text = (v: number) => String(Number(v.toFixed(decimals)) + 0);
  return (edge) => `${text(edge)}\u2013${text(edge + width)}`;
}

/**
 * Returns a histogram's snapshot with each bin's lower edge replaced by the
 * bin's label ("10–20"), as the chart shows it; other charts' unchanged.
 */
export function withBinLabels(spec: ChartSpec, snapshot: Snapshot): Snapshot {
  const xIndex = snapshot.columns.findIndex((c) => c.name === spec.x);
  if (spec.type !== "histogram" || !spec.binWidth || xIndex < 0) {
    return snapshot;
  }
  const edges = snapshot.rows.map((row) => numberOf(row[xIndex]));
  const label = binLabeller(
    spec.binWidth,
    Math.min(...edges.filter((e): e is number => e !== null)),
  );
  return {
    columns: snapshot.columns.map((c, i) =>
      i === xIndex ? { ...c, type: "string" } : c
    ),
    rows: snapshot.rows.map((row, r) =>
      row.map((cell, i) =>
        i === xIndex && edges[r] !== null ? label(edges[r]!) : cell
      )
    ),
  };
}

/** Returns the decimals a histogram's edges are printed to (at most 10). */
export function binDecimals(width: number, firstEdge: number): number {
  return Math.min(10, Math.max(decimalsOf(width), decimalsOf(firstEdge)));
}

/** Digits after the point in a number's shortest form (1e-7 has 7). */
function decimalsOf(value: number): number {
  const [mantissa, exponent] = String(value).split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** A pie fills its circle; a donut is a ring of the same outer size. */
function radiusOf(ring: boolean, preview: boolean): [string, string] {
  const outer = preview ? "85%" : "60%";
  return [ring ? (preview ? "50%" : "36%") : "0%", outer];
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
        radius: radiusOf(spec.type === "donut", ctx.preview),
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

/** The heatmap's colour scale, from its lowest value to its highest. */
export const HEATMAP_COLORS = [
  "#e3edf6",
  "#9dbfdd",
  "#4e79a7",
  "#1f3a5f",
] as const;

/** Up to this many cells a heatmap prints each value in its cell. */
const HEATMAP_LABEL_LIMIT = 120;
/**
 * Up to this many cells are outlined (a white gap between cells). More
 * cells are small, and plain rectangles are drawn straight into the PNG's
 * pixels: a 50×50 heatmap draws in ~40% less time without outlines.
 */
const HEATMAP_GAP_LIMIT = 400;
/** Room the colour scale takes right of the grid, in CSS px. */
const HEATMAP_SCALE_ROOM = 64;

/**
 * Returns `names` with each repeated one numbered ("North (2)"): a heatmap's
 * cells are placed by their row and column names, which must differ.
 */
function distinctNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names);
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count === 1) return name;
    let candidate = `${name} (${count})`;
    for (let n = count; taken.has(candidate); n++) {
      candidate = `${name} (${n + 1})`;
    }
    taken.add(candidate);
    return candidate;
  });
}

/** A number as a colour-scale end label: at most six significant digits. */
function scaleLabel(value: number): string {
  return String(Number(value.toPrecision(6)) + 0);
}

/**
 * A heatmap: x categories along the x axis, one row per series (its label
 * names the row, first series at the top), each cell coloured on a scale
 * from the lowest to the highest value; a null cell stays empty.
 */
function heatmapParts(ctx: Ctx): BodyParts {
  const { spec, snapshot } = ctx;
  const xIndex = columnIndex(snapshot, spec.x);
  const seriesIndexes = spec.series.map((name) => columnIndex(snapshot, name));
  const categories = distinctNames(
    snapshot.rows.map((row) => categoryOf(row[xIndex])),
  );
  const rows = distinctNames(
    seriesIndexes.map((i) => labelOf(snapshot.columns[i])),
  );
  // Cells name their column and row (not indexes), so the tooltip shows them.
  const data: [string, string, number][] = [];
  let min = Infinity, max = -Infinity;
  snapshot.rows.forEach((row, r) => {
    seriesIndexes.forEach((col, s) => {
      const value = numberOf(row[col]);
      if (value === null) return;
      data.push([categories[r], rows[s], value]);
      if (value < min) min = value;
      if (value > max) max = value;
    });
  });
  if (data.length === 0) [min, max] = [0, 1];
  // One value everywhere: the cells take the scale's strongest colour.
  else if (min === max) min = max - 1;

  const xName = spec.xLabel ?? labelOf(snapshot.columns[xIndex]);
  const yName = spec.yLabel;
  const valueName = "Value";
  const labelled = !ctx.preview && data.length <= HEATMAP_LABEL_LIMIT;
  // The tooltip: the cell's column (as its heading), then its row and value.
  const series: ChartOption = {
    type: "heatmap",
    data,
    dimensions: [
      { name: "x", displayName: xName },
      { name: "y", displayName: yName ?? "Series" },
      { name: "value", displayName: valueName },
    ],
    encode: { x: 0, y: 1, value: 2, tooltip: [1, 2] },
    // Dark text with a white halo reads on the lightest and darkest cells.
    label: {
      show: labelled,
      fontSize: 11,
      color: TEXT,
      textBorderColor: "#ffffff",
      textBorderWidth: 2,
    },
    itemStyle: data.length <= HEATMAP_GAP_LIMIT
      ? { borderColor: "#ffffff", borderWidth: 1 }
      : {},
    emphasis: { itemStyle: { borderColor: TEXT, borderWidth: 1 } },
    progressive: 0,
  };
  const xAxis: ChartOption = {
    type: "category",
    data: categories,
    ...axisStyle(ctx, "category"),
    axisTick: { show: false },
    splitArea: { show: false },
    ...(ctx.preview ? {} : { axisLabel: categoryLabels(categories, true) }),
    ...axisName(ctx, xName, 28),
  };
  const yAxis: ChartOption = {
    type: "category",
    data: rows,
    // The first series is the top row, as it is the first row of the table.
    inverse: true,
    ...axisStyle(ctx, "category"),
    axisTick: { show: false },
    ...(ctx.preview ? {} : { axisLabel: categoryLabels(rows, false) }),
    ...axisName(ctx, yName, 48),
  };
  const visualMap: ChartOption = {
    type: "continuous",
    min,
    max,
    dimension: 2,
    seriesIndex: 0,
    inRange: { color: [...HEATMAP_COLORS] },
    show: !ctx.preview,
    calculable: ctx.interactive,
    orient: "vertical",
    right: 8,
    top: "middle",
    itemWidth: 14,
    itemHeight: 120,
    // Interactive, the handles print their own values at the ends.
    ...(ctx.interactive ? {} : { text: [scaleLabel(max), scaleLabel(min)] }),
    textGap: 6,
    textStyle: { color: MUTED, fontSize: 11 },
  };
  return {
    parts: { xAxis, yAxis, visualMap, series: [series] },
    legendNames: [],
    tooltip: { trigger: "item", confine: true },
    layoutGrid: true,
    zoom: categoryZoom(categories.length, false),
    rightRoom: ctx.preview ? 0 : HEATMAP_SCALE_ROOM,
  };
}

const BODIES: Record<ChartType, (ctx: Ctx) => BodyParts> = {
  line: cartesianParts,
  bar: cartesianParts,
  area: cartesianParts,
  histogram: histogramParts,
  pie: pieParts,
  donut: pieParts,
  scatter: scatterParts,
  heatmap: heatmapParts,
};
