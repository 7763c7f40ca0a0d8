/**
 * The chart a model asks for: the arguments of `make_chart` and
 * `refine_chart`, a plain form of the planner's `ChartQuery` that names the
 * session's real datasets and columns. Their zod schemas are built per turn
 * from those datasets (so the JSON Schema the model sees lists them), every
 * argument is checked against the columns' types and values, and a valid one
 * is compiled into a `ChartQuery` — which our own SQL builder turns into SQL.
 */
import { z } from "zod";
import type { ColumnProfile, DatasetProfile } from "@/lib/data/table.ts";
import { fold } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import {
  binsFor,
  countMeasure,
  finishNames,
  MAX_SPLIT,
} from "@/lib/agent/planner/compose.ts";
import { chooseKind } from "@/lib/agent/planner/kind.ts";
import { type ColumnFeat, datasetFeat } from "@/lib/agent/planner/schema.ts";
import {
  coarser,
  naturalGrain,
  timeAxis,
  timePeriods,
} from "@/lib/agent/planner/time.ts";
import type {
  Bucket,
  ChartQuery,
  Filter,
  Measure,
  XAxis,
} from "@/lib/agent/planner/types.ts";

export const AGGS = ["avg", "sum", "count", "min", "max", "median"] as const;
export const BUCKETS = [
  "day",
  "week",
  "month",
  "quarter",
  "year",
  "decade",
  "month_of_year",
  "weekday",
  "hour_of_day",
] as const;
export const CHART_KINDS = [
  "line",
  "bar",
  "area",
  "pie",
  "donut",
  "scatter",
  "histogram",
  "heatmap",
] as const;
const X_KINDS = ["time", "category", "value", "bins"] as const;
const FILTER_OPS = [
  "in",
  "not_in",
  "range",
  "gt",
  "gte",
  "lt",
  "lte",
  "eq",
] as const;
/** Most categories a chart draws when the model sets no limit. */
const CATEGORY_CAP = 50;
/** Most bins a histogram may have. */
const MAX_BINS = 500;
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** The zod schemas of one turn's chart arguments, for its datasets. */
export function chartArgSchemas(datasets: DatasetProfile[]) {
  const ids = datasets.map((d) => d.id);
  const names = [...new Set(datasets.flatMap((d) => d.columns))].map((c) =>
    c.name
  );
  // An enum lists the real columns in the JSON Schema; a very wide session gets plain strings.
  const column = names.length > 0 && names.length <= 400
    ? z.enum([...new Set(names)] as [string, ...string[]])
    : z.string().min(1).max(300);
  const dataset = ids.length
    ? z.enum(ids as [string, ...string[]])
    : z.string().min(1);
  const fields = chartFields(column);
  const make = z.object({
    dataset: dataset.describe("id of the dataset to chart"),
    ...fields,
  }).strict();
  const refine = z.object(
    Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, v.optional()]),
    ) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> },
  ).strict();
  return { make, refine };
}

function chartFields(column: z.ZodType<string>) {
  const scalar = z.union([z.string().max(500), z.number()]);
  return {
    chart_type: z.enum(CHART_KINDS).optional().describe(
      "omit to let the app choose (a line over time, bars over categories)",
    ),
    measures: z.array(
      z.object({
        column: column.nullable().describe(
          "the column aggregated; null with agg count counts rows",
        ),
        agg: z.enum(AGGS),
        distinct: z.boolean().optional().describe(
          "with count: count different values",
        ),
      }).strict(),
    ).min(1).max(10).describe(
      "what is drawn on the value axis (scatter: the y column; histogram: ignored)",
    ),
    x: z.object({
      column,
      kind: z.enum(X_KINDS).optional().describe(
        "time: dates or years bucketed; category: one bar or slice per value; value: scatter x; bins: histogram",
      ),
      bucket: z.enum(BUCKETS).optional().describe("time axes only"),
      bin_width: z.number().positive().finite().optional().describe(
        "histograms only",
      ),
    }).strict(),
    split: z.object({
      column,
      values: z.array(z.string().max(500)).max(50).optional().describe(
        "which values become series; omit for all of them (at most 20)",
      ),
    }).strict().nullable().optional().describe(
      "one series per value of a column (heatmap: its rows)",
    ),
    filters: z.array(
      z.object({
        column,
        op: z.enum(FILTER_OPS),
        values: z.array(scalar).min(1).max(200).optional().describe(
          "in, not_in",
        ),
        value: z.number().finite().optional().describe("gt, gte, lt, lte, eq"),
        gte: z.string().max(10).optional().describe(
          "range: first date kept (YYYY, YYYY-MM or YYYY-MM-DD)",
        ),
        lt: z.string().max(10).optional().describe(
          "range: first date no longer kept",
        ),
      }).strict(),
    ).max(20).optional(),
    sort: z.object({
      by: z.enum(["value", "x"]),
      dir: z.enum(["asc", "desc"]),
    }).strict().nullable().optional(),
    limit: z.number().int().min(1).max(1000).nullable().optional().describe(
      "keep the first N categories after sorting (top N)",
    ),
    stacked: z.boolean().optional(),
    horizontal: z.boolean().optional(),
  };
}

