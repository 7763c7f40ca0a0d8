/**
 * Time: the grain of a time axis, and the date ranges that "in 2009",
 * "since 2003", "March 2025" or "the last 12 months" (counted back from the
 * data's own last date, not today's) stand for.
 */
import { language } from "@/lib/agent/lang/mod.ts";
import type { Bucket, Cycle, Lang } from "@/lib/agent/lang/types.ts";
import type { Intents } from "./intents.ts";
import type { ColumnFeat } from "./schema.ts";
import type { Filter, XAxis } from "./types.ts";

const ORDER: Bucket[] = ["day", "week", "month", "quarter", "year", "decade"];

/** The parts of a date that repeat, each drawn as its own axis (Jan–Dec, Mon–Sun, 00–23). */
export const CYCLES: readonly Cycle[] = [
  "month_of_year",
  "weekday",
  "hour_of_day",
];

/** How many values a cycle has. */
const CYCLE_LENGTH: Record<Cycle, number> = {
  month_of_year: 12,
  weekday: 7,
  hour_of_day: 24,
};

export function isCycle(bucket: Bucket): bucket is Cycle {
  return (CYCLES as readonly Bucket[]).includes(bucket);
}

/** The coarser of two grains (a cycle asked for is kept as it is). */
export function coarser(a: Bucket, b: Bucket): Bucket {
  if (isCycle(a) || isCycle(b)) return isCycle(a) ? a : b;
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** Whether a time column's values say which part of `cycle` each row is in. */
export function hasCycle(col: ColumnFeat, cycle: Cycle): boolean {
  if (col.yearNumbers) {
    return cycle === "month_of_year" && col.sub?.unit === "month";
  }
  if (cycle === "hour_of_day") return col.profile.type === "datetime";
  const grain = naturalGrain(col);
  return cycle === "weekday"
    ? grain === "day"
    : grain === "day" || grain === "week" || grain === "month";
}

export function parseIso(iso: string): Date {
  return new Date(
    Date.UTC(
      +iso.slice(0, 4),
      +(iso.slice(5, 7) || 1) - 1,
      +(iso.slice(8, 10) || 1),
    ),
  );
}
export function isoOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function addMonths(d: Date, months: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}
export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

/** The last `n` calendar units ending with the one that holds `maxIso`. */
export function windowRange(
  maxIso: string,
  n: number,
  unit: Bucket,
): { gte: string; lt: string } {
  const max = parseIso(maxIso);
  const monthStart = new Date(
    Date.UTC(max.getUTCFullYear(), max.getUTCMonth(), 1),
  );
  switch (unit) {
    case "day":
      return { gte: isoOf(addDays(max, -(n - 1))), lt: isoOf(addDays(max, 1)) };
    case "week": {
      const monday = addDays(max, -((max.getUTCDay() + 6) % 7));
      return {
        gte: isoOf(addDays(monday, -7 * (n - 1))),
        lt: isoOf(addDays(monday, 7)),
      };
    }
    case "month":
      return {
        gte: isoOf(addMonths(monthStart, -(n - 1))),
        lt: isoOf(addMonths(monthStart, 1)),
      };
    case "quarter": {
      const q = addMonths(monthStart, -(max.getUTCMonth() % 3));
      return {
        gte: isoOf(addMonths(q, -3 * (n - 1))),
        lt: isoOf(addMonths(q, 3)),
      };
    }
    case "year": {
      const y = max.getUTCFullYear();
      return { gte: `${y - n + 1}-01-01`, lt: `${y + 1}-01-01` };
    }
    case "decade": {
      const d = Math.floor(max.getUTCFullYear() / 10) * 10;
      return { gte: `${d - 10 * (n - 1)}-01-01`, lt: `${d + 10}-01-01` };
    }
    default:
      // A cycle is no window ("the last 3 weekdays" counts days).
      return windowRange(maxIso, n, "day");
  }
}

/** How many periods of a grain lie between two ISO dates, both included. */
export function periods(
  minIso: string,
  maxIso: string,
  bucket: Bucket,
): number {
  const a = parseIso(minIso);
  const b = parseIso(maxIso);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 +
    b.getUTCMonth() - a.getUTCMonth() + 1;
  const days = Math.round((b.getTime() - a.getTime()) / 86_400_000) + 1;
  switch (bucket) {
    case "day":
      return days;
    case "week":
      return Math.ceil(days / 7);
    case "month":
      return months;
    case "quarter":
      return Math.ceil(months / 3);
    case "year":
      return b.getUTCFullYear() - a.getUTCFullYear() + 1;
    case "decade":
      return Math.floor(b.getUTCFullYear() / 10) -
        Math.floor(a.getUTCFullYear() / 10) + 1;
    default:
      return Math.min(CYCLE_LENGTH[bucket], days * 24);
  }
}

/** A time column's first and last dates as ISO (years become `YYYY-01-01`). */
export function columnRange(
  col: ColumnFeat,
): { min: string; max: string } | null {
  const { min, max } = col.profile;
  if (min === undefined || max === undefined) return null;
  if (col.yearNumbers) {
    return {
      min: `${Math.trunc(Number(min))}-01-01`,
      max: `${Math.trunc(Number(max))}-01-01`,
    };
  }
  if (typeof min !== "string" || typeof max !== "string") return null;
  return { min: min.slice(0, 10), max: max.slice(0, 10) };
}

/** The grain a time column's values are spaced at. */
export function naturalGrain(col: ColumnFeat): Bucket {
  if (col.yearNumbers) return col.sub?.unit ?? "year";
  const g = col.profile.grain;
  // Hours, minutes and seconds are drawn by day: the finest grain a time axis has.
  return g === "week" || g === "month" || g === "quarter" || g === "year"
    ? g
    : "day";
}

/** The part of a column's range the filters keep. */
function effectiveRange(
  col: ColumnFeat,
  filters: Filter[],
): { min: string; max: string } | null {
  const range = columnRange(col);
  if (!range) return null;
  let { min, max } = range;
  for (const f of filters) {
    if (f.op !== "range" || f.column !== col.name) continue;
    if (f.gte && f.gte > min) min = f.gte;
    if (f.lt) {
      const last = isoOf(addDays(parseIso(f.lt), -1));
      if (last < max) max = last;
    }
  }
  return min <= max ? { min, max } : null;
}

/** How many periods of a grain a time column spans once the filters apply. */
export function timePeriods(
  col: ColumnFeat,
  bucket: Bucket,
  filters: Filter[],
): number {
  const range = effectiveRange(col, filters);
  return range ? periods(range.min, range.max, bucket) : 0;
}

/**
 * The grain of a time axis: the one named (never finer than the data's),
 * months for a window of months or more, else the data's own grain — made
 * coarser only when it would draw thousands of points.
 */
export function chooseBucket(
  col: ColumnFeat,
  filters: Filter[],
  intents: Intents,
): Bucket {
  const natural = naturalGrain(col);
  const asked = intents.bucket;
  // A cycle the column cannot tell (the hour of a date) is not drawn.
  if (asked && (!isCycle(asked) || hasCycle(col, asked))) {
    return coarser(asked, natural);
  }
  if (intents.window) {
    const unit = intents.window.unit;
    const wanted: Bucket = unit === "day" || unit === "week" ? "day" : "month";
    return coarser(wanted, natural);
  }
  const range = effectiveRange(col, filters);
  if (!range) return natural;
  let bucket = natural;
  for (const next of ["month", "year"] as Bucket[]) {
    if (periods(range.min, range.max, bucket) <= 3000) break;
    bucket = coarser(next, bucket);
  }
  return bucket;
}

/** Range filters on a time column for the request's years, months and window. */
export function rangeFilters(
  intents: Intents,
  timeCol: ColumnFeat | undefined,
  lang: Lang,
  /** The year a chart already shows, for "only the first half". */
  shownYear?: number,
): Filter[] {
  const out: Extract<Filter, { op: "range" }>[] = [];
  if (!timeCol) return out;
  const t = language(lang).text;
  const column = timeCol.name;
  const range = columnRange(timeCol);
  if (intents.window && range) {
    const { gte, lt } = windowRange(
      range.max,
      intents.window.n,
      intents.window.unit,
    );
    out.push({
      column,
      op: "range",
      gte,
      lt,
      label: t.last(intents.window.n, intents.window.unit),
    });
  }
  for (const y of intents.years) {
    const label = y.from !== undefined && y.to !== undefined
      ? (y.from === y.to ? String(y.from) : `${y.from}–${y.to}`)
      : y.from !== undefined
      ? `${t.since} ${y.from}`
      : `${t.until} ${y.to}`;
    out.push({
      column,
      op: "range",
      ...(y.from !== undefined ? { gte: `${y.from}-01-01` } : {}),
      ...(y.to !== undefined ? { lt: `${y.to + 1}-01-01` } : {}),
      label,
    });
  }
  for (const { y, m } of intents.monthYears) {
    const start = new Date(Date.UTC(y, m - 1, 1));
    out.push({
      column,
      op: "range",
      gte: isoOf(start),
      lt: isoOf(addMonths(start, 1)),
      label: isoOf(start).slice(0, 7),
    });
  }
  // "the first half (of 2001)": six months of the year named or shown.
  if (intents.half) {
    const single = intents.years.length === 1 &&
        intents.years[0].from === intents.years[0].to
      ? intents.years[0].from
      : undefined;
    const y = single ?? shownYear ??
      (range ? Number(range.max.slice(0, 4)) : undefined);
    if (y !== undefined) {
      const [from, to] = intents.half === 1
        ? [`${y}-01-01`, `${y}-07-01`]
        : [`${y}-07-01`, `${y + 1}-01-01`];
      return [
        ...out.filter((f) => f.label !== String(y)),
        {
          column,
          op: "range",
          gte: from,
          lt: to,
          label: `${y} H${intents.half}`,
        },
      ];
    }
  }
  // Several separate years ("2023 and 2025") would AND to nothing: keep their hull.
  if (intents.years.length + intents.monthYears.length > 1) {
    const gte = out.map((f) => f.gte).filter((v): v is string => !!v).sort()[0];
    const lt = out.map((f) => f.lt).filter((v): v is string => !!v).sort().at(
      -1,
    );
    return [{
      column,
      op: "range",
      ...(gte ? { gte } : {}),
      ...(lt ? { lt } : {}),
      label: out.map((f) => f.label).join(", "),
    }];
  }
  return out;
}

/** A time axis over a column at a grain (with its quarter or month column below a year). */
export function timeAxis(col: ColumnFeat, bucket: Bucket): XAxis {
  return {
    kind: "time",
    column: col.name,
    bucket,
    name: bucket === "day" ? col.name : bucket,
    ...(col.sub && bucket !== "year" ? { sub: col.sub } : {}),
  };
}
