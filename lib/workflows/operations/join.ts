/**
 * Workflow operation `join`: joins another dataset of the session on key
 * columns (inner, left, right or full); empty keys never match.
 */
import { z } from "zod";
import { openWorkDatabase, quoteIdent } from "@/lib/data/query.ts";
import type { ColumnType } from "@/lib/data/table.ts";
import {
  Column,
  columnOf,
  defineOperation,
  rowsOf,
  stepError,
} from "./step.ts";

const OP = "join";

const JoinKey = z.union([
  Column,
  z.object({ left: Column, right: Column }).strict(),
]);

/** The arguments of a step of this operation. */
const Arguments = z.object({
  dataset: z.string().trim().min(1).max(300),
  on: z.array(JoinKey).min(1).max(10),
  how: z.enum(["inner", "left", "right", "full"]).default("inner"),
}).strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, async (ctx, args) => {
  const other = await ctx.findDataset(args.dataset);
  if (!other) {
    throw stepError(
      ctx,
      OP,
      `this session has no dataset "${args.dataset}"`,
    );
  }
  const pairs = args.on.map((k) => {
    const [l, r] = typeof k === "string" ? [k, k] : [k.left, k.right];
    return {
      left: columnOf(ctx, OP, l),
      right: columnOf(ctx, OP, r, other),
    };
  });
  const how = args.how;
  const merged = new Set(
    pairs.filter((p) =>
      p.left.name.toLowerCase() === p.right.name.toLowerCase()
    )
      .map((p) => p.right.name),
  );
  const exprs: { sql: string; name: string; type?: ColumnType }[] = [];
  const taken = new Set<string>();
  for (const c of ctx.input.columns) {
    const pair = pairs.find((p) =>
      p.left.name === c.name && merged.has(p.right.name)
    );
    const sql = pair && (how === "right" || how === "full")
      ? `COALESCE(l.${quoteIdent(c.name)}, r.${quoteIdent(pair.right.name)})`
      : `l.${quoteIdent(c.name)}`;
    exprs.push({ sql, name: c.name, type: c.type });
    taken.add(c.name.toLowerCase());
  }
  for (const c of other.columns) {
    if (merged.has(c.name)) continue;
    let name = c.name;
    if (taken.has(name.toLowerCase())) name = `${c.name}_right`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      name = `${c.name}_right_${n}`;
    }
    taken.add(name.toLowerCase());
    exprs.push({ sql: `r.${quoteIdent(c.name)}`, name, type: c.type });
  }
  const kind = {
    inner: "INNER JOIN",
    left: "LEFT JOIN",
    right: "RIGHT JOIN",
    full: "FULL OUTER JOIN",
  }[how];
  const on = pairs.map((p) =>
    `l.${quoteIdent(p.left.name)} = r.${quoteIdent(p.right.name)}`
  ).join(" AND ");
  const list = exprs.map((e) => `${e.sql} AS ${quoteIdent(e.name)}`).join(
    ", ",
  );
  const sql =
    `SELECT ${list} FROM data AS l ${kind} other AS r ON ${on} ORDER BY l.rowid NULLS LAST, r.rowid`;
  return {
    names: exprs.map((e) => e.name),
    hints: exprs.map((e) => e.type),
    batches: rowsOf(
      () =>
        openWorkDatabase([
          { name: "data", source: ctx.input.source },
          { name: "other", source: other.source },
        ]),
      sql,
      [],
    ),
    sql,
    format: "csv",
    notes: [],
  };
});
