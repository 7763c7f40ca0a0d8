/**
 * The JSON view contract: every JSON body the API answers with, once, as a zod
 * schema and its inferred type. Routes build these through `build.ts` (typed by
 * these types), the islands read them through `client.ts` (zod-free, types
 * only), and tests parse responses with these schemas (`API_VIEWS`), which are
 * strict: a field the server sends and the contract does not name fails.
 */
import { z } from "zod";
import { ChartSpecSchema, SnapshotSchema } from "@/lib/charts/spec.ts";
import { COLUMN_TYPES } from "@/lib/data/table.ts";
import { WorkflowFile, WorkflowOutput } from "./events.ts";

export { WorkflowFile, WorkflowOutput };

const Iso = z.string();
const Id = z.string();
const Url = z.string();
const ColumnType = z.enum(COLUMN_TYPES);
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Every failure: `{"error": {"code", "message"}}` (a quota's adds its limit). */
export const ApiError = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    limit: z.string().optional(),
    retry_after: z.number().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/** A session. */
export const SessionView = z.strictObject({
  id: Id,
  title: z.string(),
  lang: z.enum(["en", "es", "pt"]).nullable(),
  created_at: Iso,
  updated_at: Iso,
  expires_at: Iso,
});
export type SessionView = z.infer<typeof SessionView>;

/** A page of the caller's sessions. */
export const SessionList = z.strictObject({
  sessions: z.array(SessionView),
  cursor: z.string().nullable(),
});
export type SessionList = z.infer<typeof SessionList>;

/** A chat message. */
export const MessageView = z.strictObject({
  id: Id,
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  artifact_ids: z.array(Id),
  options: z.array(z.string()).optional(),
  created_at: Iso,
});
export type MessageView = z.infer<typeof MessageView>;

/** A session's messages, oldest first. */
export const MessageList = z.strictObject({ messages: z.array(MessageView) });
export type MessageList = z.infer<typeof MessageList>;

/** A session with its conversation. */
export const SessionWithMessages = SessionView.extend({
  messages: z.array(MessageView),
});
export type SessionWithMessages = z.infer<typeof SessionWithMessages>;

/** A restored session and what the archive held. */
export const RestoredSession = SessionView.extend({
  restored: z.strictObject({
    messages: z.number().int(),
    charts: z.number().int(),
    versions: z.number().int(),
    datasets: z.number().int(),
  }),
});
export type RestoredSession = z.infer<typeof RestoredSession>;

/** A chart artifact without its data. */
export const ArtifactView = z.strictObject({
  id: Id,
  session_id: Id,
  type: z.literal("chart"),
  chart_type: ChartSpecSchema.shape.type,
  title: z.string(),
  version: z.number().int(),
  spec: ChartSpecSchema,
  provenance: z.strictObject({
    query: z.string(),
    params: z.array(z.union([z.string(), z.number(), z.null()])),
    dataset_id: Id,
    dataset_name: z.string(),
    row_count: z.number().int(),
    execution_ms: z.number(),
  }),
  interpretation: z.string(),
  created_at: Iso,
  updated_at: Iso,
  expires_at: Iso,
  url: Url,
});
export type ArtifactView = z.infer<typeof ArtifactView>;

/** A page of a session's charts, newest first. */
export const ArtifactList = z.strictObject({
  artifacts: z.array(ArtifactView),
  cursor: z.string().nullable(),
});
export type ArtifactList = z.infer<typeof ArtifactList>;

/** One version of a chart as the canvas opens it: versions, data, ECharts option. */
export const ArtifactDetail = ArtifactView.extend({
  versions: z.array(z.number().int()),
  data: SnapshotSchema,
  option: z.record(z.string(), z.unknown()),
});
export type ArtifactDetail = z.infer<typeof ArtifactDetail>;

/** A signed, expiring link to a chart in a format. */
export const DownloadLink = z.strictObject({
  url: Url,
  filename: z.string().nullable(),
  mime: z.string(),
  size: z.number(),
  expires_at: Iso,
});
export type DownloadLink = z.infer<typeof DownloadLink>;

/** A dataset column's type and counts. */
export const DatasetColumnView = z.strictObject({
  name: z.string(),
  type: ColumnType,
  nulls: z.number().int(),
  invalid: z.number().int(),
  date_order: z.enum(["dmy", "mdy"]).optional(),
});
export type DatasetColumnView = z.infer<typeof DatasetColumnView>;

/** A dataset: an upload or a workflow's output, with its columns and links. */
export const DatasetView = z.strictObject({
  id: Id,
  session_id: Id,
  name: z.string(),
  filename: z.string().nullable(),
  format: z.string().nullable(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  sheets: z.array(z.string()).nullable(),
  rows: z.number().int(),
  byte_size: z.number().int(),
  columns: z.array(DatasetColumnView),
  repairs: z.array(z.string()),
  origin: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("upload") }),
    z.strictObject({
      kind: z.literal("workflow"),
      job_id: Id,
      step: z.number().int(),
      operation: z.string(),
      input_id: Id,
    }),
  ]),
  created_at: Iso,
  expires_at: Iso,
  url: Url,
  export_url: Url,
});
export type DatasetView = z.infer<typeof DatasetView>;

