import type { Handlers } from "@/lib/http/types.ts";
import { revokeApiToken } from "@/lib/kv/tokens.ts";
import { notFound } from "@/lib/errors.ts";

export const handler: Handlers = {
  /** Revokes one of the caller's tokens: from now on it is refused (401). */
  async DELETE(c) {
    const revoked = await revokeApiToken(
      c.var.kv,
      c.var.ownerId,
      c.req.param("id") ?? "",
    );
    if (!revoked) throw notFound("token");
    return c.body(null, 204);
  },
};
