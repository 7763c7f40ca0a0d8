import { z } from "zod";
import type { Handlers } from "../../../../lib/http/types.ts";
import { takeIdentityRate } from "../../../../lib/http/quota.ts";
import { queryOf } from "../../../../lib/http/validate.ts";
import { ownedSession } from "../../../../lib/http/owned.ts";
import { attachmentDisposition } from "../../../../lib/http/blob_response.ts";
import { sessionZip } from "../../../../lib/exports/session_zip.ts";
import { titleSlug } from "../../../../lib/exports/filename.ts";

const ExportQuery = z.strictObject({
  format: z.literal("zip", { error: "format must be zip" }),
});

export const handler: Handlers = {
  /** Streams every chart of the session as one ZIP (see lib/exports/session_zip.ts). */
  async GET(c) {
    const session = await ownedSession(c);
    queryOf(c, ExportQuery);
    await takeIdentityRate(c, "renders");
    const body = await sessionZip(c.var.kv, session);
    return new Response(body, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": attachmentDisposition(
          `${titleSlug(session.title || "session")}-charts.zip`,
        ),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
};
