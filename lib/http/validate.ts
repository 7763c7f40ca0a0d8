/** Input validation at the HTTP boundary: zod schemas over bodies, queries and params. */
import type { z } from "zod";
import { AppError, badRequest } from "@/lib/errors.ts";
import { readBodyText } from "./guards.ts";
import { describeIssues, parseWith } from "@/lib/validate.ts";
import type { AppContext } from "./types.ts";

export { describeIssues, parseWith };

/** Reads and validates a JSON body no larger than `limit` bytes. */
export async function jsonBody<S extends z.ZodType>(
  c: AppContext,
  schema: S,
  limit = c.var.config.MAX_BODY_BYTES,
): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/json")) {
    throw new AppError(
      "unsupported",
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
