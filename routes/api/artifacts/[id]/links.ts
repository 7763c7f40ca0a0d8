import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { takeIdentityRate } from "@/lib/http/quota.ts";
import { jsonBody } from "@/lib/http/validate.ts";
import {
  artifactAtVersion,
  ownedArtifact,
  VersionNumber,
} from "@/lib/http/owned.ts";
import { parseExportOptions } from "@/lib/exports/mod.ts";
import { ensureDownload } from "@/lib/exports/downloads.ts";
import { signedDownloadPath } from "@/lib/links/download.ts";
import { absoluteUrl } from "@/lib/http/urls.ts";
import { downloadLinkView } from "@/lib/api/build.ts";

const CreateLink = z.object({
  format: z.string().max(20),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional(),
  /** Omitted: the newest version. */
  version: VersionNumber.optional(),
}).strict();

export const handler: Handlers = {
  /** Returns an absolute, signed, expiring URL of the artifact (or a version) in a format. */
  async POST(c) {
    const current = await ownedArtifact(c);
    const input = await jsonBody(c, CreateLink);
    const artifact = await artifactAtVersion(c, current, input.version);
    const raw = Object.fromEntries(
      Object.entries(input.options ?? {}).map(([k, v]) => [k, String(v)]),
    );
    const request = parseExportOptions(input.format, raw);
    const meta = await ensureDownload(
      c.var.kv,
      artifact,
      request,
      c.var.config.DOWNLOAD_TTL,
      () => takeIdentityRate(c, "renders"),
    );
    const path = await signedDownloadPath(
      c.var.signingKey,
      meta.id,
      meta.expiresAt,
    );
    return c.json(downloadLinkView(meta, absoluteUrl(c, path)), 201);
  },
};
