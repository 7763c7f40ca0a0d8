/**
 * The render API's cache: the image of a request is a KV blob found by a
 * hash of the normalised request (option with keys sorted, size, scale,
 * format, background) and of the renderer version, so identical requests
 * are drawn once per TTL. The same hash is the response's ETag.
 *
 * The cache is bounded: an image over RENDER_CACHE_ENTRY_MAX is served but
 * not stored, and a running total (changed in the same commit as each entry
 * and its age-order record) keeps all images under RENDER_CACHE_SIZE by
 * evicting the oldest when a new one would pass it. Age-order records carry
 * no TTL, so an image KV has already dropped still counts until evicted.
 */
import { keys } from "./keys.ts";
import { retryCommit } from "./commit.ts";
import { newId } from "@/lib/ids.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { type BlobMeta, deleteBlob, streamBlob, writeBlob } from "./blobs.ts";
import type { RenderRequest } from "@/lib/render_api/request.ts";

/** Bumped whenever the renderer's output for the same request changes. */
export const RENDERER_VERSION = 1;

/** The cache record: which blob holds the image of a request hash. */
export interface RenderCacheEntry extends Expiring {
  blobId: string;
}

/**
 * Returns the hex SHA-256 of the normalised request; `optionJson` is
 * `canonicalJson(request.option)` when the caller has it already.
 */
export async function renderRequestHash(
  request: RenderRequest,
  optionJson = canonicalJson(request.option),
): Promise<string> {
  const { width, height, scale, format } = request;
  const background = request.background.toLowerCase();
  const text = `${
    JSON.stringify([RENDERER_VERSION, width, height, scale, format, background])
  }\n${optionJson}`;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** Returns the strong ETag of a request hash. */
export function etagFor(hash: string): string {
  return `"r${RENDERER_VERSION}-${hash.slice(0, 32)}"`;
}

/** Returns whether an `If-None-Match` header value names `etag` (or is `*`). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim().replace(/^W\//, "");
    return t === "*" || t === etag;
  });
}

/** JSON with object keys sorted, so equal options hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value)) ?? "null";
}

/**
 * `value` with every object's keys in sorted order; parts that are already
 * in order are returned as they are, so a 10,000-point data array is walked
 * once and not copied (the native JSON.stringify then does the rest).
 */
function sortedKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const sorted = sortedKeys(item);
      if (sorted !== item) {
        copy ??= value.slice();
        copy[i] = sorted;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) {
    ordered = keys[i - 1] < keys[i];
  }
  let changed = !ordered;
  const entries = keys.map((key) => {
    const child = sortedKeys(record[key]);
    if (child !== record[key]) changed = true;
    return [key, child] as const;
  });
  if (!changed) return value;
  entries.sort(([a], [b]) => a < b ? -1 : 1);
  return Object.fromEntries(entries);
}

/** Returns the cached image of a request hash as a stream, or null when absent or expired. */
export async function getCachedRender(
  kv: Deno.Kv,
  hash: string,
): Promise<{ meta: BlobMeta; stream: ReadableStream<Uint8Array> } | null> {
  const entry = liveValue(
    await kv.get<RenderCacheEntry>(keys.renderCache(hash)),
  );
  if (!entry) return null;
  return await streamBlob(kv, entry.blobId);
}

/** How much the render cache may hold. */
export interface RenderCacheBounds {
  /** Bytes of all cached images together (RENDER_CACHE_SIZE). */
  maxBytes: number;
  /** Bytes of one image; a larger one is not cached (RENDER_CACHE_ENTRY_MAX). */
  maxEntryBytes: number;
}

/** The cache's running total: bytes and images it holds (written with every change). */
interface RenderCacheTotal {
  bytes: number;
  count: number;
}

/** One cached image in the cache's age order: what to delete when it is evicted. */
interface RenderCacheOrder {
  hash: string;
  blobId: string;
  size: number;
}

/**
 * Stores the image of a request hash for `ttlMs`, unless it is larger than
 * `bounds.maxEntryBytes`; then evicts the oldest images until the cache
 * holds at most `bounds.maxBytes`. When a live entry for the hash exists
 * already (an identical render finished first), it stays and this copy is
 * dropped.
 */
export async function putCachedRender(
  kv: Deno.Kv,
  hash: string,
  bytes: Uint8Array,
  options:
    & { mime: string; filename: string; ttlMs: number }
    & RenderCacheBounds,
): Promise<void> {
  if (bytes.length > options.maxEntryBytes) return;
  const key = keys.renderCache(hash);
  if (liveValue(await kv.get<RenderCacheEntry>(key))) return;
  const expiresAt = Date.now() + options.ttlMs;
  const meta = await writeBlob(kv, bytes, {
    mime: options.mime,
    filename: options.filename,
    expiresAt,
  });
  const orderKey = keys.renderCacheOrder(newId());
  const stored = await retryCommit("render cache entry", async () => {
    const [current, total] = await kv.getMany<
      [RenderCacheEntry, RenderCacheTotal]
    >([
      key,
      keys.renderCacheTotal(),
    ]);
    if (liveValue(current)) return false;
    const sum = total.value ?? { bytes: 0, count: 0 };
    const entry: RenderCacheEntry = { blobId: meta.id, expiresAt };
    const order: RenderCacheOrder = {
      hash,
      blobId: meta.id,
      size: bytes.length,
    };
    const result = await kv.atomic()
      .check(current, total)
      .set(key, entry, { expireIn: expireInFor(expiresAt) })
      // The order record outlives the image: it still counts until evicted.
      .set(orderKey, order)
      .set(keys.renderCacheTotal(), {
        bytes: sum.bytes + bytes.length,
        count: sum.count + 1,
      })
      .commit();
    return result.ok ? true : null;
  });
  if (!stored) {
    await deleteBlob(kv, meta.id);
    return;
  }
  await evictRenders(kv, options.maxBytes);
}

/** Deletes the oldest cached images until the cache holds at most `maxBytes`. */
export async function evictRenders(
  kv: Deno.Kv,
  maxBytes: number,
): Promise<void> {
  while (true) {
    const total = await kv.get<RenderCacheTotal>(keys.renderCacheTotal());
    if ((total.value?.bytes ?? 0) <= maxBytes) return;
    const oldest = await Array.fromAsync(
      kv.list<RenderCacheOrder>({ prefix: keys.renderCacheOrderPrefix() }, {
        limit: 1,
      }),
    );
    if (oldest.length === 0) return;
    const [order] = oldest;
    const entry = await kv.get<RenderCacheEntry>(
      keys.renderCache(order.value.hash),
    );
    const sum = total.value!;
    const op = kv.atomic()
      .check(total, order, entry)
      .delete(order.key)
      .set(keys.renderCacheTotal(), {
        bytes: Math.max(0, sum.bytes - order.value.size),
        count: Math.max(0, sum.count - 1),
      });
    // The entry may be a newer image of the same request: keep that one.
    if (entry.value?.blobId === order.value.blobId) op.delete(entry.key);
    if ((await op.commit()).ok) await deleteBlob(kv, order.value.blobId);
  }
}
