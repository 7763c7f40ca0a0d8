/**
 * Builds the contract's views (`views.ts`) and event data (`events.ts`) from
 * stored records: the one place a record becomes JSON for the outside world.
 * Each builder's return type is the contract's, so a field added to one
 * without the other does not type-check. Records are imported as types only.
 */
import type { Session } from "@/lib/kv/sessions.ts";
import type { Message } from "@/lib/kv/messages.ts";
import type { Artifact } from "@/lib/kv/artifacts.ts";
import type { ApiToken } from "@/lib/kv/tokens.ts";
import type { Share } from "@/lib/kv/shares.ts";
import type { Dataset, DatasetDetail } from "@/lib/kv/datasets.ts";
import type { Job, JobOutput } from "@/lib/kv/jobs.ts";
import type { BlobMeta } from "@/lib/kv/blobs.ts";
import type { Snapshot } from "@/lib/charts/spec.ts";
import type { Preview } from "@/lib/data/preview.ts";
import type { WorkflowRequest } from "@/lib/workflows/schema.ts";
import type {
  ArtifactDetail,
  ArtifactView,
  DatasetPage,
  DatasetView,
  DownloadLink,
  HealthView,
  MessageView,
  ModelHealthView,
  RestoredSession,
  SessionView,
  ShareView,
  TokenCreated,
  TokenView,
  WorkflowOutput,
  WorkflowStarted,
  WorkflowView,
} from "./views.ts";
import type { EventData } from "./events.ts";
import type { z } from "zod";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => ms === null ? null : iso(ms);

/** Returns the API view of a session. */
export function sessionView(session: Session): SessionView {
  return {
    id: session.id,
    title: session.title,
    lang: session.lang ?? null,
    created_at: iso(session.createdAt),
    updated_at: iso(session.updatedAt),
    expires_at: iso(session.expiresAt),
  };
}

/** Returns a restored session's view with the counts of what it holds. */
export function restoredSessionView(
  session: Session,
  restored: RestoredSession["restored"],
): RestoredSession {
  return { ...sessionView(session), restored };
}

/** Returns the API view of a message (also the data of a `message` event). */
export function messageView(message: Message): MessageView {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    artifact_ids: message.artifactIds,
    ...(message.options ? { options: message.options } : {}),
    created_at: iso(message.createdAt),
  };
}

/** Returns the `message` event of a user's message, which names no artifacts. */
export function userMessageEvent(message: Message): EventData<"message"> {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    created_at: iso(message.createdAt),
  };
}

/** Returns `/health`'s view: the KV round trip, the renderer's warm-up, the model. */
export function healthView(
  kv: { ok: boolean; ms: number },
  rendererWarmup: string,
  model: ModelHealthView,
): HealthView {
  return {
    status: kv.ok ? "ok" : "unavailable",
    kv_ms: kv.ms,
    renderer_warmup: rendererWarmup,
    model,
  };
}

/** Returns the API URL of an artifact under `origin`. */
export function artifactUrl(origin: string, id: string): string {
  return `${origin}/api/artifacts/${id}`;
}

/** Returns the API view of an artifact (without its data). */
export function artifactView(artifact: Artifact, origin: string): ArtifactView {
  return {
    id: artifact.id,
    session_id: artifact.sessionId,
    type: artifact.type,
    chart_type: artifact.spec.type,
    title: artifact.title,
    version: artifact.version,
    spec: artifact.spec,
    provenance: {
      query: artifact.provenance.query,
      params: artifact.provenance.params ?? [],
      dataset_id: artifact.provenance.datasetId,
      dataset_name: artifact.provenance.datasetName,
      row_count: artifact.provenance.rowCount,
      execution_ms: artifact.provenance.executionMs,
    },
    interpretation: artifact.interpretation,
    created_at: iso(artifact.createdAt),
    updated_at: iso(artifact.updatedAt),
    expires_at: iso(artifact.expiresAt),
    url: artifactUrl(origin, artifact.id),
  };
}

/** Returns a version of an artifact with its version list, data and interactive option. */
export function artifactDetailView(
  artifact: Artifact,
  origin: string,
  detail: {
    versions: number[];
    data: Snapshot;
    option: Record<string, unknown>;
  },
): ArtifactDetail {
  return { ...artifactView(artifact, origin), ...detail };
}

/** Returns the data of an `artifact_created` or `artifact_updated` event. */
export function artifactEventView(
  artifact: Artifact,
  origin: string,
  restoredFrom?: number,
): EventData<"artifact_created"> {
  return {
    artifact_id: artifact.id,
    type: artifact.type,
    chart_type: artifact.spec.type,
    title: artifact.title,
    version: artifact.version,
    created_at: iso(artifact.createdAt),
    url: artifactUrl(origin, artifact.id),
    ...(restoredFrom === undefined ? {} : { restored_from: restoredFrom }),
  };
}

/** Returns the data of a `chart` event: the preview of a chart a turn drew. */
export function chartEventView(artifact: Artifact): EventData<"chart"> {
  return {
    artifact_id: artifact.id,
    version: artifact.version,
    type: artifact.spec.type,
    title: artifact.title,
  };
}

