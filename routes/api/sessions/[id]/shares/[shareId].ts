import type { Handlers } from "@/lib/http/types.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { revokeShare } from "@/lib/kv/shares.ts";
import { notFound } from "@/lib/errors.ts";
import { isId } from "@/lib/ids.ts";

export const handler: Handlers = {
  /** Revokes a share link: from now on it shows a "turned off" page, never the content. */
  async DELETE(c) {
    const session = await ownedSession(c);
    const shareId = c.req.param("shareId") ?? "";
    if (!isId(shareId) || !await revokeShare(c.var.kv, session.id, shareId)) {
      throw notFound("share link");
    }
    return c.body(null, 204);
  },
};
