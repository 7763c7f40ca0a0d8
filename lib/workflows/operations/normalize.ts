/**
 * Workflow operation `normalize`: rescales numeric columns to numbers: min-max
 * to 0..1 or z-scores (sample standard deviation); 0 where every value is
 * equal or the spread is 0.
 */
import { z } from "zod";
import { type QueryParam, quoteIdent } from "@/lib/data/query.ts";
import type { ColumnType } from "@/lib/data/table.ts";
import {
  Column,
  columnOf,
  defineOperation,
  NUMERIC,
  scalar,
  statement,
  stepError,
} from "./step.ts";

const OP = "normalize";

/** The arguments of a step of this operation. */
const Arguments = z.object({
  columns: z.array(Column).min(1).max(500),
  method: z.enum(["min_max", "z_score"]).default("min_max"),
}).strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, async (ctx, args) => {
  const targets = new Map<string, string>();
  const selectParams: QueryParam[] = [];
  const exprParams = new Map<string, QueryParam[]>();
  for (const name of args.columns) {
    const col = columnOf(ctx, OP, name);
    if (!NUMERIC.has(col.type)) {
      throw stepError(
        ctx,
        OP,
        `"${col.name}" is ${col.type}, not numeric`,
      );
    }
    const q = quoteIdent(col.name);
    if (args.method === "min_max") {
      const [min, max] = await scalar(
        ctx.input.source,
        `SELECT MIN(${q}), MAX(${q}) FROM data`,
      );
      const lo = Number(min ?? 0);
      const span = Number(max ?? 0) - lo;
      targets.set(
        col.name,
        span === 0
          ? `CASE WHEN ${q} IS NULL THEN NULL ELSE 0.0 END`
          : `(${q} - ?) / ?`,
      );
      exprParams.set(col.name, span === 0 ? [] : [lo, span]);
    } else {
      const [mean, count] = await scalar(
        ctx.input.source,
        `SELECT AVG(${q}), COUNT(${q}) FROM data`,
      );
      const m = Number(mean ?? 0);
      const [ss] = await scalar(
        ctx.input.source,
        `SELECT SUM((${q} - ?) * (${q} - ?)) FROM data`,
        [m, m],
      );
      const n = Number(count ?? 0);
      const sd = n > 1 ? Math.sqrt(Number(ss ?? 0) / (n - 1)) : 0;
      targets.set(
        col.name,
        sd === 0
          ? `CASE WHEN ${q} IS NULL THEN NULL ELSE 0.0 END`
          : `(${q} - ?) / ?`,
      );
      exprParams.set(col.name, sd === 0 ? [] : [m, sd]);
    }
  }
  const exprs = ctx.input.columns.map((c) => {
    const expr = targets.get(c.name);
    if (!expr) {
      return { sql: quoteIdent(c.name), name: c.name, type: c.type };
    }
    selectParams.push(...exprParams.get(c.name)!);
    return {
      sql: `CAST(${expr} AS REAL)`,
      name: c.name,
      type: "number" as ColumnType,
    };
  });
  return statement(ctx, exprs, " ORDER BY rowid", [], selectParams);
});
