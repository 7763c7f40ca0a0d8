import { z } from "zod";
import type { Handlers } from "../../../lib/http/types.ts";
import { jsonBody } from "../../../lib/http/validate.ts";
import {
  createApiToken,
  listApiTokens,
  MAX_TOKENS_PER_OWNER,
} from "../../../lib/kv/tokens.ts";
import { tokenView } from "../../../lib/http/views.ts";
import { HttpError } from "../../../lib/errors.ts";
import { cleanName } from "../../../lib/text.ts";
import { ExpiresIn } from "../../../lib/http/expires_in.ts";

const CreateToken = z.object({
  name: z.string().transform(cleanName).pipe(
    z.string().min(1, "must not be empty").max(100),
  ),
  expires_in: ExpiresIn.optional(),
}).strict();

export const handler: Handlers = {
  /** The caller's live tokens (never their secrets), newest first. */
  async GET(c) {
    const tokens = await listApiTokens(c.var.kv, c.var.ownerId);
    return c.json({ tokens: tokens.map(tokenView) });
  },
  /** Makes a token; the response is the only place its text ever appears. */
  async POST(c) {
    if (c.var.tokenId) {
      throw new HttpError(
        403,
        "cookie_required",
        "API tokens are made from the browser (the tokens page), not with another token",
      );
    }
    const input = await jsonBody(c, CreateToken);
    const made = await createApiToken(c.var.kv, {
      ownerId: c.var.ownerId,
      name: input.name,
      expiresInMs: input.expires_in,
    });
    if (!made) {
      throw new HttpError(
        409,
        "too_many_tokens",
        `you have ${MAX_TOKENS_PER_OWNER} tokens already; revoke one first`,
      );
    }
    c.header("cache-control", "no-store");
    return c.json({ ...tokenView(made.record), token: made.token }, 201);
  },
};
