import type { Handlers } from "../../../lib/http/types.ts";
import { uploadedFile } from "../../../lib/http/upload_body.ts";
import { storageLimits } from "../../../lib/http/quota.ts";
import { sessionView } from "../../../lib/http/views.ts";
import { readDump } from "../../../lib/dump/read.ts";
import { checkRestoreQuota, restoreDump } from "../../../lib/dump/restore.ts";
import { restoreZipLimits } from "../../../lib/dump/limits.ts";

export const handler: Handlers = {
  /**
   * Restores a session archive (raw body, or multipart field `file`) as a
   * new session of the caller, with new ids → 201. Every entry and checksum
   * is checked first; a bad archive is a 4xx naming the entry and the
   * reason, and nothing is written.
   */
  async POST(c) {
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
    return c.json({
      ...sessionView(session),
      restored: {
        messages: dump.messages.length,
        charts: dump.artifacts.length,
        versions: dump.artifacts.reduce((n, a) => n + a.versions.length, 0),
        datasets: dump.datasets.length,
      },
    }, 201);
  },
};
