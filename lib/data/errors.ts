/**
 * The error a data problem raises: a bad or oversized file, an impossible
 * workflow step, a refused SQL statement. It is an `HttpError`, so a route
 * answers with its status and code as is, and a workflow reports its code and
 * message in `workflow_failed`.
 */
import { HttpError } from "../errors.ts";

/** A data problem with a stable `code` and a message meant for the person who sent the data. */
export class DataError extends HttpError {
  constructor(
    status: 400 | 413 | 415 | 422,
    code: string,
    message: string,
  ) {
    super(status, code, message);
    this.name = "DataError";
  }
}

/** A 422 for data that cannot be read or used as asked. */
export function unreadable(code: string, message: string): DataError {
  return new DataError(422, code, message);
}

/** A 413 for data beyond a configured limit; the message names the limit. */
export function overLimit(code: string, message: string): DataError {
  return new DataError(413, code, message);
}
