import type { Handlers } from "@/lib/http/types.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { attachmentDisposition } from "@/lib/http/blob_response.ts";
import { titleSlug } from "@/lib/exports/filename.ts";
import { sessionDump } from "@/lib/dump/write.ts";

export const handler: Handlers = {
  /**
   * Streams the session as a portable archive (lib/dump/format.ts): every
   * message, chart version, dataset and the files they need, with a
   * manifest of SHA-256 sums; `POST /api/sessions/restore` takes it back.
   */
  GET(c) {
    return ownedSession(c).then((session) =>
      new Response(sessionDump(c.var.kv, session), {
        headers: {
          "content-type": "application/zip",
          "content-disposition": attachmentDisposition(
            `${titleSlug(session.title || "session")}.chartroom.zip`,
          ),
          "cache-control": "private, no-store",
        },
      })
    );
  },
};
