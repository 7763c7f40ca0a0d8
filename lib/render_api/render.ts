/**
 * Serving a render request: from the KV cache when an identical request was
 * drawn within the TTL, otherwise drawn by the render worker pool, stored,
 * and returned. Identical requests arriving together share one render.
 */
import { badRequest } from "@/lib/errors.ts";
import { logMissingGlyphs } from "@/lib/drawing/fonts.ts";
import { getRenderPool, RenderError } from "@/lib/drawing/render_pool.ts";
import { drawVector } from "@/lib/drawing/vector.ts";
import type { BlobMeta } from "@/lib/kv/blobs.ts";
import {
  canonicalJson,
  etagFor,
  getCachedRender,
  matchesEtag,
  putCachedRender,
  type RenderCacheBounds,
  renderRequestHash,
} from "@/lib/kv/render_cache.ts";
import type { RenderFormat, RenderRequest } from "./request.ts";

/** MIME type of each format. */
export const RENDER_MIME: Record<RenderFormat, string> = {
  png: "image/png",
  svg: "image/svg+xml",
  pdf: "application/pdf",
};

/** An image ready to send: from the cache (a stream) or just drawn (bytes). */
export interface RenderedImage {
  notModified: false;
  etag: string;
  mime: string;
  size: number;
  body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>;
  /** Whether it came from the cache. */
  cached: boolean;
}

/** The client's copy (its If-None-Match) is current: nothing to send. */
export interface NotModified {
  notModified: true;
  etag: string;
}

const inFlight = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** How a render is cached and revalidated. */
export interface RenderCacheOptions {
  ttlMs: number;
  ifNoneMatch?: string | null;
  bounds: RenderCacheBounds;
  /** Runs (and may throw, a quota) only when the image must be drawn. */
  beforeDrawing?: () => Promise<void>;
}

/**
 * Returns the image of `request` (cached for `ttlMs` within `bounds`), or NotModified when
 * `ifNoneMatch` already names its ETag. Throws a 400 when ECharts cannot
 * draw the option; nothing is stored then.
 */
export async function renderImage(
  kv: Deno.Kv,
  request: RenderRequest,
  options: RenderCacheOptions,
): Promise<RenderedImage | NotModified> {
  const optionJson = canonicalJson(request.option);
  const hash = await renderRequestHash(request, optionJson);
  return await renderCached(
    kv,
    hash,
    request.format,
    () => Promise.resolve({ ...request, optionJson }),
    options,
  );
}

/**
 * Returns the image cached under `hash`, or draws the request `make` returns
 * and caches it under `hash` (the caller's hash must change whenever the
 * image would); NotModified when `ifNoneMatch` names its ETag.
 */
export async function renderCached(
  kv: Deno.Kv,
  hash: string,
  format: RenderFormat,
  make: () => Promise<RenderRequest & { optionJson?: string }>,
  { ttlMs, ifNoneMatch = null, bounds, beforeDrawing }: RenderCacheOptions,
): Promise<RenderedImage | NotModified> {
  const etag = etagFor(hash);
  if (matchesEtag(ifNoneMatch, etag)) return { notModified: true, etag };
  const mime = RENDER_MIME[format];
  const hit = await getCachedRender(kv, hash);
  if (hit) return fromCache(etag, hit.meta, hit.stream);
  let drawing = inFlight.get(hash);
  if (!drawing) {
    await beforeDrawing?.();
    drawing = make().then((request) =>
      draw(
        kv,
        hash,
        {
          ...request,
          optionJson: request.optionJson ?? canonicalJson(request.option),
        },
        ttlMs,
        bounds,
      )
    ).finally(() => inFlight.delete(hash));
    inFlight.set(hash, drawing);
  }
  const bytes = await drawing;
  return {
    notModified: false,
    etag,
    mime,
    size: bytes.length,
    body: bytes,
    cached: false,
  };
}

function fromCache(
  etag: string,
  meta: BlobMeta,
  stream: ReadableStream<Uint8Array>,
): RenderedImage {
  return {
    notModified: false,
    etag,
    mime: meta.mime,
    size: meta.size,
    body: stream,
    cached: true,
  };
}

async function draw(
  kv: Deno.Kv,
  hash: string,
  request: RenderRequest & { optionJson: string },
  ttlMs: number,
  bounds: RenderCacheBounds,
): Promise<Uint8Array<ArrayBuffer>> {
  const { width, height, scale, background, format } = request;
  const option = request.optionJson;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    if (format === "pdf") {
      bytes = await drawPdf(request);
    } else {
      const output = format === "png"
        ? await getRenderPool().render({
          kind: "png",
          option,
          width,
          height,
          scale,
          background,
        })
        : await getRenderPool().render({
          kind: "svg",
          option,
          width,
          height,
          background,
        });
      logMissingGlyphs(output.missing, format);
      if (output.kind === "svg") bytes = new TextEncoder().encode(output.svg);
      else if (output.kind === "png") bytes = output.bytes;
      else throw new Error(`render pool: unexpected ${output.kind} output`);
    }
  } catch (error) {
    if (error instanceof RenderError) {
      throw badRequest(
        "render_failed",
        `the option could not be drawn: ${error.message}`,
      );
    }
    throw error;
  }
  await putCachedRender(kv, hash, bytes, {
    mime: RENDER_MIME[format],
    filename: `chart.${format}`,
    ttlMs,
    ...bounds,
  });
  return bytes;
}

/**
 * Draws the option as a one-page vector PDF: ECharts' SVG with text as text,
 * written as PDF (charts/pdf.ts), both in the render pool (as the PDF export
 * does). An option ECharts cannot draw is a RenderError.
 */
async function drawPdf(
  request: RenderRequest & { optionJson: string },
): Promise<Uint8Array<ArrayBuffer>> {
  const { width, height, background } = request;
  const { pdf } = await drawVector({
    option: request.optionJson,
    width,
    height,
    background,
    pdf: { width, height, title: pdfTitle(request.option) },
  });
  return pdf;
}

/** The option's first title text, else "Chart": the PDF's document title. */
function pdfTitle(option: Record<string, unknown>): string {
  const title = Array.isArray(option.title) ? option.title[0] : option.title;
  const text = title && typeof title === "object"
    ? (title as Record<string, unknown>).text
    : undefined;
  return typeof text === "string" && text.trim() ? text.trim() : "Chart";
}
