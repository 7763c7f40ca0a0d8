/** The single error handler: known errors become their status, the rest a logged 500. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { HttpError } from "../errors.ts";
import { log } from "../log.ts";
import { QuotaExceeded } from "../kv/quotas.ts";
import type { AppEnv } from "./types.ts";

/** Returns the JSON error body every API error uses. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Hono `onError`: maps an error to a response. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof QuotaExceeded) {
    return c.json(
      {
        error: {
          code: error.code,
          message: error.message,
          limit: error.limit,
          retry_after: error.retryAfterS,
        },
      },
      429,
      { "retry-after": String(error.retryAfterS) },
    );
  }
  if (error instanceof HttpError) {
    return c.json(errorBody(error.code, error.message), error.status);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    return c.json(
      errorBody(
        status === 413 ? "payload_too_large" : "bad_request",
        error.message,
      ),
      status,
    );
  }
  log.error("unhandled error", {
    request_id: c.var.requestId,
    path: c.req.path,
    error,
  });
  return c.json(errorBody("internal", "something went wrong on our side"), 500);
}
