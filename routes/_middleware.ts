import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../lib/http/types.ts";

/** Security headers on every response; pages get a strict Content-Security-Policy. */
export const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "same-origin");
  // A downloaded HTML export brings its own (sandboxing) policy; keep it.
  if (
    (c.res.headers.get("content-type") ?? "").startsWith("text/html") &&
    !c.res.headers.has("content-security-policy")
  ) {
    c.header(
      "content-security-policy",
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    c.header("x-frame-options", "DENY");
  }
};