/** A session's datasets, oldest first. */
export const DatasetList = z.strictObject({ datasets: z.array(DatasetView) });
export type DatasetList = z.infer<typeof DatasetList>;

/** One column's statistics. */
export const ColumnStatsView = z.strictObject({
  name: z.string(),
  type: ColumnType,
  count: z.number().int(),
  nulls: z.number().int(),
  invalid: z.number().int(),
  distinct: z.number().int(),
  distinct_exact: z.boolean(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  mean: z.number().optional(),
  top: z.array(z.strictObject({ value: z.string(), count: z.number() }))
    .optional(),
});

/** A page of a dataset's rows. */
export const PreviewView = z.strictObject({
  columns: z.array(z.strictObject({ name: z.string(), type: ColumnType })),
  rows: z.array(z.array(Cell)),
  offset: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  sort: z.string().nullable(),
  dir: z.enum(["asc", "desc"]),
});

/** A dataset with statistics per column and a page of rows. */
export const DatasetPage = DatasetView.extend({
  stats: z.array(ColumnStatsView),
  preview: PreviewView,
});
export type DatasetPage = z.infer<typeof DatasetPage>;

/** A workflow run: status, steps, outputs with links, failure. */
export const WorkflowView = z.strictObject({
  id: Id,
  session_id: Id,
  status: z.enum(["queued", "running", "completed", "failed"]),
  input: z.string(),
  steps: z.array(z.looseObject({ operation: z.string() })),
  outputs: z.array(WorkflowOutput),
  error: z.strictObject({
    step: z.number().int().nullable(),
    code: z.string(),
    message: z.string(),
  }).nullable(),
  attempts: z.number().int(),
  created_at: Iso,
  updated_at: Iso,
  finished_at: Iso.nullable(),
  url: Url,
});
export type WorkflowView = z.infer<typeof WorkflowView>;

/** A session's workflow runs, newest first. */
export const WorkflowList = z.strictObject({
  workflows: z.array(WorkflowView),
});
export type WorkflowList = z.infer<typeof WorkflowList>;

/** A workflow just started, and where its events arrive. */
export const WorkflowStarted = WorkflowView.extend({ events_url: Url });
export type WorkflowStarted = z.infer<typeof WorkflowStarted>;

/** An API token as listed (never its secret). */
export const TokenView = z.strictObject({
  id: Id,
  name: z.string(),
  created_at: Iso,
  expires_at: Iso.nullable(),
});
export type TokenView = z.infer<typeof TokenView>;

/** The caller's tokens. */
export const TokenList = z.strictObject({ tokens: z.array(TokenView) });
export type TokenList = z.infer<typeof TokenList>;

/** A token just made: the one answer that holds its text. */
export const TokenCreated = TokenView.extend({ token: z.string() });
export type TokenCreated = z.infer<typeof TokenCreated>;

/** A share link: URL, reach, dates and, for a chart, its embeds. */
export const ShareView = z.strictObject({
  id: Id,
  url: Url,
  kind: z.enum(["session", "chart"]),
  artifact_id: Id.nullable(),
  version: z.number().int().nullable(),
  created_at: Iso,
  expires_at: Iso.nullable(),
  last_opened_at: Iso.nullable(),
  embed: z.strictObject({
    png: Url,
    svg: Url,
    iframe: Url,
    html: z.string(),
    markdown: z.string(),
  }).nullable(),
});
export type ShareView = z.infer<typeof ShareView>;

/** A session's live share links. */
export const ShareList = z.strictObject({ shares: z.array(ShareView) });
export type ShareList = z.infer<typeof ShareList>;

/** What `/health` shows of the chat model: where and which, never the key. */
export const ModelHealthView = z.strictObject({
  configured: z.boolean(),
  base_url: z.string().optional(),
  model: z.string().optional(),
  api_key_set: z.boolean().optional(),
  timeout_ms: z.number().optional(),
  max_tokens: z.number().optional(),
});
export type ModelHealthView = z.infer<typeof ModelHealthView>;

/** `/health`: a KV round trip, the renderer's warm-up and the model (also with a 503). */
export const HealthView = z.strictObject({
  status: z.enum(["ok", "unavailable"]),
  kv_ms: z.number(),
  renderer_warmup: z.string(),
  model: ModelHealthView,
});
export type HealthView = z.infer<typeof HealthView>;

/** `/health/ready`: whether this instance should get traffic. */
export const ReadinessView = z.strictObject({
  status: z.enum(["ok", "unavailable"]),
  kv: z.enum(["ok", "unreachable"]),
  kv_ms: z.number(),
  renderer: z.enum(["ready", "warming"]),
  stopping: z.boolean(),
});
export type ReadinessView = z.infer<typeof ReadinessView>;

/** `/health/live`. */
export const LivenessView = z.strictObject({ status: z.literal("ok") });

/**
 * The JSON answer of every route that answers JSON (2xx), by `METHOD path`
 * with `:params`; any route's failure is an `ApiError`.
 */
export const API_VIEWS = {
  "GET /api/sessions": SessionList,
  "POST /api/sessions": SessionView,
  "POST /api/sessions/restore": RestoredSession,
  "GET /api/sessions/:id": SessionWithMessages,
  "PATCH /api/sessions/:id": SessionView,
  "GET /api/sessions/:id/messages": MessageList,
  "GET /api/sessions/:id/artifacts": ArtifactList,
  "GET /api/artifacts/:id": ArtifactDetail,
  "POST /api/artifacts/:id/versions/:n/restore": ArtifactDetail,
  "POST /api/artifacts/:id/links": DownloadLink,
  "GET /api/sessions/:id/datasets": DatasetList,
  "POST /api/sessions/:id/datasets": DatasetView,
  "GET /api/datasets/:id": DatasetPage,
  "GET /api/sessions/:id/workflows": WorkflowList,
  "POST /api/sessions/:id/workflows": WorkflowStarted,
  "GET /api/workflows/:id": WorkflowView,
  "GET /api/sessions/:id/shares": ShareList,
  "POST /api/sessions/:id/shares": ShareView,
  "GET /api/tokens": TokenList,
  "POST /api/tokens": TokenCreated,
  "GET /s/:token/artifacts/:aid": ArtifactDetail,
  "GET /health": HealthView,
  "GET /health/ready": ReadinessView,
  "GET /health/live": LivenessView,
} as const satisfies Record<string, z.ZodType>;
/** A route of `API_VIEWS`. */
export type ApiRoute = keyof typeof API_VIEWS;

/** Returns the route of `API_VIEWS` a request matches, or null. */
export function apiRouteOf(method: string, path: string): ApiRoute | null {
  const parts = path.split("/");
  for (const route of Object.keys(API_VIEWS) as ApiRoute[]) {
    const [m, pattern] = route.split(" ");
    if (m !== method) continue;
    const want = pattern.split("/");
    if (
      want.length === parts.length &&
      want.every((w, i) => w.startsWith(":") ? parts[i] !== "" : w === parts[i])
    ) return route;
  }
  return null;
}
