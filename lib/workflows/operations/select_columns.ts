/**
 * Workflow operation `select_columns`: keeps the named columns, in the order
 * named (a repeat once), rows in input order.
 */
import { z } from "zod";
import { quoteIdent } from "@/lib/data/query.ts";
import { Column, columnOf, defineOperation, statement } from "./step.ts";

const OP = "select_columns";

/** The arguments of a step of this operation. */
const Arguments = z.object({ columns: z.array(Column).min(1).max(500) })
  .strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, (ctx, args) => {
  const picked = args.columns.map((n) => columnOf(ctx, OP, n));
  const seen = new Set<string>();
  const exprs = picked.filter((c) => !seen.has(c.name) && seen.add(c.name))
    .map((c) => ({ sql: quoteIdent(c.name), name: c.name, type: c.type }));
  return statement(ctx, exprs, " ORDER BY rowid");
});
