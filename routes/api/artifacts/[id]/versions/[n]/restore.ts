import type { Handlers } from "@/lib/http/types.ts";
import { ownedArtifact } from "@/lib/http/owned.ts";
import { restoreArtifactVersion } from "@/lib/kv/artifacts.ts";
import { appendEvent } from "@/lib/kv/events.ts";
import { artifactDetail } from "@/lib/http/artifact_detail.ts";
import { artifactEventView } from "@/lib/api/build.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import { badRequest, notFound } from "@/lib/errors.ts";

export const handler: Handlers = {
  /**
   * Makes the artifact's newest version a copy of version `:n`, tells the
   * session's event log (`artifact_updated`), and returns the new version
   * as `GET /api/artifacts/:id` does.
   */
  async POST(c) {
    const current = await ownedArtifact(c);
    const raw = c.req.param("n") ?? "";
    const n = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : NaN;
    if (!(n <= current.version)) {
      throw badRequest(
        "invalid_version",
        `version must be a whole number from 1 to ${current.version}`,
      );
    }
    const ttl = c.var.config.ARTIFACT_TTL;
    const restored = await restoreArtifactVersion(c.var.kv, current, n, ttl);
    if (!restored) throw notFound("artifact version");
    const origin = publicOrigin(c);
    await appendEvent(
      c.var.kv,
      restored.sessionId,
      "artifact_updated",
      artifactEventView(restored, origin, n),
      ttl,
    );
    return c.json(
      await artifactDetail(c.var.kv, restored, restored, origin),
      201,
    );
  },
};
