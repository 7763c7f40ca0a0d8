/**
 * The public origin of this app: PUBLIC_URL when configured (it always
 * wins), else the request's own origin. `X-Forwarded-Proto` and
 * `X-Forwarded-Host` are read only with TRUST_PROXY=on, when a proxy in front
 * of the app sets them; otherwise anyone could send them.
 */
import type { Context } from "hono";
import type { AppEnv } from "./types.ts";

const HOST =
  /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The first value of a comma-separated forwarded header (the client's side). */
function firstOf(value: string | undefined): string | undefined {
  return value?.split(",")[0].trim() || undefined;
}

/** Returns the public origin (scheme, host, port) links should use. */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.var.config.PUBLIC_URL;
  if (configured) return configured;
  const url = new URL(c.req.url);
  let proto = url.protocol.replace(":", "");
  let host = url.host;
  if (c.var.config.TRUST_PROXY === "on") {
    const fproto = firstOf(c.req.header("x-forwarded-proto"))?.toLowerCase();
    const fhost = firstOf(c.req.header("x-forwarded-host"));
    if (fproto === "http" || fproto === "https") proto = fproto;
    if (fhost && HOST.test(fhost)) host = fhost;
  }
  return `${proto}://${host}`;
}

/** Returns the origin a browser's `Origin` header must name for a state change here. */
export function allowedOrigin(c: Context<AppEnv>): string {
  return new URL(publicOrigin(c)).origin;
}

/** Returns whether the public origin is HTTPS (cookies are then `Secure`). */
export function isSecureOrigin(c: Context<AppEnv>): boolean {
  return publicOrigin(c).startsWith("https:");
}

/** Returns an absolute URL for a path of this app. */
export function absoluteUrl(c: Context<AppEnv>, path: string): string {
  return publicOrigin(c) + path;
}
