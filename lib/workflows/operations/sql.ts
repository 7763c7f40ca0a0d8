/**
 * Workflow operation `sql`: runs the person's own statement in the WebAssembly
 * sandbox, within their limits.
 */
import { z } from "zod";
import { cleanColumnNames } from "@/lib/data/infer.ts";
import { defineOperation } from "./step.ts";

const OP = "sql";

/** The arguments of a step of this operation. */
const Arguments = z.object({ query: z.string().trim().min(1).max(20_000) })
  .strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, async (ctx, args) => {
  const out = await ctx.runSql(ctx.input.source, args.query);
  const cleaned = cleanColumnNames(out.names, out.names.length);
  const types = new Map(ctx.input.columns.map((c) => [c.name, c.type]));
  const rows = out.rows;
  return {
    names: cleaned.names,
    hints: cleaned.names.map((n) => types.get(n)),
    batches: (async function* () {
      for (let i = 0; i < rows.length; i += 2000) {
        yield rows.slice(i, i + 2000);
      }
    })(),
    sql: args.query,
    format: "csv",
    notes: cleaned.repairs,
  };
});
