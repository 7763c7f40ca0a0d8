/**
 * Leases: which instance holds a piece of work, and until when. A lease is one
 * KV record under `["lease", kind, id]` with its holder, an `expiresAt`, a
 * count of claims and a small payload. Every change is a versionstamp-checked
 * commit, so of two instances that try to take the same lease exactly one
 * succeeds. A holder keeps its lease by renewing it; a holder that dies stops
 * renewing, the lease lapses, and any instance can claim it (`listLapsedLeases`
 * then `claimLease`) and finish the work. Each claim gets a fresh token: that
 * token, not the instance id, is what makes a lease "mine".
 *
 * Leases do not expire through `expireIn` (that is best-effort and would lose
 * unfinished work); they end when the holder releases them.
 */
import { keys } from "./keys.ts";

export interface Lease<T = unknown> {
  kind: string;
  id: string;
  /** The holding instance (for logs); null once handed back for anyone to take. */
  owner: string | null;
  /** Identifies one claim; a renewal or release must present it. */
  token: string;
  /** The claim ends at this time unless renewed. */
  expiresAt: number;
  /** Claims so far: the first acquire is 1, each takeover adds one. */
  attempts: number;
  acquiredAt: number;
  data: T;
}

/** A lease as read from KV, with the versionstamp a commit can check. */
export interface LeaseEntry<T = unknown> {
  lease: Lease<T>;
  versionstamp: string;
}

/**
 * Extra operations committed together with a lease change; called again on
 * each retry, so it may read (and check) what it writes.
 */
export type AddOps = (op: Deno.AtomicOperation) => void | Promise<void>;

/** Returns whether a lease has lapsed at `now` (or was handed back). */
export function isLapsed(lease: Lease, now = Date.now()): boolean {
  return lease.owner === null || lease.expiresAt <= now;
}

/** Returns the lease of (kind, id), or null when there is none. */
export async function getLease<T>(
  kv: Deno.Kv,
  kind: string,
  id: string,
): Promise<LeaseEntry<T> | null> {
  const entry = await kv.get<Lease<T>>(keys.lease(kind, id));
  return entry.versionstamp === null
    ? null
    : { lease: entry.value, versionstamp: entry.versionstamp };
}

function nextLease<T>(
  kind: string,
  id: string,
  previous: Lease<T> | null,
  options: { owner: string; ttlMs: number; data?: T; now: number },
): Lease<T> {
  return {
    kind,
    id,
    owner: options.owner,
    token: crypto.randomUUID(),
    expiresAt: options.now + options.ttlMs,
    attempts: (previous?.attempts ?? 0) + 1,
    acquiredAt: options.now,
    data: (options.data ?? previous?.data ?? null) as T,
  };
}

/**
 * Takes the lease of (kind, id) for `owner` when nobody holds it (absent,
 * lapsed or handed back); returns it, or null when a live holder has it or
 * another instance won the race. `also` adds operations to the same commit
 * (their checks failing also yields null).
 */
export async function acquireLease<T>(
  kv: Deno.Kv,
  kind: string,
  id: string,
  options: {
    owner: string;
    ttlMs: number;
    data?: T;
    now?: number;
    also?: AddOps;
  },
): Promise<LeaseEntry<T> | null> {
  const now = options.now ?? Date.now();
  const entry = await kv.get<Lease<T>>(keys.lease(kind, id));
  if (entry.value && !isLapsed(entry.value, now)) return null;
  const lease = nextLease(kind, id, entry.value, { ...options, now });
  const op = kv.atomic()
    .check(entry)
    .set(keys.lease(kind, id), lease);
  await options.also?.(op);
  const result = await op.commit();
  return result.ok ? { lease, versionstamp: result.versionstamp } : null;
}

/**
 * Takes over a lapsed lease as read by `listLapsedLeases`, only if nobody
 * changed it since; returns the new claim (attempts + 1), or null when another
 * instance claimed it first or it is no longer lapsed.
 */
export async function claimLease<T>(
  kv: Deno.Kv,
  found: LeaseEntry<T>,
  options: { owner: string; ttlMs: number; now?: number; also?: AddOps },
): Promise<LeaseEntry<T> | null> {
  const now = options.now ?? Date.now();
  if (!isLapsed(found.lease, now)) return null;
  const { kind, id } = found.lease;
  const lease = nextLease(kind, id, found.lease, { ...options, now });
  const op = kv.atomic()
    .check({ key: keys.lease(kind, id), versionstamp: found.versionstamp })
    .set(keys.lease(kind, id), lease);
  await options.also?.(op);
  const result = await op.commit();
  return result.ok ? { lease, versionstamp: result.versionstamp } : null;
}

/**
 * Runs `attempt` on a commit that also checks `held` is still this claim and
 * extends it by `ttlMs`; retries while only the lease's versionstamp moved (a
 * renewal of our own). `attempt` re-reads what it checks and returns null to
 * be retried. Returns the value and the renewed lease, or null once the lease
 * is lost (taken over or released), in which case nothing was written.
 */
