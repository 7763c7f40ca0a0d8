/**
 * The one typed error the app throws for an expected failure: a `kind` (what
 * went wrong, in the domain's words), a stable `code` and a message for the
 * person who caused it. Domain code knows no HTTP statuses: only the HTTP
 * layer's error handler (`lib/http/errors.ts`) turns a kind into a status and
 * `{"error":{"code","message"}}`; anything else is logged and becomes a 500.
 */

/** What kind of failure an `AppError` is. */
export type ErrorKind =
  /** The request or its input is malformed or out of range. */
  | "invalid"
  /** The caller's credentials are not valid. */
  | "unauthorized"
  /** The caller may not do this. */
  | "forbidden"
  /** The thing does not exist (or is not the caller's). */
  | "not_found"
  /** It clashes with the current state (a turn under way, concurrent changes). */
  | "conflict"
  /** It existed and is gone for good (a revoked or expired link). */
  | "gone"
  /** It is over a size limit. */
  | "too_large"
  /** It comes in a form that is not accepted. */
  | "unsupported"
  /** Well-formed, but it cannot be read or used as asked. */
  | "unprocessable"
  /** The caller has done this too often or holds too many at once. */
  | "too_many"
  /** This server is too busy right now; a retry may succeed. */
  | "busy";

/** An expected failure: its kind, a stable code and a message meant for people. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Input that fails validation; the message names the problem. */
export function badRequest(code: string, message: string): AppError {
  return new AppError("invalid", code, message);
}

/** Not found, without revealing whether the thing exists for someone else. */
export function notFound(what: string): AppError {
  return new AppError("not_found", "not_found", `${what} not found`);
}

/**
 * Whether an error is an expected failure that retrying the same work would
 * meet again: an `AppError` of any kind but `conflict` (a lost race, which a
 * retry may win). A job fails at once on one and retries anything else.
 */
export function failsForGood(error: unknown): error is AppError {
  return error instanceof AppError && error.kind !== "conflict";
}
