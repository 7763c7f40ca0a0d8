/**
 * Workflow operation `drop_duplicates`: keeps the first (or last) row of each
 * set of rows equal in the named columns (all by default).
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

const OP = "drop_duplicates";

/** The arguments of a step of this operation. */
const Arguments = z.object({
  columns: z.array(Column).min(1).max(500).optional(),
  keep: z.enum(["first", "last"]).default("first"),
}).strict().default({ keep: "first" });

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, (ctx, args) => {
  const keys = (args.columns ?? ctx.input.columns.map((c) => c.name))
    .map((n) => quoteIdent(columnOf(ctx, OP, n).name));
  const pick = args.keep === "last" ? "MAX" : "MIN";
  return statement(
    ctx,
    allColumns(ctx),
    ` WHERE rowid IN (SELECT ${pick}(rowid) FROM data GROUP BY ${
      keys.join(", ")
    }) ORDER BY rowid`,
  );
});
