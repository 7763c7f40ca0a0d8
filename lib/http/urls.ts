/** Absolute URLs: from PUBLIC_URL when configured, else from the request. */
import type { Context } from "hono";
import type { AppEnv } from "./types.ts";

/** Returns the public origin (scheme, host, port) links should use. */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.var.config.PUBLIC_URL;
  if (configured) return configured;
  const url = new URL(c.req.url);
  const proto = c.req.header("x-forwarded-proto");
  const host = c.req.header("x-forwarded-host");
  return `${proto ?? url.protocol.replace(":", "")}://${host ?? url.host}`;
}

/** Returns an absolute URL for a path of this app. */
export function absoluteUrl(c: Context<AppEnv>, path: string): string {
  return publicOrigin(c) + path;
}
