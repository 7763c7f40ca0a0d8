/**
 * Workflow operation `rename_columns`: renames columns; two columns may not
 * end with one name (case-blind).
 */
import { z } from "zod";
import { quoteIdent } from "@/lib/data/query.ts";
import {
  Column,
  columnOf,
  defineOperation,
  NewName,
  statement,
  stepError,
} from "./step.ts";

const OP = "rename_columns";

/** The arguments of a step of this operation. */
const Arguments = z.object({
  mapping: z.record(Column, NewName).refine(
    (m) => Object.keys(m).length > 0,
    "name at least one column to rename",
  ),
}).strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, (ctx, args) => {
  const mapping = new Map<string, string>();
  for (const [from, to] of Object.entries(args.mapping)) {
    mapping.set(columnOf(ctx, OP, from).name, to);
  }
  const names = ctx.input.columns.map((c) => mapping.get(c.name) ?? c.name);
  const lower = names.map((n) => n.toLowerCase());
  const clash = names.find((n, i) => lower.indexOf(n.toLowerCase()) !== i);
  if (clash) {
    throw stepError(
      ctx,
      OP,
      `two columns would be called "${clash}"`,
    );
  }
  return statement(
    ctx,
    ctx.input.columns.map((c, i) => ({
      sql: quoteIdent(c.name),
      name: names[i],
      type: c.type,
    })),
    " ORDER BY rowid",
  );
});
