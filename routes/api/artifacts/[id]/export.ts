import type { Handlers } from "@/lib/http/types.ts";
import { takeIdentityRate } from "@/lib/http/quota.ts";
import { parseWith } from "@/lib/http/validate.ts";
import {
  artifactAtVersion,
  ownedArtifact,
  VersionNumber,
} from "@/lib/http/owned.ts";
import { parseExportOptions } from "@/lib/exports/mod.ts";
import { ensureDownload } from "@/lib/exports/downloads.ts";
import { blobResponse } from "@/lib/http/blob_response.ts";
import { streamBlob } from "@/lib/kv/blobs.ts";
import { notFound } from "@/lib/errors.ts";

export const handler: Handlers = {
  /**
   * Streams the artifact (or its `?version=`) in `?format=` (with that
   * format's options) as an attachment.
   */
  async GET(c) {
    const current = await ownedArtifact(c);
    const { format: rawFormat = "", version, ...rest } = c.req.query();
    const artifact = await artifactAtVersion(
      c,
      current,
      parseWith(VersionNumber.optional(), version, "invalid_query"),
    );
    const request = parseExportOptions(rawFormat, rest);
    const meta = await ensureDownload(
      c.var.kv,
      artifact,
      request,
      c.var.config.DOWNLOAD_TTL,
      () => takeIdentityRate(c, "renders"),
    );
    const found = await streamBlob(c.var.kv, meta.id);
    if (!found) throw notFound("export");
    return blobResponse(found.meta, found.stream);
  },
};
