/**
 * The chart spec and its data snapshot: what an artifact freezes. One compiler
 * (`compile.ts`) turns them into an ECharts option for the server renderer, the
 * exporters and the canvas island alike. This module is shared with the browser.
 */
import { z } from "zod";

export const CHART_TYPES = [
  "line",
  "bar",
  "area",
  "pie",
  "scatter",
  "histogram",
  "donut",
  "heatmap",
] as const;
export type ChartType = typeof CHART_TYPES[number];

/** A column of a data snapshot. `date` cells are ISO strings (YYYY, YYYY-MM, YYYY-MM-DD). */
export const ColumnSchema = z.object({
  name: z.string().min(1).max(200),
  type: z.enum(["string", "number", "date"]),
  /** Human label for axes and legends; defaults to the name. */
  label: z.string().max(200).optional(),
});
export type Column = z.infer<typeof ColumnSchema>;

export type Cell = string | number | null;

/**
 * A frozen table, in "wide" form for every type but scatter: the column named
 * by `spec.x` holds the categories and each column in `spec.series` one
 * series.
 * - line, bar, area: x = categories (or ISO dates), one column per series.
 * - pie, donut: x = slice names, one series of values.
 * - histogram: x (numbers) = each bin's lower edge, ascending; one series =
 *   the count of rows in the bin; bins are `spec.binWidth` wide.
 * - heatmap: x = the categories along the x axis; each series column is one
 *   row of cells along the y axis (its label names the row); a null cell is
 *   an empty cell.
 * - scatter: `spec.x` and `spec.series[0]` are the two numeric columns and
 *   `spec.group`, when set, splits the points into series.
 */
export const SnapshotSchema = z.object({
  columns: z.array(ColumnSchema).min(1).max(500),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const ChartSpecSchema = z.object({
  type: z.enum(CHART_TYPES),
  title: z.string().min(1).max(300),
  subtitle: z.string().max(300).optional(),
  /** Column of the snapshot on the x axis (pie, donut: slice names; histogram: bin lower edges). */
  x: z.string().min(1),
  /**
   * Columns of the snapshot drawn as series (pie, donut, histogram and
   * scatter: exactly one; heatmap: one per row of cells).
   */
  series: z.array(z.string().min(1)).min(1).max(50),
  /** Scatter only: column whose values split the points into series. */
  group: z.string().min(1).optional(),
  xLabel: z.string().max(200).optional(),
  yLabel: z.string().max(200).optional(),
  /** Bars drawn horizontally. */
  horizontal: z.boolean().optional(),
  /** Series stacked (bar and area). */
  stacked: z.boolean().optional(),
  /** Histogram only (and required there): the width of every bin. */
  binWidth: z.number().positive().finite().optional(),
}).refine((spec) => spec.type !== "histogram" || spec.binWidth !== undefined, {
  error: "a histogram needs binWidth, the width of its bins",
  path: ["binWidth"],
});
export type ChartSpec = z.infer<typeof ChartSpecSchema>;
