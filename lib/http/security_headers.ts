/**
 * Security headers every response gets (routes/_middleware.ts). Pages get
 * the strict policy (`script-src 'self'`, no inline script, no framing); a
 * response that brings its own Content-Security-Policy (an embed, a
 * downloaded file) keeps it; files sent as attachments, raster images and
 * PDFs get none. Only a response whose policy allows framing
 * (`frame-ancestors *`, the embed page) goes without `X-Frame-Options`.
 */

/** The policy of every page of the app. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The policy of everything else (JSON, files): nothing in it loads or runs, nothing frames it. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The embed page's policy: a page's, except that any site may frame it. */
export const EMBED_PAGE_CSP = PAGE_CSP.replace(
  "frame-ancestors 'none'",
  "frame-ancestors *",
);

/** Features no page of the app uses, turned off for it and anything it frames. */
export const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), browsing-topics=()";

/**
 * Whether a response is never run as a document, so a policy adds nothing
 * (and a PDF viewer may refuse to work under one): a file sent as an
 * attachment, a raster image or a PDF. SVG, HTML, JSON and text keep theirs.
 */
function isInert(headers: Headers, type: string): boolean {
  if ((headers.get("content-disposition") ?? "").startsWith("attachment")) {
    return true;
  }
  return /^(image\/(png|jpeg|gif|webp)|application\/pdf)\b/.test(type);
}

/** Sets the security headers on `headers` (those a route set itself are kept). */
export function applySecurityHeaders(
  headers: Headers,
  options: { https: boolean },
): void {
  headers.set("x-content-type-options", "nosniff");
  if (!headers.has("referrer-policy")) {
    headers.set("referrer-policy", "same-origin");
  }
  headers.set("permissions-policy", PERMISSIONS_POLICY);
  if (options.https) {
    headers.set("strict-transport-security", "max-age=31536000");
  }
  const type = headers.get("content-type") ?? "";
  const isHtml = type.startsWith("text/html");
  if (!headers.has("content-security-policy") && !isInert(headers, type)) {
    headers.set("content-security-policy", isHtml ? PAGE_CSP : RESOURCE_CSP);
  }
  const frameable = /frame-ancestors \*/.test(
    headers.get("content-security-policy") ?? "",
  );
  if (!frameable) headers.set("x-frame-options", "DENY");
}
