import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { jsonBody } from "@/lib/http/validate.ts";
import {
  artifactAtVersion,
  ownedSession,
  VersionNumber,
} from "@/lib/http/owned.ts";
import { ExpiresIn } from "@/lib/http/expires_in.ts";
import { getArtifact } from "@/lib/kv/artifacts.ts";
import { createShare, listSessionShares } from "@/lib/kv/shares.ts";
import { shareView } from "@/lib/api/build.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import { badRequest, notFound } from "@/lib/errors.ts";
import { isId } from "@/lib/ids.ts";

const CreateShare = z.strictObject({
  expires_in: ExpiresIn.optional(),
  artifact_id: z.string().refine(isId, "must be a chart id").optional(),
  version: VersionNumber.optional(),
});

export const handler: Handlers = {
  /** The session's live share links, newest first, with when each was last opened. */
  async GET(c) {
    const session = await ownedSession(c);
    const shares = await listSessionShares(c.var.kv, session.id);
    const origin = publicOrigin(c);
    const titles = new Map<string, string>();
    for (const s of shares) {
      if (s.artifactId && !titles.has(s.artifactId)) {
        titles.set(
          s.artifactId,
          (await getArtifact(c.var.kv, s.artifactId))?.title ?? "",
        );
      }
    }
    return c.json({
      shares: shares.map((s) =>
        shareView(
          s,
          origin,
          s.lastOpenedAt,
          s.artifactId ? titles.get(s.artifactId)! : session.title,
        )
      ),
    });
  },
  /**
   * Shares the session, or one chart (`artifact_id`) at a `version` or
   * always the newest; `expires_in` ends the link. → 201 with its URL.
   */
  async POST(c) {
    const session = await ownedSession(c);
    const input = await jsonBody(c, CreateShare);
    if (input.version !== undefined && input.artifact_id === undefined) {
      throw badRequest(
        "invalid_input",
        "version needs artifact_id: a session is shared as it is",
      );
    }
    let title = session.title;
    if (input.artifact_id !== undefined) {
      const chart = await getArtifact(c.var.kv, input.artifact_id);
      if (!chart || chart.sessionId !== session.id) throw notFound("chart");
      title = (await artifactAtVersion(c, chart, input.version)).title;
    }
    const share = await createShare(c.var.kv, {
      sessionId: session.id,
      ownerId: session.ownerId,
      artifactId: input.artifact_id ?? null,
      version: input.version ?? null,
      endsInMs: input.expires_in,
    });
    return c.json(shareView(share, publicOrigin(c), null, title), 201);
  },
};
