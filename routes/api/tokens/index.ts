import type { Handlers } from "@/lib/http/types.ts";
import { jsonBody } from "@/lib/http/validate.ts";
import { listApiTokens } from "@/lib/kv/tokens.ts";
import { tokenCreatedView, tokenView } from "@/lib/api/build.ts";
import { CreateToken, makeToken } from "@/lib/http/tokens.ts";

export const handler: Handlers = {
  /** The caller's live tokens (never their secrets), newest first. */
  async GET(c) {
    const tokens = await listApiTokens(c.var.kv, c.var.ownerId);
    return c.json({ tokens: tokens.map(tokenView) });
  },
  /** Makes a token; the response is the only place its text ever appears. */
  async POST(c) {
    const made = await makeToken(c, await jsonBody(c, CreateToken));
    return c.json(tokenCreatedView(made.record, made.token), 201);
  },
};
