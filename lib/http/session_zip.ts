/** The HTTP answer streaming every chart of a session as one ZIP. */
import type { Session } from "@/lib/kv/sessions.ts";
import { sessionZip } from "@/lib/exports/session_zip.ts";
import { titleSlug } from "@/lib/exports/filename.ts";
import { attachmentDisposition } from "./blob_response.ts";

/** Returns the streamed ZIP of a session's charts as an attachment. */
export async function sessionZipResponse(
  kv: Deno.Kv,
  session: Session,
): Promise<Response> {
  const body = await sessionZip(kv, session);
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
}
