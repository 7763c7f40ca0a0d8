import type { Handlers } from "@/lib/http/types.ts";
import { restoredSessionView } from "@/lib/api/build.ts";
import { restoreFromRequest } from "@/lib/http/restore.ts";

export const handler: Handlers = {
  /**
   * Restores a session archive (raw body, or multipart field `file`) as a
   * new session of the caller, with new ids → 201. Every entry and checksum
   * is checked first; a bad archive is a 4xx naming the entry and the
   * reason, and nothing is written.
   */
  async POST(c) {
    const { session, dump } = await restoreFromRequest(c);
    return c.json(
      restoredSessionView(session, {
        messages: dump.messages.length,
        charts: dump.artifacts.length,
        versions: dump.artifacts.reduce((n, a) => n + a.versions.length, 0),
        datasets: dump.datasets.length,
      }),
      201,
    );
  },
};
