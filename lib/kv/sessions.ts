/** Sessions: the record and its by-owner index, written in one atomic commit. */
import { listValues } from "./cursor.ts";
import { keys } from "./keys.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { retryCommit } from "./commit.ts";
import { newId } from "@/lib/ids.ts";
import { getMany } from "./batch.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";

/** The title of a session until its first request names it. */
export const UNTITLED = "Untitled session";

export interface Session extends Expiring {
  id: string;
  ownerId: string;
  title: string;
  /** The language of its first request: its page speaks it. */
  lang?: Lang;
  createdAt: number;
  updatedAt: number;
}

/** Creates a session owned by `ownerId` that lives for `ttlMs` after its last change. */
export async function createSession(
  kv: Deno.Kv,
  input: { ownerId: string; title?: string; ttlMs: number },
): Promise<Session> {
  const now = Date.now();
  const session: Session = {
    id: newId(),
    ownerId: input.ownerId,
    title: input.title?.trim() || UNTITLED,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + input.ttlMs,
  };
  const expireIn = input.ttlMs;
  const result = await kv.atomic()
    .check({ key: keys.session(session.id), versionstamp: null })
    .set(keys.session(session.id), session, { expireIn })
    .set(keys.sessionByOwner(session.ownerId, session.id), session.id, {
      expireIn,
    })
    .commit();
  if (!result.ok) throw new Error("session id collision");
  return session;
}

/**
 * Stores a session as it was (title, times) for a restored archive, not yet
 * in its owner's list: `listImportedSession` adds it there once everything
 * it holds is stored.
 */
export async function importSession(
  kv: Deno.Kv,
  input: {
    ownerId: string;
    title: string;
    createdAt: number;
    updatedAt: number;
    ttlMs: number;
  },
): Promise<Session> {
  const session: Session = {
    id: newId(),
    ownerId: input.ownerId,
    title: input.title,
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
    expiresAt: Date.now() + input.ttlMs,
  };
  const result = await kv.atomic()
    .check({ key: keys.session(session.id), versionstamp: null })
    .set(keys.session(session.id), session, { expireIn: input.ttlMs })
    .commit();
  if (!result.ok) throw new Error("session id collision");
  return session;
}

/** Adds an imported session to its owner's list (see `importSession`). */
export async function listImportedSession(
  kv: Deno.Kv,
  session: Session,
): Promise<void> {
  await kv.set(
    keys.sessionByOwner(session.ownerId, session.id),
    session.id,
    { expireIn: expireInFor(session.expiresAt) },
  );
}

/** Returns the session, or null when absent, expired or being deleted. */
export async function getSession(
  kv: Deno.Kv,
  sessionId: string,
): Promise<Session | null> {
  return liveValue(await kv.get<Session>(keys.session(sessionId)));
}

/** Returns the session when `ownerId` owns it, else null (the caller answers 404). */
export async function getOwnedSession(
  kv: Deno.Kv,
  sessionId: string,
  ownerId: string,
): Promise<Session | null> {
  const session = await getSession(kv, sessionId);
  return session && session.ownerId === ownerId ? session : null;
}

/** Lists an owner's sessions, newest first, as `{ values, cursor }`. */
export async function listSessionsByOwner(
  kv: Deno.Kv,
  ownerId: string,
  options: { limit?: number; cursor?: string } = {},
): Promise<{ values: Session[]; cursor: string | null }> {
  const iter = kv.list<string>(
    { prefix: keys.sessionsByOwnerPrefix(ownerId) },
    { reverse: true, limit: options.limit ?? 50, cursor: options.cursor },
  );
  const ids = await listValues(iter, options.cursor);
  const entries = await getMany<Session>(kv, ids.map((id) => keys.session(id)));
  const now = Date.now();
  const values = entries
    .map((e) => liveValue(e, now))
    .filter((s): s is Session => s !== null);
  const cursor = ids.length === (options.limit ?? 50) ? iter.cursor : null;
  return { values, cursor };
}

/**
 * Applies `change` to a session and extends its TTL, retrying on concurrent
 * writes; returns the new record, or null when the session is gone.
 */
export function updateSession(
  kv: Deno.Kv,
  sessionId: string,
  ttlMs: number,
  change: (session: Session) => Partial<Pick<Session, "title" | "lang">> =
    () => ({}),
): Promise<Session | null> {
  return retryCommit("session update", async () => {
    const entry = await kv.get<Session>(keys.session(sessionId));
    const current = liveValue(entry);
    if (!current) return { value: null };
    const now = Date.now();
    const next: Session = {
      ...current,
      ...change(current),
      updatedAt: now,
      expiresAt: now + ttlMs,
    };
    const expireIn = expireInFor(next.expiresAt, now);
    const result = await kv.atomic()
      .check(entry)
      .set(keys.session(sessionId), next, { expireIn })
      .set(keys.sessionByOwner(next.ownerId, sessionId), sessionId, {
        expireIn,
      })
      .commit();
    return result.ok ? { value: next } : null;
  }).then((r) => r.value);
}
