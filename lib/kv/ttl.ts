/**
 * TTL helpers. `expireIn` is best-effort in Deno KV, so every record also carries
 * `expiresAt` and every read treats an expired record as absent.
 */

export interface Expiring {
  expiresAt: number;
}

/** Returns whether a record has expired at `now`. */
export function isExpired(record: Expiring, now = Date.now()): boolean {
  return record.expiresAt <= now;
}

/** Returns the value of an entry, or null when absent or expired. */
export function liveValue<T extends Expiring>(
  entry: Deno.KvEntryMaybe<T>,
  now = Date.now(),
): T | null {
  if (entry.value === null || isExpired(entry.value, now)) return null;
  return entry.value;
}

/** Returns the `expireIn` that makes KV drop a record at `expiresAt`. */
export function expireInFor(expiresAt: number, now = Date.now()): number {
  return Math.max(1, expiresAt - now);
}
