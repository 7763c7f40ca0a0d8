/**
 * The download cache: which blob holds an export already made of an artifact
 * version in a format with its options (by their hash), per session.
 */
import { keys } from "./keys.ts";

/** Returns the id of the blob cached for an export's hash, or null. */
export async function getCachedDownload(
  kv: Deno.Kv,
  sessionId: string,
  hash: string,
): Promise<string | null> {
  return (await kv.get<string>(keys.download(sessionId, hash))).value;
}

/** Records the blob that holds an export, for as long as the blob lives. */
export async function setCachedDownload(
  kv: Deno.Kv,
  sessionId: string,
  hash: string,
  blobId: string,
  ttlMs: number,
): Promise<void> {
  await kv.set(keys.download(sessionId, hash), blobId, { expireIn: ttlMs });
}
