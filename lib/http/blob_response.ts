/** A response that streams a stored blob as a file download. */
import type { BlobMeta } from "@/lib/kv/blobs.ts";

/** Returns a `Content-Disposition` value for a filename, ASCII-safe with a UTF-8 form. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${
    encodeURIComponent(filename)
  }`;
}

/**
 * A Content-Security-Policy for files a browser might render if opened
 * directly: an SVG may use inline styles and data: fonts and nothing else; an
 * exported HTML page may run its own inline scripts in a sandbox (an opaque
 * origin) and fetch nothing.
 */
function contentSecurityPolicy(mime: string): string | null {
  if (mime.startsWith("image/svg+xml")) {
    return "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; frame-ancestors 'none'; sandbox";
  }
  if (mime.startsWith("text/html")) {
    return "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox allow-scripts";
  }
  return null;
}

/** Returns a 200 response streaming a blob as an attachment. */
export function blobResponse(
  meta: BlobMeta,
  stream: ReadableStream<Uint8Array>,
): Response {
  const csp = contentSecurityPolicy(meta.mime);
  return new Response(stream, {
    headers: {
      ...(csp ? { "content-security-policy": csp } : {}),
      "content-type": meta.mime,
      "content-length": String(meta.size),
      "content-disposition": attachmentDisposition(meta.filename ?? "download"),
      "cache-control": "private, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
