/**
 * Signed download links: `/d/<token>` where the token names a download blob and
 * an expiry, signed with the app key. Works without a cookie until it expires.
 */
import { z } from "zod";
import { signToken, verifyToken } from "./signing.ts";

const LinkPayloadSchema = z.object({
  b: z.string().min(1).max(64),
  e: z.number().int(),
});
export type LinkPayload = z.infer<typeof LinkPayloadSchema>;

/** Returns the path `/d/<token>` for a blob that stays downloadable until `expiresAt`. */
export async function signedDownloadPath(
  key: CryptoKey,
  blobId: string,
  expiresAt: number,
): Promise<string> {
  return `/d/${await signToken(key, { b: blobId, e: expiresAt })}`;
}

/**
 * Reads a link token: `{ status: "ok", blobId }`, `"expired"` for a genuine
 * token past its expiry, or `"invalid"` for a forged or malformed one.
 */
export async function readDownloadToken(
  key: CryptoKey,
  token: string,
  now = Date.now(),
): Promise<
  { status: "ok"; blobId: string } | { status: "expired" | "invalid" }
> {
  const payload = LinkPayloadSchema.safeParse(await verifyToken(key, token));
  if (!payload.success) return { status: "invalid" };
  if (payload.data.e <= now) return { status: "expired" };
  return { status: "ok", blobId: payload.data.b };
}
