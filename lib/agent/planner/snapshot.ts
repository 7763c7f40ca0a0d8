/** Turning a chart query's result rows into the frozen snapshot its spec draws. */
import type { Column, Snapshot } from "@/lib/charts/spec.ts";
import type { QueryResult } from "@/lib/data/query.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Bucket, Lang } from "@/lib/agent/lang/types.ts";
import { isCycle } from "./time.ts";
import type { Plan } from "./types.ts";

/**
 * The name a cycle's value is shown by: "Mar" for "03", "Tue" for "1"
 * (Monday first), "14:00" for "14"; other values as they are.
 */
function cycleLabel(value: string, bucket: Bucket, lang: Lang): string {
  const t = language(lang).text;
  if (bucket === "month_of_year") {
    return t.monthNames[Number(value) - 1] ?? value;
  }
  if (bucket === "weekday") return t.weekdayNames[Number(value)] ?? value;
  if (bucket === "hour_of_day") return `${value}:00`;
  return value;
}

function roundValue(v: number): number {
  if (!Number.isFinite(v)) return v;
  return Number(v.toPrecision(12));
}

const num = (v: string | number | null | undefined): number | null =>
  v === null || v === undefined
    ? null
    : typeof v === "number"
    ? roundValue(v)
    : Number.isFinite(Number(v))
    ? roundValue(Number(v))
    : null;

/** Turns a chart plan's query result into the frozen snapshot its spec draws (split series already wide). */
export function toSnapshot(plan: Plan, result: QueryResult): Snapshot {
  if (plan.kind !== "chart") {
    throw new Error(`toSnapshot needs a chart plan, got ${plan.kind}`);
  }
  const { query, spec } = plan;
  const x = query.x;
  if (x.kind === "value") {
    const columns: Column[] = [
      { name: spec.x, type: "number" },
      { name: spec.series[0], type: "number" },
    ];
    if (spec.group) columns.push({ name: spec.group, type: "string" });
    const rows = result.rows.map((r) =>
      spec.group
        ? [num(r[0]), num(r[1]), r[2] === null ? null : String(r[2])]
        : [num(r[0]), num(r[1])]
    );
    return { columns, rows };
  }
  if (x.kind === "bins") {
    // Every bin from the lowest value's to the highest's, empty ones as 0:
    // bars that touch.
    const counts = new Map<number, number>();
    for (const r of result.rows) {
      const k = Math.round((Number(r[0]) - x.start) / x.width);
      counts.set(k, Number(r[1]));
    }
    const first = counts.size ? Math.min(...counts.keys()) : 0;
    const last = Math.max(-1, ...counts.keys());
    const rows = Array.from({ length: last - first + 1 }, (_, i) => [
      roundValue(x.start + (first + i) * x.width),
      counts.get(first + i) ?? 0,
    ]);
    return {
      columns: [
        {
          name: spec.x,
          type: "number",
          ...(spec.xLabel ? { label: spec.xLabel } : {}),
        },
        { name: spec.series[0], type: "number" },
      ],
      rows,
    };
  }
  const labelled = x.kind === "time" &&
    (x.bucket === "decade" || isCycle(x.bucket));
  const columns: Column[] = [
    {
      name: spec.x,
      // Decades ("1990s") and cycles ("Mon") are labels, not dates a
      // spreadsheet could read.
      type: x.kind === "time" && !labelled ? "date" : "string",
      ...(spec.xLabel ? { label: spec.xLabel } : {}),
    },
    ...spec.series.map((name): Column => ({ name, type: "number" })),
  ];
  const rows = result.rows.map((r) => [
    r[0] === null
      ? null
      : x.kind === "time"
      ? cycleLabel(String(r[0]), x.bucket, query.lang ?? "en")
      : String(r[0]),
    ...spec.series.map((_, i) => num(r[i + 1] ?? null)),
  ]);
  return { columns, rows };
}
