/**
 * What a share link (`/s/<token>`) may show: the share, its session, and the
 * charts and versions within its reach. A session share reaches every chart
 * of the session and every version; a chart share reaches one chart, at its
 * fixed version or always the newest. Nothing here writes, save the time
 * the link was last opened.
 */
import { AppError, notFound } from "@/lib/errors.ts";
import { isId } from "@/lib/ids.ts";
import { getSession, type Session } from "@/lib/kv/sessions.ts";
import {
  type Artifact,
  getArtifact,
  getArtifactVersion,
  listArtifactVersions,
} from "@/lib/kv/artifacts.ts";
import { markShareOpened, readShare, type Share } from "@/lib/kv/shares.ts";
import { log } from "@/lib/log.ts";
import { type ShareProblemKind, shareProblemText } from "./share_texts.ts";
import type { AppContext } from "./types.ts";

/** A share that can be opened, with its session. */
export interface Shared {
  share: Share;
  session: Session;
  lastOpenedAt: number | null;
}

/** Returns what a token opens, or why it opens nothing. */
export async function lookupShared(
  kv: Deno.Kv,
  token: string,
): Promise<Shared | { problem: ShareProblemKind }> {
  const found = await readShare(kv, token);
  if (found.status !== "ok") return { problem: found.status };
  const session = await getSession(kv, found.share.sessionId);
  if (!session || session.ownerId !== found.share.ownerId) {
    return { problem: "gone" };
  }
  if (found.share.artifactId !== null) {
    const chart = await getArtifact(kv, found.share.artifactId);
    if (!chart || chart.sessionId !== session.id) return { problem: "gone" };
  }
  return { share: found.share, session, lastOpenedAt: found.lastOpenedAt };
}

/**
 * Returns what the request's `:token` opens, or throws its problem as an
 * HTTP error (404 invalid or gone, 410 revoked or expired) in the viewer's
 * language, for the link's files and data.
 */
export async function sharedOrThrow(
  c: AppContext,
  token = c.req.param("token") ?? "",
): Promise<Shared> {
  const found = await lookupShared(c.var.kv, token);
  if ("problem" in found) throw shareProblemError(c, found.problem);
  return found;
}

/** Returns the HTTP status of a share problem. */
export function shareProblemStatus(kind: ShareProblemKind): 404 | 410 {
  return kind === "revoked" || kind === "expired" ? 410 : 404;
}

function shareProblemError(c: AppContext, kind: ShareProblemKind) {
  const text = shareProblemText(kind, c.var.lang);
  return new AppError(
    kind === "revoked" || kind === "expired" ? "gone" : "not_found",
    `share_${kind}`,
    text.title,
  );
}

/** Records the open in the background; a failed write only loses the time. */
export function noteOpened(c: AppContext, shared: Shared): void {
  markShareOpened(c.var.kv, shared.share, shared.lastOpenedAt).catch((e) =>
    log.warn("share open not recorded", { message: String(e) })
  );
}

/** A chart a share reaches: the version shown and the versions it may show. */
export interface SharedChart {
  artifact: Artifact;
  current: Artifact;
  versions: number[];
}

/**
 * Returns the chart `artifactId` (its `version`, or the one the share shows)
 * when the share reaches it; throws 404 otherwise.
 */
export async function sharedChart(
  kv: Deno.Kv,
  shared: Shared,
  artifactId: string | undefined,
  version?: number,
): Promise<SharedChart> {
  const { share } = shared;
  const id = artifactId ?? share.artifactId;
  if (!id || !isId(id)) throw notFound("chart");
  if (share.artifactId !== null && id !== share.artifactId) {
    throw notFound("chart");
  }
  const current = await getArtifact(kv, id);
  if (!current || current.sessionId !== share.sessionId) {
    throw notFound("chart");
  }
  const fixed = share.artifactId !== null ? share.version : null;
  if (fixed !== null && version !== undefined && version !== fixed) {
    throw notFound("chart version");
  }
  if (
    share.artifactId !== null && fixed === null && version !== undefined &&
    version !== current.version
  ) {
    throw notFound("chart version");
  }
  const wanted = fixed ?? version ?? current.version;
  const artifact = wanted === current.version
    ? current
    : await getArtifactVersion(kv, id, wanted);
  if (!artifact) throw notFound("chart version");
  const versions = share.artifactId !== null
    ? [artifact.version]
    : await listArtifactVersions(kv, current);
  return { artifact, current, versions };
}
