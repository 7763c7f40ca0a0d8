/**
 * The render API's cache: the image of a request is a KV blob found by a
 * hash of the normalised request (option with keys sorted, size, scale,
 * format, background) and of the renderer version, so identical requests
 * are drawn once per TTL. The same hash is the response's ETag.
 */
import { keys } from "../kv/keys.ts";
import { expireInFor, type Expiring, liveValue } from "../kv/ttl.ts";
import {
  type BlobMeta,
  deleteBlob,
  streamBlob,
  writeBlob,
} from "../kv/blobs.ts";
import type { RenderRequest } from "./request.ts";

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

/**
 * Stores the image of a request hash for `ttlMs`. When a live entry for the
 * hash exists already (an identical render finished first), it stays and
 * this copy is dropped.
 */
export async function putCachedRender(
  kv: Deno.Kv,
  hash: string,
  bytes: Uint8Array,
  { mime, filename, ttlMs }: { mime: string; filename: string; ttlMs: number },
): Promise<void> {
  const key = keys.renderCache(hash);
  const current = await kv.get<RenderCacheEntry>(key);
  if (liveValue(current)) return;
  const expiresAt = Date.now() + ttlMs;
  const meta = await writeBlob(kv, bytes, { mime, filename, expiresAt });
  const entry: RenderCacheEntry = { blobId: meta.id, expiresAt };
  const result = await kv.atomic()
    .check(current)
    .set(key, entry, { expireIn: expireInFor(expiresAt) })
    .commit();
  if (!result.ok) await deleteBlob(kv, meta.id);
}
