/** Restoring the session archive a request carries (the API and the home page's form). */
import type { Session } from "@/lib/kv/sessions.ts";
import { readDump, type ValidDump } from "@/lib/dump/read.ts";
import { checkRestoreQuota, restoreDump } from "@/lib/dump/restore.ts";
import { restoreZipLimits } from "@/lib/dump/limits.ts";
import { uploadedFile } from "./upload_body.ts";
import { storageLimits } from "./quota.ts";
import type { AppContext } from "./types.ts";

/**
 * Reads the archive (raw body, or multipart field `file`) within
 * MAX_RESTORE_BYTES, checks it whole and writes it as a new session of the
 * caller; throws a 4xx naming the entry and the reason, writing nothing.
 */
export async function restoreFromRequest(
  c: AppContext,
): Promise<{ session: Session; dump: ValidDump }> {
  const { config, kv } = c.var;
  const file = await uploadedFile(
    c.req.raw,
    c.req.query(),
    config.MAX_RESTORE_BYTES,
    "MAX_RESTORE_BYTES",
  );
  const bytes = new Uint8Array(await new Response(file.body).arrayBuffer());
  const dump = readDump(bytes, restoreZipLimits(config));
  const limits = storageLimits(config);
  await checkRestoreQuota(kv, dump, c.var.ownerId, limits);
  const session = await restoreDump(kv, dump, {
    ownerId: c.var.ownerId,
    ttlMs: config.ARTIFACT_TTL,
    limits,
  });
  return { session, dump };
}