/** Returns a signed link's view: its absolute `url` and the file it gives. */
export function downloadLinkView(meta: BlobMeta, url: string): DownloadLink {
  return {
    url,
    filename: meta.filename,
    mime: meta.mime,
    size: meta.size,
    expires_at: iso(meta.expiresAt),
  };
}

/** Returns the API view of an API token (never its secret or hash). */
export function tokenView(token: ApiToken): TokenView {
  return {
    id: token.id,
    name: token.name,
    created_at: iso(token.createdAt),
    expires_at: isoOrNull(token.expiresAt),
  };
}

/** Returns a token just made, with its text (shown this once). */
export function tokenCreatedView(token: ApiToken, text: string): TokenCreated {
  return { ...tokenView(token), token: text };
}

/** Returns the API view of a share link: its URL, reach, dates and, for a chart, its embeds. */
export function shareView(
  share: Share,
  origin: string,
  lastOpenedAt: number | null,
  title: string,
): ShareView {
  const url = `${origin}/s/${share.token}`;
  const attr = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return {
    id: share.id,
    url,
    kind: share.artifactId === null ? "session" : "chart",
    artifact_id: share.artifactId,
    version: share.version,
    created_at: iso(share.createdAt),
    expires_at: isoOrNull(share.endsAt),
    last_opened_at: isoOrNull(lastOpenedAt),
    embed: share.artifactId === null ? null : {
      png: `${url}.png`,
      svg: `${url}.svg`,
      iframe: `${url}/embed`,
      html: `<iframe src="${url}/embed" title="${
        attr(title)
      }" width="800" height="450" style="border:0" loading="lazy"></iframe>`,
      markdown: `![${title.replace(/[[\]]/g, "")}](${url}.png)`,
    },
  };
}

/** Returns the API URL of a dataset under `origin`. */
export function datasetUrl(origin: string, id: string): string {
  return `${origin}/api/datasets/${id}`;
}

/** Returns the API view of a dataset (with its columns) and its links under `origin`. */
export function datasetView(
  dataset: Dataset,
  detail: DatasetDetail,
  origin: string,
): DatasetView {
  return {
    id: dataset.id,
    session_id: dataset.sessionId,
    name: dataset.name,
    filename: dataset.filename,
    format: dataset.format,
    encoding: dataset.encoding,
    delimiter: dataset.delimiter,
    sheet: dataset.sheet,
    sheets: dataset.sheets,
    rows: dataset.rowCount,
    byte_size: dataset.byteSize,
    columns: detail.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nulls: c.nulls,
      invalid: c.invalid,
      ...(c.dateOrder ? { date_order: c.dateOrder } : {}),
    })),
    repairs: dataset.repairs,
    origin: dataset.origin.kind === "upload" ? { kind: "upload" } : {
      kind: "workflow",
      job_id: dataset.origin.jobId,
      step: dataset.origin.step,
      operation: dataset.origin.operation,
      input_id: dataset.origin.inputId,
    },
    created_at: iso(dataset.createdAt),
    expires_at: iso(dataset.expiresAt),
    url: datasetUrl(origin, dataset.id),
    export_url: `${datasetUrl(origin, dataset.id)}/export?format=csv`,
  };
}

/** Returns a dataset with its statistics and a page of rows. */
export function datasetPageView(
  dataset: Dataset,
  detail: DatasetDetail,
  origin: string,
  preview: Preview,
): DatasetPage {
  return {
    ...datasetView(dataset, detail, origin),
    stats: detail.stats,
    preview,
  };
}

/** Returns the public view of a job output (the event and API shape). */
export function outputView(
  origin: string,
  output: JobOutput,
): z.infer<typeof WorkflowOutput> {
  return {
    step: output.step,
    operation: output.operation,
    dataset_id: output.datasetId,
    name: output.name,
    rows: output.rows,
    format: output.format,
    dataset_url: datasetUrl(origin, output.datasetId),
    download_url: `${
      datasetUrl(origin, output.datasetId)
    }/export?format=${output.format}`,
    ...(output.file ? { file: output.file } : {}),
  };
}

/** Returns the public view of a workflow job. */
export function workflowView(job: Job<WorkflowRequest>): WorkflowView {
  return {
    id: job.id,
    session_id: job.sessionId,
    status: job.status,
    input: job.request.input,
    steps: job.request.steps,
    outputs: job.outputs.map((o) => outputView(job.origin, o)),
    error: job.error,
    attempts: job.attempts,
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    finished_at: job.finishedAt ? iso(job.finishedAt) : null,
    url: `${job.origin}/api/workflows/${job.id}`,
  };
}

/** Returns a workflow just started, with the URL its events arrive on. */
export function workflowStartedView(
  job: Job<WorkflowRequest>,
): WorkflowStarted {
  return {
    ...workflowView(job),
    events_url: `${job.origin}/api/sessions/${job.sessionId}/events`,
  };
}
