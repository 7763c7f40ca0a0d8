import type { Handlers } from "@/lib/http/types.ts";
import { revokeApiToken } from "@/lib/kv/tokens.ts";
import { notFound } from "@/lib/errors.ts";

export const handler: Handlers = {
  /** The tokens page's revoke button: the token stops working at once. */
  async POST(c) {
    const revoked = await revokeApiToken(
      c.var.kv,
      c.var.ownerId,
      c.req.param("id") ?? "",
    );
    if (!revoked) throw notFound("token");
    return c.redirect("/tokens", 303);
  },
};