export type ChartArgs = z.infer<ReturnType<typeof chartArgSchemas>["make"]>;
export type RefineArgs = z.infer<ReturnType<typeof chartArgSchemas>["refine"]>;
type FilterArg = NonNullable<ChartArgs["filters"]>[number];

const NUMERIC = new Set(["integer", "number"]);

/** A problem with an argument: where, and what to do about it. */
export interface ArgIssue {
  path: (string | number)[];
  message: string;
}

function listed(names: string[], max = 40): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n)).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** A column's stored value for a value the model wrote (case and accents aside), or null. */
function storedValue(col: ColumnProfile, value: string): string | null {
  const all = col.distinct ?? [];
  const exact = all.find((v) => v === value);
  if (exact !== undefined) return exact;
  const folded = fold(value.trim());
  return all.find((v) => fold(v) === folded) ?? null;
}

/** Whether a column's profile lists every one of its values. */
function allValuesKnown(col: ColumnProfile): boolean {
  return (col.distinct?.length ?? 0) > 0 &&
    (col.distinctCount ?? Infinity) <= (col.distinct?.length ?? 0) &&
    !col.distinctEstimated;
}

function xKindOf(args: ChartArgs, col: ColumnFeat): typeof X_KINDS[number] {
  if (args.x.kind) return args.x.kind;
  if (args.chart_type === "scatter") return "value";
  if (args.chart_type === "histogram") return "bins";
  const timeLike = col.profile.type === "date" ||
    col.profile.type === "datetime" || col.yearNumbers;
  return timeLike && args.chart_type !== "pie" && args.chart_type !== "donut"
    ? "time"
    : "category";
}

