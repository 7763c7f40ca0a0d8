/**
 * The single error handler: known errors become their status, the rest a
 * logged 500. The one place an `AppError`'s kind becomes an HTTP status.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type ErrorKind } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { QuotaExceeded } from "@/lib/kv/quotas.ts";
import type { AppEnv } from "./types.ts";

/** The HTTP status of each kind of AppError: the one place kinds become statuses. */
export const STATUS_OF_KIND = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  too_many: 429,
  busy: 503,
} as const satisfies Record<ErrorKind, number>;

/** Returns the HTTP status an error answers with (500 for anything unexpected). */
export function statusOf(error: unknown): ContentfulStatusCode {
  return error instanceof AppError ? STATUS_OF_KIND[error.kind] : 500;
}

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
  if (error instanceof AppError) {
    return c.json(errorBody(error.code, error.message), statusOf(error));
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
