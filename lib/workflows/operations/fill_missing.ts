/**
 * Workflow operation `fill_missing`: fills empty cells with a value or the
 * column's mean, median or mode; with no columns named, the columns it fits.
 */
import { z } from "zod";
import { type QueryParam, quoteIdent } from "@/lib/data/query.ts";
import type { ColumnType } from "@/lib/data/table.ts";
import {
  Column,
  columnOf,
  defineOperation,
  NUMERIC,
  Scalar,
  scalar,
  statement,
  stepError,
  valueFor,
} from "./step.ts";

const OP = "fill_missing";

/** The arguments of a step of this operation. */
const Arguments = z.object({
  columns: z.array(Column).min(1).max(500).optional(),
  strategy: z.enum(["value", "mean", "median", "mode"]).default("value"),
  value: Scalar.optional(),
}).strict().superRefine((a, ctx) => {
  if (a.strategy === "value" && a.value === undefined) {
    ctx.addIssue({
      code: "custom",
      message: 'strategy "value" needs a "value"',
    });
  }
});

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, async (ctx, args) => {
  const { strategy, value } = args;
  const explicit = args.columns?.map((n) => columnOf(ctx, OP, n));
  const candidates = explicit ?? ctx.input.columns;
  const notes: string[] = [];
  const fills = new Map<string, QueryParam>();
  for (const col of candidates) {
    const q = quoteIdent(col.name);
    const numeric = NUMERIC.has(col.type);
    if ((strategy === "mean" || strategy === "median") && !numeric) {
      if (explicit) {
        throw stepError(
          ctx,
          OP,
          `the ${strategy} of "${col.name}" (${col.type}) is not defined`,
        );
      }
      continue;
    }
    let fill: QueryParam = null;
    if (strategy === "value") {
      try {
        fill = valueFor(ctx, OP, col, value!);
      } catch (error) {
        if (explicit) throw error;
        notes.push(
          `"${col.name}" was left as it is: "${value}" does not fit a ${col.type} column`,
        );
        continue;
      }
    } else if (strategy === "mean") {
      fill =
        (await scalar(ctx.input.source, `SELECT AVG(${q}) FROM data`))[0] ??
          null;
    } else if (strategy === "median") {
      const [count] = await scalar(
        ctx.input.source,
        `SELECT COUNT(${q}) FROM data`,
      );
      const n = Number(count ?? 0);
      if (n > 0) {
        const [mid] = await scalar(
          ctx.input.source,
          `SELECT AVG(v) FROM (SELECT ${q} AS v FROM data WHERE ${q} IS NOT NULL ORDER BY ${q} LIMIT ? OFFSET ?)`,
          [2 - (n % 2), Math.floor((n - 1) / 2)],
        );
        fill = mid ?? null;
      }
    } else {
      fill = (await scalar(
        ctx.input.source,
        `SELECT ${q} FROM data WHERE ${q} IS NOT NULL GROUP BY ${q} ORDER BY COUNT(*) DESC, ${q} LIMIT 1`,
      ))[0] ?? null;
    }
    if (fill !== null) fills.set(col.name, fill);
  }
  const selectParams: QueryParam[] = [];
  const exprs = ctx.input.columns.map((c) => {
    if (!fills.has(c.name)) {
      return { sql: quoteIdent(c.name), name: c.name, type: c.type };
    }
    selectParams.push(fills.get(c.name)!);
    return {
      sql: `COALESCE(${quoteIdent(c.name)}, ?)`,
      name: c.name,
      type: strategy === "mean" || strategy === "median"
        ? "number" as ColumnType
        : c.type,
    };
  });
  const result = statement(ctx, exprs, " ORDER BY rowid", [], selectParams);
  result.notes = notes;
  return result;
});
