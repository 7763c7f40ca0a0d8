/** Answers that are not charts: a question with options, and help naming what can be drawn. */
import type { DatasetProfile } from "@/lib/data/table.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import { datasetFeat } from "./schema.ts";
import type { Plan, PlanContext } from "./types.ts";

/** A question whose answer is one of `options` (never asked with fewer than two). */
export function clarify(question: string, options: string[]): Plan {
  return {
    kind: "clarify",
    question,
    options: [...new Set(options)].slice(0, 12),
  };
}

/** An example request that works on a dataset, in the reply's language. */
export function exampleRequest(ds: DatasetProfile, lang: Lang): string {
  const t = language(lang).text.example;
  const df = datasetFeat(ds);
  const measure = df.columns.find((c) => c.role === "measure")?.name;
  const cat = df.columns.find((c) =>
    c.role === "category" && c.distinctCount >= 2 && c.distinctCount <= 50
  );
  const time = df.timeColumns[0];
  if (!measure) return cat ? t.countBy(cat.name) : "";
  if (time) return t.avgMonthly(measure, cat?.profile.distinct?.[0]);
  return cat ? t.avgBy(measure, cat.name) : t.avg(measure);
}

function describeColumns(ds: DatasetProfile, lang: Lang): string {
  const t = language(lang).text;
  const parts = ds.columns.slice(0, 40).map((c) => {
    if (c.type === "text" && c.distinct?.length) {
      const sample = c.distinct.slice(0, 4).join(", ");
      return `${c.name} (${sample}${(c.distinctCount ?? 0) > 4 ? ", …" : ""})`;
    }
    return `${c.name} (${t.types[c.type]})`;
  });
  const more = ds.columns.length > 40 ? `; … +${ds.columns.length - 40}` : "";
  return `${t.columns} ${ds.name}: ${parts.join("; ")}${more}.`;
}

/** Help: what the assistant can draw, an example that works, and the columns at hand. */
export function helpPlan(ctx: PlanContext, lang: Lang, lead?: string): Plan {
  const t = language(lang).text;
  if (ctx.datasets.length === 0) return { kind: "help", reply: t.noData };
  const uploads = ctx.datasets.filter((d) => !d.id.startsWith("demo:"));
  const ds = ctx.datasets.find((d) => d.id === ctx.current?.query?.datasetId) ??
    uploads[0] ?? ctx.datasets[0];
  const shown = uploads.length ? uploads : ctx.datasets;
  const lines = [
    lead ?? `${t.help} "${exampleRequest(ds, lang)}".`,
    ...shown.slice(0, 6).map((d) => describeColumns(d, lang)),
  ];
  return { kind: "help", reply: lines.join("\n") };
}
