/**
 * The chart kind charting practice draws when a request names none: a line
 * over time, bars over categories (on their side when the labels are long
 * or many), a pie for the shares of a few parts, a heatmap only when asked;
 * a time axis of two periods, or of up to twenty years, is drawn as bars,
 * unless the request asks for the change over time.
 */
import type { ChartKind } from "@/lib/agent/lang/types.ts";
import type { ColumnFeat } from "./schema.ts";
import type { XAxis } from "./types.ts";

export function chooseKind(o: {
  asked?: ChartKind;
  share: boolean;
  x: XAxis;
  categories: number;
  /** Time axes: how many periods it spans. */
  periods?: number;
  split: boolean;
  /** The request speaks of a trend ("over time", "evolution"). */
  overTime?: boolean;
}): ChartKind {
  if (o.asked) {
    // A heatmap needs a second dimension; without one it is bars.
    if (o.asked === "heatmap" && !o.split) return "bar";
    return o.asked;
  }
  // Shares asked for are a pie, however many the parts.
  if (o.share && o.x.kind === "category") return "pie";
  // A line needs points to join: two periods are compared as bars, and so
  // are a few years' totals; a long series is a line.
  if (o.x.kind === "time") {
    // Seven days of the week are compared as bars.
    if (o.x.bucket === "weekday") return "bar";
    const n = o.periods ?? 99;
    const fewYears = o.x.bucket === "year" && n <= 20 && !o.overTime;
    return n <= 2 || fewYears ? "bar" : "line";
  }
  return "bar";
}

/** Bars on their side when their labels are long or there are many of them. */
export function wantsHorizontal(
  col: ColumnFeat,
  limit: number | null,
): boolean {
  const count = limit ?? col.distinctCount;
  const labels = col.profile.distinct ?? [];
  const longest = labels.slice(0, count).reduce(
    (m, v) => Math.max(m, v.length),
    0,
  );
  return count > 12 || (longest > 14 && count > 3);
}
