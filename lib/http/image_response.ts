/** The HTTP answer for a drawn image: the render API's and shared charts' embeds. */
import type { NotModified, RenderedImage } from "@/lib/render_api/render.ts";
import type { RenderFormat } from "@/lib/render_api/request.ts";
import type { AppContext } from "./types.ts";

/** SVG output is a document of its own: nothing in it may run or load. */
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** Returns the image (or a 304) with its ETag, caching and, for SVG, its own CSP. */
export function imageResponse(
  c: AppContext,
  image: RenderedImage | NotModified,
  format: RenderFormat,
  cacheControl: string,
  extra: Record<string, string> = {},
): Response {
  if (image.notModified) {
    return c.body(null, 304, {
      etag: image.etag,
      "cache-control": cacheControl,
      ...extra,
    });
  }
  const headers: Record<string, string> = {
    "content-type": image.mime,
    "content-length": String(image.size),
    "content-disposition": `inline; filename="chart.${format}"`,
    etag: image.etag,
    "cache-control": cacheControl,
    "x-render-cache": image.cached ? "hit" : "miss",
    ...extra,
  };
  if (format === "svg") headers["content-security-policy"] = SVG_CSP;
  return c.body(image.body, 200, headers);
}
