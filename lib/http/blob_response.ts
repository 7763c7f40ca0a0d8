/** A response that streams a stored blob as a file download. */
import type { BlobMeta } from "../kv/blobs.ts";

/** Returns a `Content-Disposition` value for a filename, ASCII-safe with a UTF-8 form. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${
    encodeURIComponent(filename)
  }`;
}

/** Returns a 200 response streaming a blob as an attachment. */
export function blobResponse(
  meta: BlobMeta,
  stream: ReadableStream<Uint8Array>,
): Response {
  return new Response(stream, {
    headers: {
      "content-type": meta.mime,
      "content-length": String(meta.size),
      "content-disposition": attachmentDisposition(meta.filename ?? "download"),
      "cache-control": "private, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
