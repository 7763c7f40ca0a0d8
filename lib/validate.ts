/** Validation with zod anywhere in the app: a failure is a 400 naming each field. */
import type { z } from "zod";
import { badRequest } from "./errors.ts";

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
