/** Input validation at the HTTP boundary: zod schemas over bodies, queries and params. */
import type { z } from "zod";
import { badRequest, HttpError } from "../errors.ts";
import { readBodyText } from "./guards.ts";
import type { AppContext } from "./types.ts";

/** Returns a one-line description of a zod error, naming each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => {
    const path = issue.path.join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}

/** Parses a value with a schema or throws a 400 naming the problem. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code = "invalid_input",
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(code, describeIssues(result.error));
  return result.data;
}

/** Reads and validates a JSON body no larger than `limit` bytes. */
export async function jsonBody<S extends z.ZodType>(
  c: AppContext,
  schema: S,
  limit = c.var.config.MAX_BODY_BYTES,
): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/json")) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      "send the body as application/json",
    );
  }
  const text = await readBodyText(c.req.raw, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("malformed_json", "the body is not valid JSON");
  }
  return parseWith(schema, value);
}

/** Validates the query string. */
export function queryOf<S extends z.ZodType>(
  c: AppContext,
  schema: S,
): z.infer<S> {
  return parseWith(schema, c.req.query(), "invalid_query");
}
