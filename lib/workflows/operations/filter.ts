/**
 * Workflow operation `filter`: keeps the rows meeting all (or any) of the
 * conditions; text compares case-sensitively except
 * contains/starts_with/ends_with, which ignore case; `ne` and `not_in` keep
 * empty cells.
 */
import { z } from "zod";
import { type QueryParam, quoteIdent } from "@/lib/data/query.ts";
import {
  allColumns,
  Column,
  columnOf,
  defineOperation,
  Scalar,
  statement,
  type StepContext,
  valueFor,
} from "./step.ts";

const OP = "filter";

/** Comparison operators of a filter condition. */
export const FILTER_OPS = [
  "eq",
  "ne",
  "lt",
  "lte",
  "gt",
  "gte",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "starts_with",
  "ends_with",
  "is_null",
  "not_null",
] as const;
export type FilterOp = typeof FILTER_OPS[number];

/** One condition of a filter. */
export const Condition = z.object({
  column: Column,
  op: z.enum(FILTER_OPS),
  value: Scalar.nullable().optional(),
  values: z.array(Scalar).max(10_000).optional(),
}).strict().superRefine((c, ctx) => {
  if ((c.op === "in" || c.op === "not_in") && !c.values?.length) {
    ctx.addIssue({ code: "custom", message: `${c.op} needs "values"` });
  }
  const unary = c.op === "is_null" || c.op === "not_null";
  const list = c.op === "in" || c.op === "not_in";
  if (!unary && !list && (c.value === undefined || c.value === null)) {
    ctx.addIssue({ code: "custom", message: `${c.op} needs a "value"` });
  }
});
export type Condition = z.infer<typeof Condition>;

/** Returns one condition as SQL, pushing its values onto `params`. */
function filterClause(
  ctx: StepContext,
  c: Condition,
  params: QueryParam[],
): string {
  const col = columnOf(ctx, "filter", c.column);
  const q = quoteIdent(col.name);
  const one = () => {
    params.push(valueFor(ctx, "filter", col, c.value!));
    return "?";
  };
  const text = () => {
    params.push(String(c.value!).toLowerCase());
    return "?";
  };
  switch (c.op) {
    case "eq":
      return `${q} = ${one()}`;
    case "ne":
      return `${q} IS NOT ${one()}`;
    case "lt":
      return `${q} < ${one()}`;
    case "lte":
      return `${q} <= ${one()}`;
    case "gt":
      return `${q} > ${one()}`;
    case "gte":
      return `${q} >= ${one()}`;
    case "in":
    case "not_in": {
      const marks = c.values!.map((v) => {
        params.push(valueFor(ctx, "filter", col, v));
        return "?";
      }).join(", ");
      return c.op === "in"
        ? `${q} IN (${marks})`
        : `(${q} IS NULL OR ${q} NOT IN (${marks}))`;
    }
    case "contains":
      return `instr(lower(CAST(${q} AS TEXT)), ${text()}) > 0`;
    case "not_contains":
      return `(${q} IS NULL OR instr(lower(CAST(${q} AS TEXT)), ${text()}) = 0)`;
    case "starts_with": {
      const p = text();
      params.push(params[params.length - 1]);
      return `substr(lower(CAST(${q} AS TEXT)), 1, length(${p})) = ?`;
    }
    case "ends_with": {
      const p = text();
      params.push(params[params.length - 1]);
      return `substr(lower(CAST(${q} AS TEXT)), -length(${p})) = ?`;
    }
    case "is_null":
      return `${q} IS NULL`;
    case "not_null":
      return `${q} IS NOT NULL`;
  }
}

/** The arguments of a step of this operation. */
const Arguments = z.object({
  conditions: z.array(Condition).min(1).max(50),
  match: z.enum(["all", "any"]).default("all"),
}).strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, (ctx, args) => {
  const params: QueryParam[] = [];
  const clauses = args.conditions.map((c) =>
    `(${filterClause(ctx, c, params)})`
  );
  const join = args.match === "any" ? " OR " : " AND ";
  return statement(
    ctx,
    allColumns(ctx),
    ` WHERE ${clauses.join(join)} ORDER BY rowid`,
    params,
  );
});
