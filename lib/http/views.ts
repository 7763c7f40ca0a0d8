/** JSON shapes of the API: records as the outside world sees them. */
import type { Session } from "../kv/sessions.ts";
import type { Message } from "../kv/messages.ts";
import type { Artifact } from "../kv/artifacts.ts";
import type { ApiToken } from "../kv/tokens.ts";
import type { Share } from "../kv/shares.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** Returns the API view of a session. */
export function sessionView(session: Session) {
  return {
    id: session.id,
    title: session.title,
    lang: session.lang ?? null,
    created_at: iso(session.createdAt),
    updated_at: iso(session.updatedAt),
    expires_at: iso(session.expiresAt),
  };
}

/** Returns the API view of a message. */
export function messageView(message: Message) {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    artifact_ids: message.artifactIds,
    ...(message.options ? { options: message.options } : {}),
    created_at: iso(message.createdAt),
  };
}

/** Returns the API view of an artifact (without its data). */
export function artifactView(artifact: Artifact, origin: string) {
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
    url: `${origin}/api/artifacts/${artifact.id}`,
  };
}

/** Returns the data of an `artifact_created` or `artifact_updated` event. */
export function artifactEventView(artifact: Artifact, origin: string) {
  return {
    artifact_id: artifact.id,
    type: artifact.type,
    chart_type: artifact.spec.type,
    title: artifact.title,
    version: artifact.version,
    created_at: iso(artifact.createdAt),
    url: `${origin}/api/artifacts/${artifact.id}`,
  };
}

/** Returns the API view of an API token (never its secret or hash). */
export function tokenView(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    created_at: iso(token.createdAt),
    expires_at: token.expiresAt === null ? null : iso(token.expiresAt),
  };
}

/** Returns the API view of a share link: its URL, reach, dates and, for a chart, its embeds. */
export function shareView(
  share: Share,
  origin: string,
  lastOpenedAt: number | null,
  title: string,
) {
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
    expires_at: share.endsAt === null ? null : iso(share.endsAt),
    last_opened_at: lastOpenedAt === null ? null : iso(lastOpenedAt),
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
