/**
 * Share links: `/s/<token>`, a read-only view of a session or of one chart
 * (one version, or always the newest) that works without a cookie. The
 * record is keyed by its random token and indexed by session (the index
 * holds the token); both are written in one commit. Revoking keeps the
 * record as a tombstone (so the link can say it was turned off) and drops
 * the index entry. When a link was last opened is a key of its own, written
 * blindly at most once a minute, so an open never races a revoke.
 */
import { keys } from "./keys.ts";
import { expireInFor, type Expiring } from "./ttl.ts";
import { getMany } from "./batch.ts";
import { newId } from "@/lib/ids.ts";

export interface Share extends Expiring {
  id: string;
  /** The secret part of the URL (22 base64url characters). */
  token: string;
  sessionId: string;
  ownerId: string;
  /** A chart share's artifact; null shares the whole session. */
  artifactId: string | null;
  /** A chart share's fixed version; null: always the newest. */
  version: number | null;
  createdAt: number;
  /** When the link stops working; null: until revoked (or its session goes). */
  endsAt: number | null;
  revokedAt: number | null;
}

/** A share with when it was last opened (null: never). */
export interface ShareWithOpened extends Share {
  lastOpenedAt: number | null;
}

/** How long a revoked or ended link's record is kept, to say so to a visitor. */
const TOMBSTONE_MS = 30 * 24 * 3600_000;
/** Longest a link without an end is kept. */
const MAX_LIFE_MS = 366 * 24 * 3600_000;
/** Opens closer together than this are not written again. */
const OPENED_PRECISION_MS = 60_000;

const TOKEN = /^[A-Za-z0-9_-]{22}$/;

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-")
    .replace(/\//g, "_").replace(/=+$/, "");
}

/** Creates a share of a session (or one of its charts) and returns it. */
export async function createShare(
  kv: Deno.Kv,
  input: {
    sessionId: string;
    ownerId: string;
    artifactId?: string | null;
    version?: number | null;
    endsInMs?: number;
  },
): Promise<Share> {
  const now = Date.now();
  const endsAt = input.endsInMs ? now + input.endsInMs : null;
  const share: Share = {
    id: newId(),
    token: randomToken(),
    sessionId: input.sessionId,
    ownerId: input.ownerId,
    artifactId: input.artifactId ?? null,
    version: input.version ?? null,
    createdAt: now,
    endsAt,
    revokedAt: null,
    expiresAt: endsAt === null ? now + MAX_LIFE_MS : endsAt + TOMBSTONE_MS,
  };
  const expireIn = expireInFor(share.expiresAt, now);
  const result = await kv.atomic()
    .check({ key: keys.share(share.token), versionstamp: null })
    .set(keys.share(share.token), share, { expireIn })
    .set(keys.shareBySession(share.sessionId, share.id), share.token, {
      expireIn,
    })
    .commit();
  if (!result.ok) throw new Error("share token collision");
  return share;
}

/** What a link's token leads to. */
export type ShareLookup =
  | { status: "ok"; share: Share; lastOpenedAt: number | null }
  | { status: "invalid" | "revoked" | "expired" };

/** Reads the share a token names, saying why when it cannot be opened. */
export async function readShare(
  kv: Deno.Kv,
  token: string,
  now = Date.now(),
): Promise<ShareLookup> {
  if (!TOKEN.test(token)) return { status: "invalid" };
  const [record, opened] = await kv.getMany<[Share, number]>([
    keys.share(token),
    keys.shareOpened(token),
  ]);
  const share = record.value;
  if (!share || share.expiresAt <= now) return { status: "invalid" };
  if (share.revokedAt !== null) return { status: "revoked" };
  if (share.endsAt !== null && share.endsAt <= now) {
    return { status: "expired" };
  }
  return { status: "ok", share, lastOpenedAt: opened.value };
}

/** Records that a share was opened at `now`, unless it was within the last minute. */
export async function markShareOpened(
  kv: Deno.Kv,
  share: Share,
  lastOpenedAt: number | null,
  now = Date.now(),
): Promise<void> {
  if (lastOpenedAt !== null && now - lastOpenedAt < OPENED_PRECISION_MS) {
    return;
  }
  await kv.set(keys.shareOpened(share.token), now, {
    expireIn: expireInFor(share.expiresAt, now),
  });
}

/** Lists a session's live (not revoked) shares, newest first, with when each was last opened. */
export async function listSessionShares(
  kv: Deno.Kv,
  sessionId: string,
  now = Date.now(),
): Promise<ShareWithOpened[]> {
  const tokens: string[] = [];
  for await (
    const entry of kv.list<string>({
      prefix: keys.sharesBySessionPrefix(sessionId),
    }, { reverse: true, limit: 200 })
  ) tokens.push(entry.value);
  const entries = await getMany<Share | number>(
    kv,
    tokens.flatMap((t) => [keys.share(t), keys.shareOpened(t)]),
  );
  const out: ShareWithOpened[] = [];
  for (let i = 0; i < entries.length; i += 2) {
    const share = entries[i].value as Share | null;
    if (!share || share.expiresAt <= now || share.revokedAt !== null) continue;
    out.push({ ...share, lastOpenedAt: entries[i + 1].value as number | null });
  }
  return out;
}

/**
 * Revokes a share of a session: its link answers "revoked" from now on.
 * Returns false when the session has no such share.
 */
export async function revokeShare(
  kv: Deno.Kv,
  sessionId: string,
  shareId: string,
): Promise<boolean> {
  const indexKey = keys.shareBySession(sessionId, shareId);
  const index = await kv.get<string>(indexKey);
  if (!index.value) return false;
  const entry = await kv.get<Share>(keys.share(index.value));
  const now = Date.now();
  const op = kv.atomic().check(index, entry).delete(indexKey)
    .delete(keys.shareOpened(index.value));
  if (entry.value && entry.value.sessionId === sessionId) {
    const expiresAt = now + TOMBSTONE_MS;
    op.set(keys.share(index.value), {
      ...entry.value,
      revokedAt: now,
      expiresAt,
    }, { expireIn: expireInFor(expiresAt, now) });
  }
  return (await op.commit()).ok;
}

/** Deletes every share of a session (records, indexes, opened times); safe to run more than once. */
export async function deleteSessionShares(
  kv: Deno.Kv,
  sessionId: string,
): Promise<void> {
  for await (
    const entry of kv.list<string>({
      prefix: keys.sharesBySessionPrefix(sessionId),
    })
  ) {
    await kv.atomic()
      .delete(keys.share(entry.value))
      .delete(keys.shareOpened(entry.value))
      .delete(entry.key)
      .commit();
  }
}
