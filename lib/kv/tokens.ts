/**
 * API tokens for scripts: `crt_<id>_<secret>`, sent as `Authorization:
 * Bearer`. Only the SHA-256 of the secret is stored (the secret is shown
 * once, when the token is made); the record and its by-owner index are
 * written in one commit, and revoking deletes both, so a revoked token is
 * simply unknown.
 */
import { keys } from "./keys.ts";
import { expireInFor } from "./ttl.ts";
import { getMany } from "./batch.ts";
import { isId, newId } from "@/lib/ids.ts";

export interface ApiToken {
  id: string;
  ownerId: string;
  name: string;
  /** Hex SHA-256 of the secret part. */
  hash: string;
  createdAt: number;
  /** Null: never expires (until revoked). */
  expiresAt: number | null;
}

const PREFIX = "crt_";
const TOKEN = /^crt_([0-9A-HJKMNP-TV-Z]{26})_([0-9a-f]{64})$/;
/** Most tokens one identity may hold at once. */
export const MAX_TOKENS_PER_OWNER = 50;

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

async function sha256Hex(text: string): Promise<string> {
  return hex(
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
    ),
  );
}

/** Compares two equal-length strings in time independent of where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Returns whether the token is live at `now`. */
function isLive(token: ApiToken, now: number): boolean {
  return token.expiresAt === null || token.expiresAt > now;
}

/**
 * Creates a token for `ownerId` and returns its record and the token text,
 * which exists only in this return value; null when the owner has
 * `MAX_TOKENS_PER_OWNER` live tokens already.
 */
export async function createApiToken(
  kv: Deno.Kv,
  input: { ownerId: string; name: string; expiresInMs?: number },
): Promise<{ token: string; record: ApiToken } | null> {
  if ((await listApiTokens(kv, input.ownerId)).length >= MAX_TOKENS_PER_OWNER) {
    return null;
  }
  const now = Date.now();
  const id = newId();
  const secret = hex(crypto.getRandomValues(new Uint8Array(32)));
  const record: ApiToken = {
    id,
    ownerId: input.ownerId,
    name: input.name,
    hash: await sha256Hex(secret),
    createdAt: now,
    expiresAt: input.expiresInMs ? now + input.expiresInMs : null,
  };
  const options = record.expiresAt === null
    ? {}
    : { expireIn: expireInFor(record.expiresAt, now) };
  const result = await kv.atomic()
    .check({ key: keys.apiToken(id), versionstamp: null })
    .set(keys.apiToken(id), record, options)
    .set(keys.apiTokenByOwner(input.ownerId, id), id, options)
    .commit();
  if (!result.ok) throw new Error("api token id collision");
  return { token: `${PREFIX}${id}_${secret}`, record };
}

/** Returns the live token a bearer text names, or null (malformed, unknown, revoked, expired). */
export async function verifyApiToken(
  kv: Deno.Kv,
  text: string,
  now = Date.now(),
): Promise<ApiToken | null> {
  const match = TOKEN.exec(text);
  if (!match) return null;
  const [, id, secret] = match;
  const record = (await kv.get<ApiToken>(keys.apiToken(id))).value;
  if (!record || !isLive(record, now)) return null;
  return sameText(record.hash, await sha256Hex(secret)) ? record : null;
}

/** Lists an owner's live tokens, newest first. */
export async function listApiTokens(
  kv: Deno.Kv,
  ownerId: string,
): Promise<ApiToken[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({
      prefix: keys.apiTokensByOwnerPrefix(ownerId),
    }, { reverse: true, limit: 500 })
  ) ids.push(entry.value);
  const now = Date.now();
  return (await getMany<ApiToken>(kv, ids.map((id) => keys.apiToken(id))))
    .map((e) => e.value)
    .filter((t): t is ApiToken => t !== null && isLive(t, now));
}

/** Revokes an owner's token; returns false when the owner has no such token. */
export async function revokeApiToken(
  kv: Deno.Kv,
  ownerId: string,
  tokenId: string,
): Promise<boolean> {
  if (!isId(tokenId)) return false;
  const entry = await kv.get<ApiToken>(keys.apiToken(tokenId));
  if (!entry.value || entry.value.ownerId !== ownerId) return false;
  const result = await kv.atomic()
    .check(entry)
    .delete(keys.apiToken(tokenId))
    .delete(keys.apiTokenByOwner(ownerId, tokenId))
    .commit();
  return result.ok;
}
