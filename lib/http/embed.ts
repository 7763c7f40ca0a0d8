/**
 * A shared chart as an image (`/s/<token>.png`, `.svg`): drawn at the asked
 * size, scale and theme, cached in the render cache under a hash of the
 * chart version and those options (a chart version never changes), so a
 * repeat is served from KV and a client's copy revalidates with its ETag.
 */
import { z } from "zod";
import { integerOption } from "@/lib/exports/options.ts";
import { PNG_LIMITS } from "@/lib/drawing/png.ts";
import { checkPixels } from "@/lib/drawing/budget.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import {
  type Theme,
  themeBackground,
  themedOption,
  THEMES,
} from "@/lib/charts/theme.ts";
import {
  listArtifactsBySession,
  readArtifactSnapshot,
} from "@/lib/kv/artifacts.ts";
import { RENDERER_VERSION } from "@/lib/kv/render_cache.ts";
import { renderCached } from "@/lib/render_api/render.ts";
import { notFound } from "@/lib/errors.ts";
import { parseWith } from "./validate.ts";
import { imageResponse } from "./image_response.ts";
import { takeIpRenderRate } from "./quota.ts";
import { type Shared, sharedChart } from "./shared.ts";
import type { AppContext } from "./types.ts";
import { publicOrigin } from "./urls.ts";

/** The query of an embed: CSS size, device-pixel scale (PNG) and theme. */
export const EmbedQuery = z.strictObject({
  width: integerOption("width", PNG_LIMITS.minWidth, PNG_LIMITS.maxWidth, 800),
  height: integerOption(
    "height",
    PNG_LIMITS.minHeight,
    PNG_LIMITS.maxHeight,
    450,
  ),
  scale: integerOption("scale", PNG_LIMITS.minScale, PNG_LIMITS.maxScale, 1),
  theme: z.enum(THEMES, { error: "theme must be light or dark" }).default(
    "light",
  ),
});

/** A browser or a mail client may keep an embed this long before asking again. */
const EMBED_MAX_AGE_S = 60;

async function embedHash(parts: unknown[]): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(
      JSON.stringify(["embed", RENDERER_VERSION, ...parts]),
    ),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * Answers an embed of the shared chart (a session share: its newest chart)
 * as `format`; a drawing (not a cached copy) counts against the client
 * address's RENDER_API_PER_MINUTE.
 */
export async function embedImage(
  c: AppContext,
  shared: Shared,
  format: "png" | "svg",
): Promise<Response> {
  const query = parseWith(EmbedQuery, c.req.query());
  const scale = format === "svg" ? 1 : query.scale;
  checkPixels({ width: query.width, height: query.height, scale });
  const { kv } = c.var;
  const { artifact } = await sharedChart(
    kv,
    shared,
    await shownChartId(kv, shared),
  );
  const theme: Theme = query.theme;
  const hash = await embedHash([
    artifact.id,
    artifact.version,
    query.width,
    query.height,
    scale,
    theme,
    format,
  ]);
  const image = await renderCached(kv, hash, format, async () => ({
    option: themedOption(
      compileOption(artifact.spec, await readArtifactSnapshot(kv, artifact)),
      theme,
    ),
    width: query.width,
    height: query.height,
    scale,
    format,
    background: themeBackground(theme),
  }), {
    ttlMs: c.var.config.RENDER_CACHE_TTL,
    bounds: {
      maxBytes: c.var.config.RENDER_CACHE_SIZE,
      maxEntryBytes: c.var.config.RENDER_CACHE_ENTRY_MAX,
    },
    ifNoneMatch: c.req.header("if-none-match") ?? null,
    beforeDrawing: () => takeIpRenderRate(c),
  });
  return imageResponse(
    c,
    image,
    format,
    `public, max-age=${EMBED_MAX_AGE_S}`,
    { "x-robots-tag": "noindex" },
  );
}

/** The data of the iframe page: the chart's interactive option in its theme. */
export interface EmbedFrame {
  title: string;
  theme: Theme;
  option: Record<string, unknown>;
  /** The share's page, opened from the frame's caption. */
  pageUrl: string;
}

const FrameQuery = z.strictObject({
  theme: EmbedQuery.shape.theme,
});

/** Returns the iframe page's data for the shared chart (a session share: its newest). */
export async function embedFrameData(
  c: AppContext,
  shared: Shared,
): Promise<EmbedFrame> {
  const { theme } = parseWith(FrameQuery, c.req.query());
  const { kv } = c.var;
  const { artifact } = await sharedChart(
    kv,
    shared,
    await shownChartId(kv, shared),
  );
  const option = compileOption(
    artifact.spec,
    await readArtifactSnapshot(kv, artifact),
    { interactive: true },
  );
  return {
    title: artifact.title,
    theme,
    option: themedOption(option, theme),
    pageUrl: `${publicOrigin(c)}/s/${shared.share.token}`,
  };
}

/** The chart an image or a frame of a share shows: its own, or the session's newest. */
async function shownChartId(kv: Deno.Kv, shared: Shared): Promise<string> {
  if (shared.share.artifactId !== null) return shared.share.artifactId;
  const newest = await listArtifactsBySession(kv, shared.session.id, {
    limit: 1,
  });
  const id = newest.values[0]?.id;
  if (!id) throw notFound("chart");
  return id;
}
