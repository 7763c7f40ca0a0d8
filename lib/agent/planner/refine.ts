/**
 * Changing the current chart: a turn that changes its kind, grain, filter,
 * split, sort, measure or aggregation makes a new version of it; a turn
 * that names a new measure together with a new dimension is a new chart
 * (and `refine` answers null).
 */
import { language } from "@/lib/agent/lang/mod.ts";
import {
  binsFor,
  countMeasure,
  finishNames,
  MAX_SPLIT,
  rolesOf,
  splitValues,
  valueFilters,
} from "./compose.ts";
import { chartPlan } from "./describe.ts";
import { clarify } from "./help.ts";
import type { Reading } from "./reading.ts";
import { chooseBucket, rangeFilters, timeAxis, timePeriods } from "./time.ts";
import { chooseKind } from "./kind.ts";
import type { ChartQuery, Plan, RefinableChart } from "./types.ts";

function hasChange(r: Reading): boolean {
  const i = r.intents;
  return !!(i.kind || i.aggs.length || i.bucket || i.window || i.years.length ||
    i.half || i.quarters.length ||
    i.monthYears.length || i.top || i.sort || i.stacked || i.horizontal ||
    i.timeSignal || r.links.values.length || i.comparisons.length ||
    i.share || i.binWidth || (i.superlative && !r.links.cols.length));
}

