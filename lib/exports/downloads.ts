/**
 * Download blobs: an export of an artifact, stored as a KV blob with a short
 * TTL and cached by a hash of (artifact, version, format, options), so asking
 * twice for the same file renders it once.
 */
import {
  getCachedDownload,
  setCachedDownload,
} from "@/lib/kv/download_cache.ts";
import { type BlobMeta, getBlobMeta, writeBlob } from "@/lib/kv/blobs.ts";
import { type Artifact, readArtifactSnapshot } from "@/lib/kv/artifacts.ts";
import { inlineParams } from "@/lib/data/sql_text.ts";
import { exportChart, type ParsedExport } from "./mod.ts";

/** Returns the SHA-256 hex digest of a string. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Returns the input of the exporters for an artifact. */
export async function exportInputOf(kv: Deno.Kv, artifact: Artifact) {
  return {
    title: artifact.title,
    spec: artifact.spec,
    snapshot: await readArtifactSnapshot(kv, artifact),
    provenance: {
      // Files leave the app: their SQL carries its parameter values.
      query: inlineParams(
        artifact.provenance.query,
        artifact.provenance.params ?? [],
      ),
      dataset: artifact.provenance.datasetName,
      rowCount: artifact.provenance.rowCount,
      executionMs: artifact.provenance.executionMs,
    },
    interpretation: artifact.interpretation,
  };
}

/** Formats whose export draws the chart (and so counts as a render). */
export const DRAWN_FORMATS: ReadonlySet<string> = new Set([
  "png",
  "svg",
  "pdf",
  "zip",
]);

/**
 * Returns the stored download blob of an artifact in a format, rendering and
 * storing it (for `ttlMs`) when no live cached copy exists. `request` comes
 * from `parseExportOptions`, so equal requests have equal, complete options.
 * `beforeDrawing` runs (and may throw, a quota) only when a drawn format
 * is about to be made, not when a cached copy is served.
 */
export async function ensureDownload(
  kv: Deno.Kv,
  artifact: Artifact,
  request: ParsedExport,
  ttlMs: number,
  beforeDrawing?: () => Promise<void>,
): Promise<BlobMeta> {
  const { format, options } = request;
  const sortedOptions = Object.fromEntries(
    Object.entries(options).sort(([a], [b]) => a.localeCompare(b)),
  );
  const hash = await sha256Hex(
    JSON.stringify([artifact.id, artifact.version, format, sortedOptions]),
  );
  const cached = await getCachedDownload(kv, artifact.sessionId, hash);
  if (cached) {
    const meta = await getBlobMeta(kv, cached);
    // Reuse only a copy that outlives a fresh link by a fair margin.
    if (meta && meta.expiresAt - Date.now() > ttlMs / 2) return meta;
  }
  if (DRAWN_FORMATS.has(format)) await beforeDrawing?.();
  const result = await exportChart(
    await exportInputOf(kv, artifact),
    format,
    options,
  );
  const meta = await writeBlob(kv, result.body, {
    mime: result.mime,
    filename: result.filename,
    sessionId: artifact.sessionId,
    expiresAt: Date.now() + ttlMs,
  });
  await setCachedDownload(kv, artifact.sessionId, hash, meta.id, ttlMs);
  return meta;
}
