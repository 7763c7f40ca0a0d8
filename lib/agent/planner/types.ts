/**
 * What the planner answers with. A chart is described by a `ChartQuery`: a
 * JSON-serialisable statement of which dataset, measures, axis, split,
 * filters, order and chart kind — stored with the artifact so a later turn
 * can refine it — which `sql.ts` compiles into SQL over that dataset.
 */
import type { ChartSpec } from "@/lib/charts/spec.ts";
import type { DatasetProfile } from "@/lib/data/table.ts";
import type { WorkflowRequest } from "@/lib/workflows/schema.ts";
import type { Agg, Bucket, ChartKind, Lang } from "@/lib/agent/lang/types.ts";

export type { Agg, Bucket, ChartKind, Lang };

/** One aggregated value per x: `column: null` with `agg: "count"` counts rows. */
export interface Measure {
  column: string | null;
  agg: Agg;
  /** Count distinct values of `column` instead of non-null ones. */
  distinct?: boolean;
  /** Output column (and series) name. */
  name: string;
  /** A count of rows: what is counted, in the request's words ("airports"), for titles. */
  label?: string;
}

export type XAxis =
  | {
    kind: "time";
    column: string;
    bucket: Bucket;
    name: string;
    /** A column of quarters or months read with `column`'s years. */
    sub?: { column: string; unit: "quarter" | "month" };
  }
  | { kind: "category"; column: string; name: string }
  /** Scatter: raw values of a numeric column; the y column is `measures[0]`. */
  | { kind: "value"; column: string; name: string }
  /** Histogram: bins of `width` from `start` over a numeric column. */
  | {
    kind: "bins";
    column: string;
    name: string;
    start: number;
    width: number;
  };

export type Filter =
  | { column: string; op: "in"; values: (string | number)[] }
  | { column: string; op: "not_in"; values: (string | number)[] }
  | {
    column: string;
    op: "range";
    /** Inclusive lower bound: an ISO date (a year number on a column of years). */
    gte?: string;
    /** Exclusive upper bound. */
    lt?: string;
    label: string;
  }
  | { column: string; op: "gt" | "gte" | "lt" | "lte" | "eq"; value: number };

/** One series per value of `column` (scatter: the point groups; `values` may be empty = all). */
export interface Split {
  column: string;
  values: string[];
}

/** A JSON-serialisable description of a chart's data, turned into SQL by `buildSql`. */
export interface ChartQuery {
  datasetId: string;
  chartType: ChartKind;
  measures: Measure[];
  x: XAxis;
  split: Split | null;
  filters: Filter[];
  sort: { by: "value" | "x"; dir: "asc" | "desc" } | null;
  limit: number | null;
  /** Which end of the values `limit` keeps, when it differs from the display order. */
  limitDir?: "asc" | "desc";
  stacked?: boolean;
  horizontal?: boolean;
  lang: Lang;
}

export type Plan =
  | {
    kind: "chart";
    datasetId: string;
    query: ChartQuery;
    sql: string;
    params: (string | number)[];
    spec: ChartSpec;
    /** The artifact this plan is a new version of. */
    refines?: string;
    reply: string;
  }
  | { kind: "download"; format: string; reply: string }
  /** A transformation of a session dataset, run as a workflow job. */
  | { kind: "workflow"; request: WorkflowRequest; reply: string }
  | { kind: "clarify"; question: string; options: string[] }
  | { kind: "help"; reply: string };

export type ChartPlan = Extract<Plan, { kind: "chart" }>;

/** The current chart with a query the planner can refine. */
export interface RefinableChart {
  artifactId: string;
  query: ChartQuery;
  spec: ChartSpec;
}

export interface PlanContext {
  datasets: DatasetProfile[];
  /** The newest chart; `query` null when it was not planned (it cannot be refined). */
  current?:
    | { artifactId: string; query: ChartQuery | null; spec: ChartSpec }
    | null;
  /** The conversation's language, for a request whose words do not tell (English by default). */
  lang?: Lang;
}
