/**
 * The built-in planner: no network, no model. It reads a request in English,
 * Spanish or Portuguese against the session's datasets (their own column
 * names, values and types) and answers with a plan: a chart (a structured
 * `ChartQuery`, its SQL and its spec), a new version of the current chart, a
 * download of it, a workflow, a clarifying question, or help.
 *
 * The pipeline: tokens → language → export/workflow requests → for each
 * dataset, intents and links to its columns and values → the dataset that
 * fits best → a refinement of the current chart, or a new chart.
 */
import { detectLang, language } from "@/lib/agent/lang/mod.ts";
import { planWorkflow } from "@/lib/agent/workflow_plan.ts";
import { newChart } from "./compose.ts";
import { detectDownload } from "./download.ts";
import { clarify, exampleRequest, helpPlan } from "./help.ts";
import { read, type Reading } from "./reading.ts";
import { refine } from "./refine.ts";
import { tokenize } from "./text.ts";
import type { ChartQuery, Lang, Plan, PlanContext } from "./types.ts";

export type * from "./types.ts";
export { buildSql } from "./sql.ts";
export { toSnapshot } from "./snapshot.ts";

const ALL_FORMATS = [
  "png",
  "svg",
  "pdf",
  "csv",
  "xlsx",
  "json",
  "xml",
  "html",
  "ipynb",
  "py",
  "zip",
];

/** A download format as a reply names it ("Excel (XLSX)", "PNG"). */
export function formatName(format: string): string {
  return format === "xlsx"
    ? "Excel (XLSX)"
    : format === "ipynb"
    ? "Jupyter notebook"
    : format === "py"
    ? "Python script"
    : format.toUpperCase();
}

/**
 * Whether a stored request is a chart query the planner can refine (one from
 * an older build or an archive may not have today's shape).
 */
export function isChartQuery(q: unknown): q is ChartQuery {
  const v = q as Partial<ChartQuery> | null;
  return !!v && typeof v === "object" && typeof v.datasetId === "string" &&
    Array.isArray(v.measures) && v.measures.length > 0 &&
    Array.isArray(v.filters) && !!v.x && typeof v.x === "object" &&
    typeof v.x.column === "string" &&
    ["time", "category", "value", "bins"].includes(v.x.kind);
}

/** The language a request is written in (`fallback` when it cannot tell). */
export function requestLang(text: string, fallback: Lang = "en"): Lang {
  return detectLang(
    text,
    tokenize(text.slice(0, 2000)).map((t) => t.text),
    fallback,
  );
}

/**
 * Plans one chat turn: a chart, a new version of the current chart, a
 * download, a workflow, a question, or help — with the language to answer in.
 */
export function planRequest(
  text: string,
  context: PlanContext,
): Plan & { lang: Lang } {
  const lang = requestLang(text, context.lang);
  return { ...plan(text, context, lang), lang };
}

function plan(text: string, context: PlanContext, lang: Lang): Plan {
  const toks = tokenize(text.slice(0, 2000));
  const t = language(lang).text;
  if (context.datasets.length === 0) return helpPlan(context, lang);
  const workflow = planWorkflow(text, context.datasets, lang);
  if (workflow) return workflow;

  const download = detectDownload(toks);
  if (download) {
    if (!context.current && download.format !== "zip") {
      const ds = context.datasets.find((d) => !d.id.startsWith("demo:")) ??
        context.datasets[0];
      return helpPlan(
        context,
        lang,
        `${t.noChart} "${exampleRequest(ds, lang)}".`,
      );
    }
    if (!download.format) return clarify(t.format, ALL_FORMATS);
    return {
      kind: "download",
      format: download.format,
      reply: t.download(formatName(download.format)),
    };
  }
  if (toks.length === 0) return helpPlan(context, lang);

  const readings = context.datasets.map((ds) => read(toks, ds, lang));
  const query = context.current?.query;
  const current = context.current && isChartQuery(query)
    ? { ...context.current, query }
    : null;
  const currentReading = current
    ? readings.find((r) => r.df.id === current.query.datasetId)
    : undefined;
  // A request that names things another dataset has is a new chart, not a refinement.
  const elsewhere = Math.max(
    0,
    ...readings.filter((r) => r !== currentReading).map((r) => r.links.score),
  );
  if (current && currentReading && currentReading.links.score >= elsewhere) {
    const refined = refine(currentReading, current);
    if (refined) return refined;
  }

  // The dataset that fits best; on a tie the current chart's, then an upload over a demo.
  const rank = (r: Reading) =>
    r.links.score + (r.df.id === current?.query.datasetId ? 0.002 : 0) +
    (r.df.demo ? 0 : 0.001);
  let best = readings[0];
  for (const r of readings.slice(1)) if (rank(r) > rank(best)) best = r;
  if (best.links.score === 0) {
    // Nothing named: a request about "the data" goes to the only upload (or the only dataset).
    const uploads = readings.filter((r) => !r.df.demo);
    const only = uploads.length === 1
      ? uploads[0]
      : readings.length === 1
      ? readings[0]
      : null;
    const i = only?.intents;
    const asks = i && (i.bucket || i.timeSignal || i.aggs.length || i.kind ||
      i.chartNoun || i.window || i.years.length);
    if (!only || !asks) return helpPlan(context, lang);
    best = only;
  }
  return newChart(best, context);
}
