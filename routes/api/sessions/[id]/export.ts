import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { takeIdentityRate } from "@/lib/http/quota.ts";
import { queryOf } from "@/lib/http/validate.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { sessionZipResponse } from "@/lib/http/session_zip.ts";

const ExportQuery = z.strictObject({
  format: z.literal("zip", { error: "format must be zip" }),
});

export const handler: Handlers = {
  /** Streams every chart of the session as one ZIP (see lib/exports/session_zip.ts). */
  async GET(c) {
    const session = await ownedSession(c);
    queryOf(c, ExportQuery);
    await takeIdentityRate(c, "renders");
    return await sessionZipResponse(c.var.kv, session);
  },
};
