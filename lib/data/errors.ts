/**
 * The error a data problem raises: a bad or oversized file, an impossible
 * workflow step, a refused SQL statement. It is an `AppError`, so a route
 * answers with its kind's status and its code as is, and a workflow reports
 * its code and message in `workflow_failed`.
 */
import { AppError } from "@/lib/errors.ts";

/** The kinds a data problem can be. */
const DATA_ERROR_KINDS = [
  "invalid",
  "too_large",
  "unsupported",
  "unprocessable",
] as const;
export type DataErrorKind = typeof DATA_ERROR_KINDS[number];

/** Whether `kind` is one a DataError can have. */
export function isDataErrorKind(kind: string): kind is DataErrorKind {
  return (DATA_ERROR_KINDS as readonly string[]).includes(kind);
}

/** A data problem with a stable `code` and a message meant for the person who sent the data. */
export class DataError extends AppError {
  constructor(kind: DataErrorKind, code: string, message: string) {
    super(kind, code, message);
    this.name = "DataError";
  }
}

/** Data that cannot be read or used as asked. */
export function unreadable(code: string, message: string): DataError {
  return new DataError("unprocessable", code, message);
}

/** Data beyond a configured limit; the message names the limit. */
export function overLimit(code: string, message: string): DataError {
  return new DataError("too_large", code, message);
}