/** Checks chart arguments against their dataset's columns; returns every problem found. */
export function checkChartArgs(
  args: ChartArgs,
  profile: DatasetProfile,
): ArgIssue[] {
  const issues: ArgIssue[] = [];
  const feat = datasetFeat(profile);
  const byName = new Map(feat.columns.map((c) => [c.name, c]));
  const all = feat.columns.map((c) => c.name);
  const col = (name: string | null, path: (string | number)[]) => {
    if (name === null) return null;
    const c = byName.get(name);
    if (!c) {
      issues.push({
        path,
        message: `"${name}" is not a column of dataset ${
          JSON.stringify(profile.name)
        } (id ${profile.id}); its columns are ${listed(all)}`,
      });
    }
    return c ?? null;
  };
  const numeric = (c: ColumnFeat | null) => !!c && NUMERIC.has(c.profile.type);

  const x = col(args.x.column, ["x", "column"]);
  const kind = x ? xKindOf(args, x) : null;
  const chart = args.chart_type;
  if (chart === "scatter" && kind && kind !== "value") {
    issues.push({
      path: ["x", "kind"],
      message: 'a scatter plot needs x.kind "value"',
    });
  }
  if (chart === "histogram" && kind && kind !== "bins") {
    issues.push({
      path: ["x", "kind"],
      message: 'a histogram needs x.kind "bins"',
    });
  }
  if (kind === "value" && chart && chart !== "scatter") {
    issues.push({
      path: ["chart_type"],
      message: 'x.kind "value" draws a scatter plot',
    });
  }
  if (kind === "bins" && chart && chart !== "histogram") {
    issues.push({
      path: ["chart_type"],
      message: 'x.kind "bins" draws a histogram',
    });
  }
  if (x && kind === "time") {
    const timeLike = x.profile.type === "date" ||
      x.profile.type === "datetime" || x.yearNumbers;
    if (!timeLike) {
      issues.push({
        path: ["x", "kind"],
        message:
          `"${x.name}" holds ${x.profile.type} values, not dates or years`,
      });
    }
  }
  if (x && (kind === "value" || kind === "bins") && !numeric(x)) {
    issues.push({
      path: ["x", "column"],
      message:
        `x.kind "${kind}" needs a numeric column; "${x.name}" is ${x.profile.type}`,
    });
  }
  if (x && kind === "bins") {
    const span = Number(x.profile.max) - Number(x.profile.min);
    if (args.x.bin_width && span / args.x.bin_width > MAX_BINS) {
      issues.push({
        path: ["x", "bin_width"],
        message:
          `bin_width ${args.x.bin_width} makes more than ${MAX_BINS} bins over ${x.profile.min}…${x.profile.max}`,
      });
    }
  }

  args.measures.forEach((m, i) => {
    const c = col(m.column, ["measures", i, "column"]);
    if (kind === "bins") return;
    if (m.agg !== "count" && m.column === null) {
      issues.push({
        path: ["measures", i, "column"],
        message: `agg "${m.agg}" needs a column; only "count" counts rows`,
      });
    }
    if (c && (m.agg !== "count" || kind === "value") && !numeric(c)) {
      issues.push({
        path: ["measures", i, "column"],
        message: `${
          kind === "value" ? "a scatter plot's y" : `agg "${m.agg}"`
        } needs a numeric column; "${c.name}" is ${c.profile.type}`,
      });
    }
  });

  if (args.split) {
    const s = col(args.split.column, ["split", "column"]);
    if (chart === "pie" || chart === "donut" || chart === "histogram") {
      issues.push({
        path: ["split"],
        message: `a ${chart} has no split; set split to null`,
      });
    } else if (s && x && s.name === x.name) {
      issues.push({
        path: ["split", "column"],
        message: "split by another column than the x axis",
      });
    } else if (s) {
      const values = args.split.values ?? [];
      const missing = allValuesKnown(s.profile)
        ? values.filter((v) => storedValue(s.profile, v) === null)
        : [];
      if (missing.length) {
        issues.push({
          path: ["split", "values"],
          message: `${listed(missing)} ${
            missing.length === 1 ? "is" : "are"
          } not in "${s.name}"; its values are ${
            listed(s.profile.distinct ?? [])
          }`,
        });
      }
      if (
        !values.length && kind !== "value" &&
        (s.distinctCount > MAX_SPLIT || !(s.profile.distinct?.length))
      ) {
        issues.push({
          path: ["split", "values"],
          message:
            `"${s.name}" has ${s.distinctCount} values: name at most ${MAX_SPLIT} in split.values`,
        });
      }
    }
  } else if (chart === "heatmap") {
    issues.push({
      path: ["split"],
      message: "a heatmap needs split: the column whose values are its rows",
    });
  }

  (args.filters ?? []).forEach((f, i) => {
    const c = col(f.column, ["filters", i, "column"]);
    if (!c) return;
    const at = (field: string) => ["filters", i, field];
    if (f.op === "in" || f.op === "not_in") {
      if (!f.values?.length) {
        issues.push({ path: at("values"), message: `${f.op} needs values` });
        return;
      }
      if (numeric(c)) {
        const bad = f.values.filter((v) => !Number.isFinite(Number(v)));
        if (bad.length) {
          issues.push({
            path: at("values"),
            message: `"${c.name}" holds numbers; ${listed(bad.map(String))} ${
              bad.length === 1 ? "is" : "are"
            } not`,
          });
        }
      } else if (allValuesKnown(c.profile)) {
        const missing = f.values.map(String).filter((v) =>
          storedValue(c.profile, v) === null
        );
        if (missing.length) {
          issues.push({
            path: at("values"),
            message: `${listed(missing)} ${
              missing.length === 1 ? "is" : "are"
            } not in "${c.name}"; its values are ${
              listed(c.profile.distinct ?? [])
            }`,
          });
        }
      }
    } else if (f.op === "range") {
      const timeLike = c.profile.type === "date" ||
        c.profile.type === "datetime" || c.yearNumbers;
      if (!timeLike) {
        issues.push({
          path: at("op"),
          message:
            `range filters dates or years; "${c.name}" is ${c.profile.type} (use gt, gte, lt, lte)`,
        });
      }
      if (f.gte === undefined && f.lt === undefined) {
        issues.push({ path: at("gte"), message: "range needs gte or lt" });
      }
      for (const bound of ["gte", "lt"] as const) {
        const v = f[bound];
        if (v !== undefined && !ISO_DATE.test(v)) {
          issues.push({
            path: at(bound),
            message: `"${v}" is not YYYY, YYYY-MM or YYYY-MM-DD`,
          });
        }
      }
    } else {
      if (f.value === undefined) {
        issues.push({ path: at("value"), message: `${f.op} needs a value` });
      }
      if (!numeric(c)) {
        issues.push({
          path: at("op"),
          message: `${f.op} compares numbers; "${c.name}" is ${c.profile.type}`,
        });
      }
    }
  });
  return issues;
}

