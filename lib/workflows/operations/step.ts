/**
 * What every workflow operation shares: the dataset a step reads, its context
 * and result, the argument pieces of the schemas, and the helpers that turn a
 * step into one generated SQL statement over a private copy of the input
 * (identifiers quoted from the schema, every value a `?` parameter), streamed
 * out in batches.
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import { unreadable } from "@/lib/data/errors.ts";
import {
  iterateQuery,
  privateCopy,
  type QueryParam,
  quoteIdent,
  type StoredSource,
} from "@/lib/data/query.ts";
import type { SandboxResult } from "@/lib/data/sandbox.ts";
import type { RawCell } from "@/lib/data/infer.ts";
import type { ColumnType } from "@/lib/data/table.ts";
import type { DatasetExportFormat } from "@/lib/exports/dataset.ts";

/** A column name an argument refers to. */
export const Column = z.string().trim().min(1).max(200);
/** A new column name. */
export const NewName = z.string().trim().min(1).max(128);
/** A value an argument compares with or fills in. */
export const Scalar = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
]);

/** The arguments of an operation, as its schema outputs them. */
export type ArgumentsOf<S extends z.ZodType> = z.output<S> extends
  { arguments: infer A } ? A : unknown;

/**
 * Returns an operation module's value: the schema of its step
 * (`{operation, arguments}`, strict) and how a step runs.
 */
export function defineOperation<const N extends string, A extends z.ZodType>(
  operation: N,
  args: A,
  run: (
    ctx: StepContext,
    args: z.output<A>,
  ) => Promise<StepResult> | StepResult,
) {
  const schema = z.object({ operation: z.literal(operation), arguments: args })
    .strict();
  return { schema, run };
}

/** One workflow operation: the schema of its step and how it runs. */
export interface OperationModule<S extends z.ZodType = z.ZodType> {
  schema: S;
  run(ctx: StepContext, args: ArgumentsOf<S>): Promise<StepResult> | StepResult;
}

/** A dataset as an operation sees it. */
export interface StepSource {
  id: string;
  name: string;
  columns: { name: string; type: ColumnType }[];
  source: StoredSource;
}

export interface StepContext {
  /** 1-based step number, for messages. */
  step: number;
  input: StepSource;
  /** Finds another dataset of the session by id or name (for join). */
  findDataset: (ref: string) => Promise<StepSource | null>;
  /** Runs a person's statement in the sandbox, within their limits. */
  runSql: (source: StoredSource, sql: string) => Promise<SandboxResult>;
  maxRows: number;
}

/** What running a step yields: the output's columns and rows, to be stored. */
export interface StepResult {
  names: string[];
  hints: (ColumnType | undefined)[];
  batches: AsyncIterable<RawCell[][]>;
  /** The statement that produced the rows, when one did (shown to people). */
  sql: string | null;
  /** The output's download format. */
  format: DatasetExportFormat;
  notes: string[];
}

/** Column types that hold numbers. */
export const NUMERIC = new Set<ColumnType>(["integer", "number"]);

/** Returns the error of a step that cannot run as asked (422 `invalid_step`). */
export function stepError(ctx: StepContext, op: string, message: string) {
  return unreadable("invalid_step", `step ${ctx.step} (${op}): ${message}`);
}

/** Returns a dataset's column by name (exact, then case-blind), or throws naming its columns. */
export function columnOf(
  ctx: StepContext,
  op: string,
  name: string,
  from = ctx.input,
) {
  const col = from.columns.find((c) => c.name === name) ??
    from.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!col) {
    const list = from.columns.slice(0, 30).map((c) => c.name).join(", ");
    throw stepError(
      ctx,
      op,
      `${
        from === ctx.input ? "the input" : `"${from.name}"`
      } has no column "${name}" (its columns: ${list}${
        from.columns.length > 30 ? ", …" : ""
      })`,
    );
  }
  return col;
}

/** Streams a statement's rows from a database the generator closes at the end. */
export async function* rowsOf(
  open: () => Promise<DatabaseSync>,
  sql: string,
  params: QueryParam[],
): AsyncGenerator<RawCell[][]> {
  const db = await open();
  try {
    for (const { rows } of iterateQuery(db, sql, params)) {
      if (rows.length) yield rows;
      // Let timers and other requests run between batches.
      await new Promise((r) => setTimeout(r, 0));
    }
  } finally {
    db.close();
  }
}

/** Returns the result of one SELECT over a private copy of the input, rows streamed. */
export function statement(
  ctx: StepContext,
  exprs: { sql: string; name: string; type?: ColumnType }[],
  tail = "",
  params: QueryParam[] = [],
  selectParams: QueryParam[] = [],
): StepResult {
  const list = exprs.map((e) => `${e.sql} AS ${quoteIdent(e.name)}`).join(", ");
  const sql = `SELECT ${list} FROM data${tail}`;
  return {
    names: exprs.map((e) => e.name),
    hints: exprs.map((e) => e.type),
    batches: rowsOf(() => privateCopy(ctx.input.source), sql, [
      ...selectParams,
      ...params,
    ]),
    sql,
    format: "csv",
    notes: [],
  };
}

/** Returns every input column as a SELECT expression of itself. */
export function allColumns(ctx: StepContext) {
  return ctx.input.columns.map((c) => ({
    sql: quoteIdent(c.name),
    name: c.name,
    type: c.type,
  }));
}

/** A value as the column stores it: numbers for numeric columns, "true"/"false" for booleans. */
export function valueFor(
  ctx: StepContext,
  op: string,
  column: { name: string; type: ColumnType },
  value: string | number | boolean,
): QueryParam {
  if (NUMERIC.has(column.type)) {
    const n = typeof value === "number" ? value : Number(String(value).trim());
    if (
      typeof value === "boolean" || String(value).trim() === "" ||
      !Number.isFinite(n)
    ) {
      throw stepError(
        ctx,
        op,
        `"${value}" is not a number, but "${column.name}" holds numbers`,
      );
    }
    return n;
  }
  if (column.type === "boolean") {
    const s = String(value).toLowerCase();
    if (s !== "true" && s !== "false") {
      throw stepError(
        ctx,
        op,
        `"${value}" is not true or false, but "${column.name}" is`,
      );
    }
    return s;
  }
  return String(value);
}

/** Returns the first row of a statement over a private copy of a source. */
export async function scalar(
  source: StoredSource,
  sql: string,
  params: QueryParam[] = [],
) {
  const db = await privateCopy(source);
  try {
    for (const { rows } of iterateQuery(db, sql, params)) return rows[0] ?? [];
    return [];
  } finally {
    db.close();
  }
}
