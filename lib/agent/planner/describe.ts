/**
 * Words for a chart: its title, axis labels and the sentence that presents
 * it, in the request's language.
 */
import type { ChartSpec } from "@/lib/charts/spec.ts";
import type { DatasetProfile } from "@/lib/data/table.ts";
import { fold, language } from "@/lib/agent/lang/mod.ts";
import { buildSql, seriesNames } from "./sql.ts";
import type { ChartPlan, ChartQuery, Filter } from "./types.ts";

function filterLabel(f: Filter, q: ChartQuery): string {
  const t = language(q.lang).text;
  if (f.op === "range") return f.label;
  if (f.op === "in") {
    const values = f.values.map(String).join(", ");
    // A bare number says nothing without its column ("PSI = 1", not "1").
    if (!f.values.every((v) => typeof v === "number")) return values;
    return f.values.length === 1
      ? `${f.column} = ${values}`
      : `${f.column}: ${values}`;
  }
  if (f.op === "not_in") {
    return `${t.except} ${f.values.map(String).join(", ")}`;
  }
  return `${f.column} ${t.compare[f.op]} ${f.value}`;
}

function describe(
  q: ChartQuery,
): { title: string; xLabel: string; yLabel: string } {
  const t = language(q.lang).text;
  const m = q.measures[0];
  const measureNames = q.measures.map((x) => x.column ?? x.name).join(", ");
  const xLabel = q.x.kind === "time" ? t.bucket[q.x.bucket] : q.x.column;
  let title: string;
  if (q.x.kind === "value") {
    title = `${m.name} vs ${q.x.column}`;
    if (q.split) title += ` ${t.by} ${q.split.column}`;
  } else if (q.x.kind === "bins") {
    title = `${t.distributionOf} ${q.x.column}`;
  } else {
    const aggLabel = t.agg[m.agg];
    const what = m.column === null
      ? (m.label ? t.countOf(m.label) : t.rows)
      : fold(aggLabel.split(" ")[0]) === fold(measureNames)
      ? aggLabel.split(" ")[0]
      : `${aggLabel} ${measureNames}`;
    title = `${what} ${t.by} ${xLabel}`;
    if (
      q.split &&
      !q.filters.some((f) => f.column === q.split!.column && f.op === "in")
    ) {
      title += `, ${t.by} ${q.split.column}`;
    }
  }
  const extras = q.filters.map((f) => filterLabel(f, q));
  if (q.split && q.x.kind !== "value") {
    const i = q.filters.findIndex((f) =>
      f.column === q.split!.column && f.op === "in"
    );
    if (i >= 0) extras[i] = q.split.values.join(" vs ");
  }
  if (q.limit !== null && q.x.kind !== "value" && q.x.kind !== "bins") {
    const end = q.limitDir ?? q.sort?.dir;
    extras.push(end === "asc" ? t.bottom(q.limit) : t.top(q.limit));
  }
  if (extras.length) title += ` — ${extras.join(", ")}`;
  if (title.length > 300) title = title.slice(0, 299) + "…";
  // A heatmap's rows are the split's values: its y axis names that column.
  const yLabel = q.x.kind === "value" || q.x.kind === "bins"
    ? m.name
    : q.chartType === "heatmap" && q.split
    ? q.split.column
    : q.split
    ? `${t.agg[m.agg]} ${m.column ?? m.name}`.trim()
    : measureNames;
  return { title, xLabel, yLabel };
}

/** The chart spec a query draws. */
export function specOf(q: ChartQuery, ds: DatasetProfile): ChartSpec {
  const { title, xLabel, yLabel } = describe(q);
  const spec = {
    type: q.chartType,
    title,
    subtitle: ds.name.slice(0, 300),
    x: q.x.name,
    series: seriesNames(q),
    xLabel: xLabel.slice(0, 200),
    yLabel: yLabel.slice(0, 200),
  } as ChartSpec;
  if (q.x.kind === "value" && q.split) spec.group = q.split.column;
  if (q.x.kind === "bins") spec.binWidth = q.x.width;
  if (q.horizontal && q.chartType === "bar") spec.horizontal = true;
  if (
    q.stacked && (q.chartType === "bar" || q.chartType === "area") &&
    spec.series.length > 1
  ) {
    spec.stacked = true;
  }
  return spec;
}

/** Compiles a query into a chart plan: SQL, spec and the sentence that presents it. */
export function chartPlan(
  q: ChartQuery,
  ds: DatasetProfile,
  refines?: string,
): ChartPlan {
  const { sql, params } = buildSql(q, ds);
  const spec = specOf(q, ds);
  const t = language(q.lang).text;
  const kind = q.chartType === "bar" && q.horizontal
    ? t.kind.horizontalBar
    : q.chartType === "bar" && spec.stacked
    ? t.kind.stackedBar
    : t.kind[q.chartType];
  const reply = refines
    ? `${t.updated} ${kind}: ${spec.title}.`
    : `${t.here} ${kind}: ${spec.title}.`;
  const plan: ChartPlan = {
    kind: "chart",
    datasetId: ds.id,
    query: q,
    sql,
    params,
    spec,
    reply,
  };
  if (refines) plan.refines = refines;
  return plan;
}