function measureName(m: Measure, taken: Set<string>): string {
  let name = m.name;
  if (taken.has(name)) name = `${m.agg}_${name}`;
  while (taken.has(name)) name += "_";
  taken.add(name);
  return name;
}

function rangeLabel(f: { gte?: string; lt?: string }): string {
  if (f.gte && f.lt) return `${f.gte} – ${f.lt}`;
  return f.gte ? `≥ ${f.gte}` : `< ${f.lt}`;
}

function filterOf(f: FilterArg, c: ColumnFeat): Filter {
  if (f.op === "in" || f.op === "not_in") {
    const values = NUMERIC.has(c.profile.type)
      ? f.values!.map(Number)
      : f.values!.map((v) => storedValue(c.profile, String(v)) ?? String(v));
    return { column: c.name, op: f.op, values };
  }
  if (f.op === "range") {
    const range = {
      ...(f.gte !== undefined ? { gte: f.gte } : {}),
      ...(f.lt !== undefined ? { lt: f.lt } : {}),
    };
    return {
      column: c.name,
      op: "range",
      ...range,
      label: rangeLabel(range),
    };
  }
  return { column: c.name, op: f.op, value: f.value! };
}

/** The grain of a time axis: the one asked for (never finer than the data's), else the data's own, coarsened past 3,000 points. */
function bucketOf(
  col: ColumnFeat,
  asked: Bucket | undefined,
  filters: Filter[],
) {
  const natural = naturalGrain(col);
  if (asked) return coarser(asked, natural);
  let bucket = natural;
  for (const next of ["month", "year"] as Bucket[]) {
    if (timePeriods(col, bucket, filters) <= 3000) break;
    bucket = coarser(next, bucket);
  }
  return bucket;
}

