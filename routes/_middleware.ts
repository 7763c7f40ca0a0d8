import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "@/lib/http/types.ts";
import { applySecurityHeaders } from "@/lib/http/security_headers.ts";
import { isSecureOrigin } from "@/lib/http/urls.ts";

/** Security headers on every response (see lib/http/security_headers.ts). */
export const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  applySecurityHeaders(c.res.headers, { https: isSecureOrigin(c) });
};
