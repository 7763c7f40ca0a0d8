/** Request guards: the Origin check for state-changing requests, and body limits. */
import type { MiddlewareHandler } from "hono";
import { AppError } from "@/lib/errors.ts";
import { readTextWithin } from "@/lib/body.ts";
import type { AppEnv } from "./types.ts";
import { allowedOrigin } from "./urls.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request whose `Origin` is not this app's public
 * origin (PUBLIC_URL, else the request's own, forwarded headers only with
 * TRUST_PROXY=on), i.e. another site's (a browser
 * always sends Origin on such requests; scripts without one are let through,
 * since they carry no ambient cookie of a victim).
 */
export function originCheck(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (!SAFE_METHODS.has(c.req.method) && origin) {
      if (origin !== allowedOrigin(c)) {
        throw new AppError(
          "forbidden",
          "bad_origin",
          "cross-site requests may not change anything",
        );
      }
    }
    await next();
  };
}

/** Reads a request body as text, refusing (413) one over `limit` bytes. */
export function readBodyText(request: Request, limit: number): Promise<string> {
  return readTextWithin(
    request,
    limit,
    () =>
      new AppError(
        "too_large",
        "payload_too_large",
        `request body is larger than ${limit} bytes`,
      ),
  );
}
