/**
 * The one typed error the app throws for an expected failure. The HTTP layer's
 * single error handler turns it into `{"error":{"code","message"}}` with its
 * status; anything else is logged and becomes a 500.
 */
export class HttpError extends Error {
  constructor(
    readonly status:
      | 400
      | 401
      | 403
      | 404
      | 405
      | 409
      | 410
      | 413
      | 415
      | 422
      | 429
      | 500
      | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** A 400 for input that fails validation; the message names the problem. */
export function badRequest(code: string, message: string): HttpError {
  return new HttpError(400, code, message);
}

/** A 404 that does not reveal whether the thing exists for someone else. */
export function notFound(what: string): HttpError {
  return new HttpError(404, "not_found", `${what} not found`);
}
