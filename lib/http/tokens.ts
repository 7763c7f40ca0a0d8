/** Making an API token for the caller: the rules the API and the tokens page share. */
import { z } from "zod";
import { createApiToken, MAX_TOKENS_PER_OWNER } from "@/lib/kv/tokens.ts";
import { AppError } from "@/lib/errors.ts";
import { cleanName } from "@/lib/text.ts";
import { ExpiresIn } from "./expires_in.ts";
import type { AppContext } from "./types.ts";

/** The request to make a token: a name and an optional `expires_in`. */
export const CreateToken = z.object({
  name: z.string().transform(cleanName).pipe(
    z.string().min(1, "must not be empty").max(100),
  ),
  expires_in: ExpiresIn.optional(),
}).strict();

/**
 * Makes a token for the caller and returns its record and text (the only
 * place the text appears); 403 for a caller that came with a token, 409 when
 * the caller holds `MAX_TOKENS_PER_OWNER` already.
 */
export async function makeToken(
  c: AppContext,
  input: z.infer<typeof CreateToken>,
) {
  if (c.var.tokenId) {
    throw new AppError(
      "forbidden",
      "cookie_required",
      "API tokens are made from the browser (the tokens page), not with another token",
    );
  }
  const made = await createApiToken(c.var.kv, {
    ownerId: c.var.ownerId,
    name: input.name,
    expiresInMs: input.expires_in,
  });
  if (!made) {
    throw new AppError(
      "conflict",
      "too_many_tokens",
      `you have ${MAX_TOKENS_PER_OWNER} tokens already; revoke one first`,
    );
  }
  c.header("cache-control", "no-store");
  return made;
}
