/**
 * The session event contract: every SSE event a chat turn, a workflow job or
 * an interrupted turn writes to a session's log, as one zod schema per event
 * and a discriminated union on the event's name. Shared by the server, the
 * islands and the tests (plain data and zod only: safe for the browser).
 */
import { z } from "zod";
import { SESSION_EVENT_NAMES, type SessionEventName } from "./event_names.ts";

export { SESSION_EVENT_NAMES, type SessionEventName };

const Iso = z.string();
const ChartType = z.string();

/** A chat message as `message` events carry it. */
export const MessageEvent = z.object({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  content: z.string(),
  artifact_ids: z.array(z.string()).optional(),
  options: z.array(z.string()).optional(),
  created_at: Iso,
});

/** A streamed piece of the assistant's reply. */
export const DeltaEvent = z.object({ text: z.string() });

/** A chart preview: the artifact a turn drew or revised. */
export const ChartEvent = z.object({
  artifact_id: z.string(),
  version: z.number().int(),
  type: ChartType,
  title: z.string(),
});

/** An artifact stored (version 1) or revised (a later version). */
export const ArtifactEvent = z.object({
  artifact_id: z.string(),
  type: z.literal("chart"),
  chart_type: ChartType,
  title: z.string(),
  version: z.number().int(),
  created_at: Iso,
  url: z.string(),
  /** A restore's: the version it copied. */
  restored_from: z.number().int().optional(),
});

/** A file ready to download through a signed link. */
export const DownloadEvent = z.object({
  url: z.string(),
  filename: z.string().nullable(),
  mime: z.string(),
  size: z.number(),
  format: z.string().optional(),
  artifact_id: z.string().optional(),
  dataset_id: z.string().optional(),
});

/** How far a workflow step got. */
export const ProgressEvent = z.object({
  job_id: z.string(),
  step: z.number().int(),
  total: z.number().int(),
  rows_done: z.number().int(),
  operation: z.string(),
});

/** A workflow job began (or resumed at `from_step` after a takeover). */
export const WorkflowStartedEvent = z.object({
  job_id: z.string(),
  input: z.object({ id: z.string(), name: z.string() }),
  steps: z.number().int(),
  operations: z.array(z.string()),
  resumed: z.boolean().optional(),
  from_step: z.number().int().optional(),
});

/** A file a workflow step wrote, as its output and events describe it. */
export const WorkflowFile = z.object({
  url: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: z.number(),
});

/** One step's output dataset. */
export const WorkflowOutput = z.object({
  step: z.number().int(),
  operation: z.string(),
  dataset_id: z.string(),
  name: z.string(),
  rows: z.number().int(),
  format: z.string(),
  dataset_url: z.string(),
  download_url: z.string(),
  file: WorkflowFile.optional(),
});

/** A workflow job finished: every step's output, the last one's links. */
export const WorkflowCompletedEvent = z.object({
  job_id: z.string(),
  outputs: z.array(WorkflowOutput),
  dataset_id: z.string(),
  download_url: z.string(),
  file: WorkflowFile.optional(),
});

/** A workflow job failed at a step. */
export const WorkflowFailedEvent = z.object({
  job_id: z.string(),
  step: z.number().int(),
  code: z.string(),
  message: z.string(),
});

/** A failure the stream reports and goes on from (or ends with `done`). */
export const ErrorEvent = z.object({ code: z.string(), message: z.string() });

/**
 * The end of a turn: the assistant's stored message, or null; with a language
 * model configured, which planner answered (`lib/agent/model/`).
 */
export const DoneEvent = z.object({
  message_id: z.string().nullable(),
  planner: z.enum(["model", "builtin"]).optional(),
});

/** Every session event: its name (`event:` of the SSE frame) and its data. */
export const SessionEventPayload = z.discriminatedUnion("event", [
  z.object({ event: z.literal("message"), data: MessageEvent }),
  z.object({ event: z.literal("delta"), data: DeltaEvent }),
  z.object({ event: z.literal("chart"), data: ChartEvent }),
  z.object({ event: z.literal("artifact_created"), data: ArtifactEvent }),
  z.object({ event: z.literal("artifact_updated"), data: ArtifactEvent }),
  z.object({ event: z.literal("download"), data: DownloadEvent }),
  z.object({ event: z.literal("progress"), data: ProgressEvent }),
  z.object({
    event: z.literal("workflow_started"),
    data: WorkflowStartedEvent,
  }),
  z.object({
    event: z.literal("workflow_completed"),
    data: WorkflowCompletedEvent,
  }),
  z.object({ event: z.literal("workflow_failed"), data: WorkflowFailedEvent }),
  z.object({ event: z.literal("error"), data: ErrorEvent }),
  z.object({ event: z.literal("done"), data: DoneEvent }),
]);
/** One session event, typed by its name. */
export type SessionEventPayload = z.infer<typeof SessionEventPayload>;
/** The data of the session event named `E`. */
export type EventData<E extends SessionEventName> = Extract<
  SessionEventPayload,
  { event: E }
>["data"];

/**
 * Returns an SSE frame's event typed by the contract, or null when its name
 * or data do not fit it (a newer server's event an older page ignores).
 */
export function parseSessionEvent(
  event: string,
  data: unknown,
): SessionEventPayload | null {
  const parsed = SessionEventPayload.safeParse({ event, data });
  return parsed.success ? parsed.data : null;
}
