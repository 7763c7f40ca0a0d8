import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { queryOf } from "@/lib/http/validate.ts";
import { sharedOrThrow } from "@/lib/http/shared.ts";
import { takeIpRenderRate } from "@/lib/http/quota.ts";
import { sessionZipResponse } from "@/lib/http/session_zip.ts";
import { notFound } from "@/lib/errors.ts";

const ExportQuery = z.strictObject({
  format: z.literal("zip", { error: "format must be zip" }),
});

export const handler: Handlers = {
  /** A shared session's charts as one ZIP (a chart share has none). */
  async GET(c) {
    const shared = await sharedOrThrow(c);
    if (shared.share.artifactId !== null) throw notFound("session export");
    queryOf(c, ExportQuery);
    await takeIpRenderRate(c);
    const response = await sessionZipResponse(c.var.kv, shared.session);
    response.headers.set("x-robots-tag", "noindex");
    return response;
  },
};
