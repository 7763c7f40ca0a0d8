import type { Handlers } from "@/lib/http/types.ts";
import { parseWith } from "@/lib/http/validate.ts";
import { VersionNumber } from "@/lib/http/owned.ts";
import { sharedChart, sharedOrThrow } from "@/lib/http/shared.ts";
import { takeIpRenderRate } from "@/lib/http/quota.ts";
import { parseExportOptions } from "@/lib/exports/mod.ts";
import { ensureDownload } from "@/lib/exports/downloads.ts";
import { blobResponse } from "@/lib/http/blob_response.ts";
import { streamBlob } from "@/lib/kv/blobs.ts";
import { notFound } from "@/lib/errors.ts";

export const handler: Handlers = {
  /**
   * A chart the share reaches, in `?format=` (and its options), as an
   * attachment; a drawing counts against the visitor's address
   * (RENDER_API_PER_MINUTE).
   */
  async GET(c) {
    const shared = await sharedOrThrow(c);
    const { format = "", version, ...rest } = c.req.query();
    const { artifact } = await sharedChart(
      c.var.kv,
      shared,
      c.req.param("aid"),
      parseWith(VersionNumber.optional(), version, "invalid_query"),
    );
    const meta = await ensureDownload(
      c.var.kv,
      artifact,
      parseExportOptions(format, rest),
      c.var.config.DOWNLOAD_TTL,
      () => takeIpRenderRate(c),
    );
    const found = await streamBlob(c.var.kv, meta.id);
    if (!found) throw notFound("export");
    const response = blobResponse(found.meta, found.stream);
    response.headers.set("x-robots-tag", "noindex");
    return response;
  },
};
