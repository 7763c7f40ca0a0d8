import type { AppContext, Handlers } from "@/lib/http/types.ts";
import {
  type RenderRequest,
  renderRequestFromBody,
  renderRequestFromQuery,
} from "@/lib/render_api/request.ts";
import { renderImage } from "@/lib/render_api/render.ts";
import { takeIpRenderRate } from "@/lib/http/quota.ts";
import { imageResponse } from "@/lib/http/image_response.ts";

async function respond(c: AppContext, request: RenderRequest) {
  await takeIpRenderRate(c);
  const ttlMs = c.var.config.RENDER_CACHE_TTL;
  const image = await renderImage(c.var.kv, request, {
    ttlMs,
    bounds: {
      maxBytes: c.var.config.RENDER_CACHE_SIZE,
      maxEntryBytes: c.var.config.RENDER_CACHE_ENTRY_MAX,
    },
    ifNoneMatch: c.req.header("if-none-match") ?? null,
  });
  return imageResponse(
    c,
    image,
    request.format,
    `public, max-age=${Math.floor(ttlMs / 1000)}`,
  );
}

export const handler: Handlers = {
  /** Draws `?c=<option JSON>&w=&h=&s=&f=png|svg|pdf&bg=` (for Markdown and email). */
  async GET(c) {
    // A render is the same for everyone: no identity cookie, not even on a 400.
    c.header("set-cookie", undefined);
    const request = renderRequestFromQuery(
      c.req.query(),
      c.var.config.MAX_BODY_BYTES,
    );
    return await respond(c, request);
  },
  /** Draws `{option, width, height, scale, format, background}`. */
  async POST(c) {
    c.header("set-cookie", undefined);
    const request = await renderRequestFromBody(
      c.req.raw,
      c.var.config.MAX_BODY_BYTES,
    );
    return await respond(c, request);
  },
};