/** Compiles checked chart arguments (see `checkChartArgs`) into the planner's query. */
export function toChartQuery(
  args: ChartArgs,
  profile: DatasetProfile,
  lang: Lang,
): ChartQuery {
  const feat = datasetFeat(profile);
  const byName = new Map(feat.columns.map((c) => [c.name, c]));
  const xCol = byName.get(args.x.column)!;
  const kind = xKindOf(args, xCol);
  const filters = (args.filters ?? []).map((f) =>
    filterOf(f, byName.get(f.column)!)
  );

  let x: XAxis;
  let measures: Measure[];
  if (kind === "value") {
    const y = args.measures[0].column!;
    x = { kind: "value", column: xCol.name, name: xCol.name };
    measures = [{ column: y, agg: "avg", name: y }];
  } else if (kind === "bins") {
    const min = Number(xCol.profile.min);
    const max = Number(xCol.profile.max);
    const auto = binsFor(min, max);
    const width = args.x.bin_width ?? auto.width;
    const start = args.x.bin_width
      ? Math.floor(min / width) * width
      : auto.start;
    x = { kind: "bins", column: xCol.name, name: xCol.name, start, width };
    measures = [countMeasure(null, lang)];
  } else {
    x = kind === "time"
      ? timeAxis(xCol, bucketOf(xCol, args.x.bucket, filters))
      : { kind: "category", column: xCol.name, name: xCol.name };
    const taken = new Set<string>();
    measures = args.measures.map((m) => {
      const base: Measure = m.column === null ? countMeasure(null, lang) : {
        column: m.column,
        agg: m.agg,
        name: m.column,
        ...(m.agg === "count" && m.distinct ? { distinct: true } : {}),
      };
      return { ...base, name: measureName(base, taken) };
    });
  }

  let split: ChartQuery["split"] = null;
  if (args.split) {
    const s = byName.get(args.split.column)!;
    const asked = (args.split.values ?? []).map((v) =>
      storedValue(s.profile, v) ?? v
    );
    const values = asked.length || kind === "value"
      ? asked
      : [...(s.profile.distinct ?? [])].sort((a, b) =>
        NUMERIC.has(s.profile.type) ? Number(a) - Number(b) : a.localeCompare(b)
      );
    split = { column: s.name, values: [...new Set(values)].slice(0, 50) };
    if (kind !== "value") measures = measures.slice(0, 1);
  }
  const pieLike = args.chart_type === "pie" || args.chart_type === "donut";
  if (pieLike || measures[0].agg === "median") measures = measures.slice(0, 1);

  let sort = args.sort ?? null;
  let limit = args.limit ?? null;
  if (kind === "category" && limit === null && xCol.distinctCount > 100) {
    sort ??= { by: "value", dir: "desc" };
    limit = CATEGORY_CAP;
  }
  const chartType = chooseKind({
    asked: args.chart_type,
    share: false,
    x,
    categories: limit ?? xCol.distinctCount,
    periods: x.kind === "time"
      ? timePeriods(xCol, x.bucket, filters)
      : undefined,
    split: !!split,
  });
  const q: ChartQuery = {
    datasetId: profile.id,
    chartType,
    measures,
    x,
    split,
    filters,
    sort,
    limit,
    lang,
  };
  if (args.stacked) q.stacked = true;
  if (args.horizontal) q.horizontal = true;
  return finishNames(q);
}

/** The chart arguments a query stands for: what a model sees of the current chart, and refines. */
export function argsOf(q: ChartQuery): ChartArgs {
  const x: ChartArgs["x"] = { column: q.x.column, kind: q.x.kind };
  if (q.x.kind === "time") x.bucket = q.x.bucket;
  if (q.x.kind === "bins") x.bin_width = q.x.width;
  return {
    dataset: q.datasetId,
    chart_type: q.chartType,
    measures: q.measures.map((m) => ({
      column: m.column,
      agg: m.agg,
      ...(m.distinct ? { distinct: true } : {}),
    })),
    x,
    split: q.split ? { column: q.split.column, values: q.split.values } : null,
    filters: q.filters.map((f): FilterArg =>
      f.op === "range"
        ? {
          column: f.column,
          op: "range",
          ...(f.gte !== undefined ? { gte: f.gte } : {}),
          ...(f.lt !== undefined ? { lt: f.lt } : {}),
        }
        : f.op === "in" || f.op === "not_in"
        ? { column: f.column, op: f.op, values: f.values }
        : { column: f.column, op: f.op, value: f.value }
    ),
    sort: q.sort,
    limit: q.limit,
    ...(q.stacked ? { stacked: true } : {}),
    ...(q.horizontal ? { horizontal: true } : {}),
  };
}

/** The arguments of a refinement: the current chart's, with the fields the model changed. */
export function refinedArgs(current: ChartArgs, change: RefineArgs): ChartArgs {
  const next = { ...current };
  for (const [k, v] of Object.entries(change)) {
    if (v !== undefined) (next as Record<string, unknown>)[k] = v;
  }
  // A new chart type on the same axis: let the axis kind follow it.
  if (change.chart_type && !change.x) {
    const { kind: _kind, bin_width: _w, ...x } = current.x;
    next.x = x;
  }
  return next;
}
