/**
 * Workflow operation `sort`: orders rows by columns, empty cells last, ties in
 * input order.
 */
import { z } from "zod";
import { quoteIdent } from "@/lib/data/query.ts";
import {
  allColumns,
  Column,
  columnOf,
  defineOperation,
  statement,
} from "./step.ts";

const OP = "sort";

/** The arguments of a step of this operation. */
const Arguments = z.object({
  by: z.array(
    z.object({
      column: Column,
      direction: z.enum(["asc", "desc"]).default("asc"),
    }).strict(),
  ).min(1).max(20),
}).strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, (ctx, args) => {
  const order = args.by.map((b) => {
    const col = columnOf(ctx, OP, b.column);
    return `${quoteIdent(col.name)} ${
      b.direction === "desc" ? "DESC" : "ASC"
    } NULLS LAST`;
  });
  return statement(
    ctx,
    allColumns(ctx),
    ` ORDER BY ${order.join(", ")}, rowid`,
  );
});
