/**
 * Housekeeping sweeps, in bounded slices that any instance can continue: a
 * slice walks the next `limit` keys after a cursor and removes expired records
 * (Deno KV's own `expireIn` is best-effort), blobs whose writer gave up
 * (pending for longer than a grace period) and blob chunks left without their
 * metadata (a delete interrupted between the two). Leases are never touched:
 * unfinished work is not garbage.
 */
import { keys } from "./keys.ts";
import { deleteByPrefix } from "./batch.ts";
import { deleteBlob } from "./blobs.ts";
import { isExpired } from "./ttl.ts";

export interface SweepSlice {
  /** Where the next slice starts; null when this one reached the end. */
  cursor: string | null;
  /** Keys looked at. */
  seen: number;
  /** Expired records removed (a blob counts once). */
  expired: number;
  /** Blobs whose chunks were removed: abandoned writes and orphaned chunks. */
  orphanBlobs: number;
  /** Bytes of the live blobs whose metadata this slice saw. */
  blobBytes: number;
}

/** How long a blob may stay pending before its write counts as abandoned. */
export const PENDING_GRACE_MS = 10 * 60_000;

function expiresAtOf(value: unknown): number | null {
  if (typeof value !== "object" || value === null) return null;
  const at = (value as { expiresAt?: unknown }).expiresAt;
  return typeof at === "number" ? at : null;
}

/**
 * Sweeps the `limit` keys after `cursor` (from the start when null) and
 * returns where to go on. Safe to run on several instances at once: every
 * delete is of something no reader can see any more.
 */
export async function sweepSlice(
  kv: Deno.Kv,
  options: {
    cursor: string | null;
    limit: number;
    now?: number;
    pendingGraceMs?: number;
  },
): Promise<SweepSlice> {
  const now = options.now ?? Date.now();
  const grace = options.pendingGraceMs ?? PENDING_GRACE_MS;
  const result: SweepSlice = {
    cursor: null,
    seen: 0,
    expired: 0,
    orphanBlobs: 0,
    blobBytes: 0,
  };
  const checkedBlobs = new Set<string>();
  const iter = kv.list({ prefix: [] }, {
    limit: options.limit,
    cursor: options.cursor ?? undefined,
    batchSize: Math.min(options.limit, 500),
  });
  for await (const entry of iter) {
    result.seen++;
    const [space, id, part] = entry.key;
    if (space === "lease") continue;
    if (space === "blob" && part === "chunk") {
      const blobId = String(id);
      if (checkedBlobs.has(blobId)) continue;
      checkedBlobs.add(blobId);
      const [meta, pending] = await kv.getMany([
        keys.blobMeta(blobId),
        keys.blobPending(blobId),
      ]);
      if (meta.versionstamp === null && pending.versionstamp === null) {
        await deleteByPrefix(kv, keys.blobChunksPrefix(blobId));
        result.orphanBlobs++;
      }
      continue;
    }
    if (space === "blob_pending") {
      const startedAt = (entry.value as { startedAt?: number }).startedAt ?? 0;
      if (now - startedAt < grace) continue;
      await deleteByPrefix(kv, keys.blobChunksPrefix(String(id)));
      await kv.atomic().check(entry).delete(entry.key).commit();
      result.orphanBlobs++;
      continue;
    }
    const expiresAt = expiresAtOf(entry.value);
    if (expiresAt === null || !isExpired({ expiresAt }, now)) {
      if (space === "blob" && part === "meta") {
        result.blobBytes += (entry.value as { size?: number }).size ?? 0;
      }
      continue;
    }
    if (space === "blob" && part === "meta") {
      await deleteBlob(kv, String(id));
    } else {
      await kv.atomic().check(entry).delete(entry.key).commit();
    }
    result.expired++;
  }
  result.cursor = result.seen < options.limit ? null : iter.cursor;
  return result;
}