export async function commitUnderLease<T, V>(
  kv: Deno.Kv,
  held: Lease<T>,
  ttlMs: number,
  attempt: (op: Deno.AtomicOperation) => Promise<V | null> | V | null,
  options: { data?: T; tries?: number } = {},
): Promise<{ value: V; lease: LeaseEntry<T> } | null> {
  const key = keys.lease(held.kind, held.id);
  const tries = options.tries ?? 20;
  for (let i = 0; i < tries; i++) {
    const entry = await kv.get<Lease<T>>(key);
    if (entry.value?.token !== held.token) return null;
    const lease: Lease<T> = {
      ...entry.value,
      expiresAt: Date.now() + ttlMs,
      data: options.data ?? entry.value.data,
    };
    const op = kv.atomic().check(entry).set(key, lease);
    const value = await attempt(op);
    if (value !== null) {
      const result = await op.commit();
      if (result.ok) {
        return { value, lease: { lease, versionstamp: result.versionstamp } };
      }
    }
    await new Promise((r) => setTimeout(r, Math.random() * 5 * (i + 1)));
  }
  throw new Error(`lease ${held.kind}/${held.id}: too many concurrent changes`);
}

/**
 * Adds to `op` a check that `held` is still this claim, so the commit fails if
 * another instance takes the lease over before it lands; returns false (and
 * adds nothing) when the lease is already not this claim.
 */
export async function checkLease<T>(
  kv: Deno.Kv,
  held: Lease<T>,
  op: Deno.AtomicOperation,
): Promise<boolean> {
  const entry = await kv.get<Lease<T>>(keys.lease(held.kind, held.id));
  if (entry.value?.token !== held.token) return false;
  op.check(entry);
  return true;
}

/**
 * Extends `held` by `ttlMs` (optionally replacing its data); returns the
 * renewed lease, or null when it is no longer this claim.
 */
export async function renewLease<T>(
  kv: Deno.Kv,
  held: Lease<T>,
  ttlMs: number,
  data?: T,
): Promise<LeaseEntry<T> | null> {
  const done = await commitUnderLease(kv, held, ttlMs, () => true, { data });
  return done?.lease ?? null;
}

/**
 * Ends this claim of `held`: deletes the lease (the work is done), or with
 * `handBack` leaves it lapsed after `delayMs` for any instance to claim (the
 * work is not done). `also` adds operations to the same commit. Returns false
 * when the lease was no longer this claim (nothing was written).
 */
export async function releaseLease<T>(
  kv: Deno.Kv,
  held: Lease<T>,
  options: { handBack?: boolean; delayMs?: number; also?: AddOps } = {},
): Promise<boolean> {
  const key = keys.lease(held.kind, held.id);
  for (let i = 0; i < 20; i++) {
    const entry = await kv.get<Lease<T>>(key);
    if (entry.value?.token !== held.token) return false;
    const op = kv.atomic().check(entry);
    if (options.handBack) {
      op.set(key, {
        ...entry.value,
        owner: null,
        expiresAt: Date.now() + (options.delayMs ?? 0),
      });
    } else op.delete(key);
    await options.also?.(op);
    if ((await op.commit()).ok) return true;
    await new Promise((r) => setTimeout(r, Math.random() * 5 * (i + 1)));
  }
  throw new Error(`lease ${held.kind}/${held.id}: could not release`);
}

/**
 * Returns the leases of `kind` that have lapsed at `now`, oldest id first,
 * looking at no more than `scan` leases (the ones live are skipped).
 */
export async function listLapsedLeases<T>(
  kv: Deno.Kv,
  kind: string,
  options: { now?: number; scan?: number } = {},
): Promise<LeaseEntry<T>[]> {
  const now = options.now ?? Date.now();
  const out: LeaseEntry<T>[] = [];
  for await (
    const entry of kv.list<Lease<T>>({ prefix: keys.leasesPrefix(kind) }, {
      limit: options.scan ?? 200,
    })
  ) {
    if (isLapsed(entry.value, now)) {
      out.push({ lease: entry.value, versionstamp: entry.versionstamp });
    }
  }
  return out;
}

/** A lease kept alive by a timer; `signal` aborts when the lease is lost. */
export interface KeptLease<T> {
  /** The latest renewed state of the claim. */
  readonly current: Lease<T>;
  /** Aborted when another instance took the lease over or it was released. */
  readonly signal: AbortSignal;
  /** Stops renewing (the lease itself is left as it is). */
  stop(): void;
}

/**
 * Renews `held` every `everyMs` (default a third of `ttlMs`) until `stop`; a
 * process that dies stops renewing, so its lease lapses after at most `ttlMs`.
 */
export function keepLease<T>(
  kv: Deno.Kv,
  held: Lease<T>,
  ttlMs: number,
  options: { everyMs?: number; onError?: (error: unknown) => void } = {},
): KeptLease<T> {
  const lost = new AbortController();
  let current = held;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const renewed = await renewLease(kv, current, ttlMs);
      if (renewed) current = renewed.lease;
      else {
        clearInterval(timer);
        lost.abort(new Error(`lease ${held.kind}/${held.id} lost`));
      }
    } catch (error) {
      // A KV hiccup: try again on the next tick; the lease may lapse meanwhile.
      options.onError?.(error);
    } finally {
      busy = false;
    }
  }, options.everyMs ?? Math.max(10, Math.floor(ttlMs / 3)));
  return {
    get current() {
      return current;
    },
    signal: lost.signal,
    stop: () => clearInterval(timer),
  };
}