/** A new version of the current chart, or null when the request asks for a different chart. */
export function refine(
  r: Reading,
  current: RefinableChart,
): Plan | null {
  const { df, intents, links, lang } = r;
  const t = language(lang).text;
  const base = current.query;
  const roles = rolesOf(r);
  const named = links.cols.filter((m) =>
    !roles.filters.some((f) => f.column === m.col.name)
  ).map((m) => m.col);
  // (A scatter's x column is not a new measure for its y.)
  const newMeasures = roles.measures.filter((c) =>
    !base.measures.some((m) => m.column === c.name) &&
    !(base.x.kind === "value" && base.x.column === c.name)
  );
  const dims = named.filter((c) =>
    c.role !== "measure" || roles.dims.includes(c)
  );
  // A measure named with a dimension describes a whole chart: a new one
  // ("revenue by product line" after "average revenue by region").
  // (Over time only when time is asked again: "average price by symbol" on
  // lines of price by symbol over time is the bar chart of symbols.)
  const overTime = base.x.kind !== "time" || !!intents.bucket ||
    intents.timeSignal || roles.times.length > 0;
  const sameChart =
    dims.every((d) =>
      d.name === base.x.column || d.name === base.split?.column && overTime
    ) && roles.times.every((c) => c.name === base.x.column);
  // ("number of cars by origin" counts: a measure too.)
  const measured = roles.measures.length > 0 || roles.counted.length > 0 ||
    roles.aggs.includes("count");
  const axis = dims.length > 0 || roles.times.length > 0;
  if (
    measured && axis && !intents.instead && (newMeasures.length || !sameChart)
  ) {
    return null;
  }
  // A total, average or count over a dimension is no scatter of points: a
  // new chart ("how many penguins on each island" after "flipper length vs
  // body mass").
  if (
    !intents.instead && base.x.kind === "value" && roles.aggs.length > 0 &&
    (axis || intents.bucket)
  ) {
    return null;
  }
  // Two measures against each other, or the spread of one, describe a whole
  // chart too ("copper price vs aluminium price", "distribution of age").
  if (
    !intents.instead &&
    ((intents.versus || intents.kind === "scatter") &&
        roles.measures.length >= 2 ||
      (intents.distribution && roles.measures.length > 0 && !dims.length))
  ) {
    return null;
  }
  // A new measure over time ("monthly units over time") is a new chart too,
  // and so is one at another grain of a time axis ("average temp_max by day
  // of the week" after rainy days by month).
  if (
    newMeasures.length && !intents.instead &&
    (intents.timeSignal || intents.bucket) &&
    (base.x.kind !== "time" ||
      (!!intents.bucket && intents.bucket !== base.x.bucket))
  ) {
    return null;
  }
  if (newMeasures.length > 1) return null;
  // A word we could not place may be the point of the request: do not guess a refinement.
  if (links.leftovers.length > 0) return null;
  if (named.length === 0 && !hasChange(r) && !roles.filters.length) return null;
  if (links.ambiguous.length) {
    return clarify(
      t.which(links.ambiguous[0].options),
      links.ambiguous[0].options,
    );
  }

  const q: ChartQuery = structuredClone(base);
  q.lang = lang;
  const colFeat = (name: string) => df.columns.find((c) => c.name === name);
  const timeCol = q.x.kind === "time"
    ? colFeat(q.x.column)
    : roles.times[0] ?? df.timeColumns[0];

  // A measure in place of the current one ("pm10 instead", "now the maximum of wounds").
  if (newMeasures.length === 1) {
    const c = newMeasures[0];
    q.measures = q.x.kind === "value" || q.x.kind === "bins"
      ? [{ ...q.measures[0], column: c.name, name: c.name }]
      : [{
        column: c.name,
        agg: q.measures[0].agg === "count"
          ? (c.additive ? "sum" : "avg")
          : q.measures[0].agg,
        name: c.name,
      }];
    if (q.x.kind === "bins") q.x = { ...q.x, column: c.name, name: c.name };
  }

  // A new dimension: a category becomes the axis (or splits a time axis), a time column the axis.
  const cat = dims.find((c) => c.role !== "time");
  const time = roles.times[0];
  if (cat && q.x.kind === "time" && !intents.bucket && !time) {
    q.split = { column: cat.name, values: [] };
  } else if (cat && q.x.kind === "category") {
    if (q.x.column !== cat.name && (time || intents.bucket)) {
      q.split = { column: q.x.column, values: [] };
    }
    if (!(time || intents.bucket)) {
      q.x = { kind: "category", column: cat.name, name: cat.name };
      q.split = null;
    }
  } else if (cat && q.x.kind === "value") {
    q.split = { column: cat.name, values: [] };
  }
  // "by year instead" on a chart of years and quarters: by year.
  if (time && q.x.kind === "time" && q.x.column === time.name && time.sub) {
    q.x = { ...q.x, bucket: "year", name: "" };
    intents.bucket ??= "year";
  }
  if (time && q.x.kind === "category") {
    const old = q.x.column;
    q.x = { kind: "time", column: time.name, bucket: "day", name: "" };
    if (!q.split && old !== time.name) q.split = { column: old, values: [] };
  }
  // A line or area of a chart by a group of a few values: one per group over
  // time, as a new chart would draw it (compose.ts).
  const linesOfGroups = (intents.kind === "line" || intents.kind === "area") &&
    q.x.kind === "category" && !q.split &&
    (colFeat(q.x.column)?.distinctCount ?? Infinity) <= MAX_SPLIT;
  if (
    (intents.bucket || intents.timeSignal || linesOfGroups) &&
    q.x.kind === "category" && timeCol
  ) {
    q.split = { column: q.x.column, values: [] };
    q.x = {
      kind: "time",
      column: timeCol.name,
      bucket: intents.bucket ?? "day",
      name: "",
    };
  }

  // Filters: a new time range replaces the old one; new values replace a column's values
  // (or join them after "also").
  const shown = q.filters.find((f) =>
    f.op === "range" && f.column === timeCol?.name && !!f.gte && !!f.lt &&
    Number(f.lt.slice(0, 4)) - Number(f.gte.slice(0, 4)) === 1 &&
    f.lt.slice(5) === "01-01"
  );
  const shownYear = shown?.op === "range"
    ? Number(shown.gte!.slice(0, 4))
    : undefined;
  const ranges = rangeFilters(intents, timeCol, lang, shownYear);
  if (ranges.length) {
    q.filters = q.filters.filter((f) =>
      !(f.op === "range" && f.column === ranges[0].column)
    );
    q.filters.push(...ranges);
  }
  for (const vf of [...valueFilters(r), ...roles.filters]) {
    if (vf.op === "in" || vf.op === "not_in") {
      const same = q.filters.find((f) =>
        f.column === vf.column && f.op === vf.op
      );
      if (
        same && same.op === vf.op &&
        (same.op === "in" || same.op === "not_in") && intents.add &&
        !intents.only
      ) {
        for (const v of vf.values) {
          if (!same.values.includes(v)) same.values.push(v);
        }
      } else {
        q.filters = q.filters.filter((f) =>
          f.column !== vf.column || f.op === "range" ||
          !(f.op === "in" || f.op === "not_in")
        );
        q.filters.push(vf);
      }
      if (q.split?.column === vf.column) q.split.values = [];
    } else if (vf.op !== "range") {
      q.filters = q.filters.filter((f) =>
        !(f.column === vf.column && f.op === vf.op)
      );
      q.filters.push(vf);
    }
  }

  // "highest price per symbol" on a chart by symbol: each group's maximum,
  // as a new chart would take it (compose.ts).
  const superlative = intents.superlative && !intents.top &&
      intents.by.length > 0 && q.x.kind === "category" &&
      q.measures.every((m) => m.column !== null && !colFeat(m.column)?.additive)
    ? (intents.superlative.dir === "desc" ? "max" : "min")
    : undefined;
  const agg = roles.aggs[0] ?? superlative;
  if (
    agg && q.x.kind !== "value" && q.x.kind !== "bins" && !newMeasures.length
  ) {
    q.measures = agg === "count"
      ? [countMeasure(null, lang)]
      : q.measures.map((m) =>
        m.column === null ? m : { ...m, agg, distinct: undefined }
      );
  }
  if (intents.top) {
    q.sort = { by: "value", dir: intents.top.dir };
    q.limit = intents.top.n;
    delete q.limitDir;
  } else if (intents.sort) {
    // "sort ascending" on a top 10 orders those ten; it does not pick the bottom ten.
    if (q.limit !== null && q.sort?.by === "value") q.limitDir ??= q.sort.dir;
    q.sort = intents.sort;
  } else if (intents.superlative && q.x.kind === "category") {
    q.sort = { by: "value", dir: intents.superlative.dir };
  }
  if (intents.stacked) q.stacked = true;
  if (intents.horizontal) q.horizontal = true;

  // Chart kind, with what each kind can draw (a histogram is already a bar chart).
  const asked = intents.kind ?? (intents.share ? "pie" : undefined);
  const kind = asked === "bar" && q.x.kind === "bins" ? "histogram" : asked;
  if (kind) {
    if (kind === "scatter" && q.x.kind !== "value") {
      return clarify(
        t.scatterNeeds,
        df.columns.filter((c) => c.role === "measure").map((c) => c.name),
      );
    }
    if (
      kind !== "scatter" && kind !== "histogram" &&
      (q.x.kind === "value" || q.x.kind === "bins")
    ) {
      // From a scatter or histogram to an aggregate chart: the measure over the default axis.
      const group = q.split ? colFeat(q.split.column) : undefined;
      const tc = df.timeColumns[0];
      const categories = df.columns.filter((c) =>
        c.role === "category" && c.distinctCount <= 100
      );
      const only = categories.length === 1 ? categories[0] : undefined;
      const x = group ?? only
        ? {
          kind: "category" as const,
          column: (group ?? only)!.name,
          name: (group ?? only)!.name,
        }
        : tc
        ? {
          kind: "time" as const,
          column: tc.name,
          bucket: "day" as const,
          name: "",
        }
        : null;
      if (!x) {
        // Nothing to draw it over: a question only when there is a choice.
        return categories.length
          ? clarify(t.groupBy, categories.map((c) => c.name))
          : null;
      }
      if (q.x.kind === "bins") {
        q.measures = [{ column: q.x.column, agg: "avg", name: q.x.column }];
      }
      q.x = x;
      q.split = null;
    }
    if (kind === "histogram" && q.x.kind !== "bins") {
      const m = q.measures.find((x) => x.column !== null);
      const c = m ? colFeat(m.column!) : undefined;
      if (!c) {
        return clarify(
          t.histogramNeeds,
          df.columns.filter((x) => x.role === "measure").map((x) => x.name),
        );
      }
      const bins = binsFor(
        Number(c.profile.min),
        Number(c.profile.max),
        intents.binWidth,
      );
      q.x = { kind: "bins", column: c.name, name: c.name, ...bins };
      q.measures = [countMeasure(null, lang)];
      q.split = null;
      q.sort = null;
      q.limit = null;
    }
    q.chartType = kind === "heatmap" && !q.split ? q.chartType : kind;
    if (
      kind === "bar" && !intents.horizontal && base.horizontal &&
      base.chartType === "bar"
    ) {
      q.horizontal = false;
    }
    if (q.chartType === "pie" || q.chartType === "donut") {
      if (q.split && q.x.kind === "time") {
        const values = q.split.values;
        q.x = {
          kind: "category",
          column: q.split.column,
          name: q.split.column,
        };
        if (
          !q.filters.some((f) => f.column === q.split!.column) && values.length
        ) {
          q.filters.push({ column: q.split.column, op: "in", values });
        }
      }
      q.split = null;
      q.measures = q.measures.slice(0, 1);
    }
  }

  // "use 10-year bins" on a histogram: the same column in bins of that width.
  if (intents.binWidth && q.x.kind === "bins") {
    const c = colFeat(q.x.column);
    if (c) {
      q.x = {
        ...q.x,
        ...binsFor(
          Number(c.profile.min),
          Number(c.profile.max),
          intents.binWidth,
        ),
      };
    }
  }

  // Resolve the time grain and the split's values against the data.
  if (q.x.kind === "time") {
    const col = colFeat(q.x.column);
    if (!col) return null;
    const bucket = intents.bucket || q.x.name === ""
      ? chooseBucket(col, q.filters, intents)
      : q.x.bucket;
    q.x = timeAxis(col, bucket);
    // Another grain asked of a line chart: bars where a new chart at that
    // grain would have them (the days of the week, a few years).
    if (
      intents.bucket && !intents.kind && base.x.kind === "time" &&
      base.x.bucket !== bucket && q.chartType === "line"
    ) {
      q.chartType = chooseKind({
        share: false,
        x: q.x,
        categories: 0,
        periods: timePeriods(col, bucket, q.filters),
        split: !!q.split,
        overTime: intents.timeSignal,
      });
    }
    // "per year" on a chart of 2008's months: the years, not 2008's one bar.
    if (
      (bucket === "year" || bucket === "decade") && intents.bucket &&
      shown && !ranges.length
    ) {
      q.filters = q.filters.filter((f) => f !== shown);
    }
  }
  if (q.split && q.x.kind !== "value") {
    const f = colFeat(q.split.column);
    if (!f) return null;
    const values = q.split.values.length
      ? q.split.values
      : splitValues(f, q.filters);
    if (!values) {
      return clarify(
        t.whichMany(f.name),
        (f.profile.distinct ?? []).slice(0, 10),
      );
    }
    const filtered = q.filters.some((x) =>
      x.column === f.name && x.op === "in"
    );
    if (values.length < 2 && filtered) q.split = null;
    else q.split = { column: f.name, values: values.slice(0, MAX_SPLIT * 2) };
    if (q.split) q.measures = q.measures.slice(0, 1);
  } else if (q.x.kind === "time" && !q.split) {
    // "for INVEX and Sistema" on a time chart: one series each.
    const multi = q.filters.find((f) => f.op === "in" && f.values.length >= 2);
    if (
      multi && multi.op === "in" && q.chartType !== "pie" &&
      q.chartType !== "donut"
    ) {
      q.split = { column: multi.column, values: multi.values.map(String) };
      q.measures = q.measures.slice(0, 1);
    }
  }
  if (q.x.kind === "time" && q.sort?.by === "value" && q.limit === null) {
    q.sort = null;
  }
  // The axis changed kind and no kind was asked for: that axis's usual kind.
  if (
    !kind && q.x.kind !== base.x.kind && q.x.kind !== "value" &&
    q.x.kind !== "bins"
  ) {
    q.chartType = q.x.kind === "time" ? "line" : "bar";
  }
  return chartPlan(finishNames(q), df.profile, current.artifactId);
}
