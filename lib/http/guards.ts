/** Request guards: the Origin check for state-changing requests, and body limits. */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "./types.ts";
import { publicOrigin } from "./urls.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request whose `Origin` is another site's (a browser
 * always sends Origin on such requests; scripts without one are let through,
 * since they carry no ambient cookie of a victim).
 */
export function originCheck(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (!SAFE_METHODS.has(c.req.method) && origin) {
      const allowed = new Set([
        new URL(c.req.url).origin,
        publicOrigin(c),
      ]);
      if (!allowed.has(origin)) {
        throw new HttpError(
          403,
          "bad_origin",
          "cross-site requests may not change anything",
        );
      }
    }
    await next();
  };
}

/** Reads a request body as text, refusing (413) one over `limit` bytes. */
export async function readBodyText(
  request: Request,
  limit: number,
): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    "payload_too_large",
    `request body is larger than ${limit} bytes`,
  );
}
