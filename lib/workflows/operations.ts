/**
 * Workflow operations. Each turns an input dataset into the rows of a new
 * one. Most are one generated SQL statement over a private copy of the
 * input's SQLite database (identifiers quoted from the schema, every value a
 * `?` parameter), streamed out in batches; `sql` runs the person's own
 * statement in the WebAssembly sandbox; `convert` copies the rows and picks
 * the output's download format.
 *
 * Documented behaviour: rows keep their input order unless sorted; filters
 * compare text case-sensitively except contains/starts_with/ends_with, which
 * ignore case; `ne` and `not_in` keep empty cells; normalised columns become
 * numbers, with 0 where every value is equal (min-max) or the spread is 0
 * (z-score, sample standard deviation); joins never match empty keys.
 */
import type { DatabaseSync } from "node:sqlite";
import { unreadable } from "../data/errors.ts";
import {
  iterateQuery,
  openWorkDatabase,
  privateCopy,
  type QueryParam,
  quoteIdent,
  type StoredSource,
} from "../data/query.ts";
import type { SandboxResult } from "../data/sandbox.ts";
import { cleanColumnNames, type RawCell } from "../data/infer.ts";
import type { ColumnType } from "../data/table.ts";
import type { DatasetExportFormat } from "../data/export.ts";
import type { Condition, Step } from "./schema.ts";

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

const NUMERIC = new Set<ColumnType>(["integer", "number"]);

function stepError(ctx: StepContext, op: string, message: string) {
  return unreadable("invalid_step", `step ${ctx.step} (${op}): ${message}`);
}

function columnOf(
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
async function* rowsOf(
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

function statement(
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

function allColumns(ctx: StepContext) {
  return ctx.input.columns.map((c) => ({
    sql: quoteIdent(c.name),
    name: c.name,
    type: c.type,
  }));
}

/** A value as the column stores it: numbers for numeric columns, "true"/"false" for booleans. */
function valueFor(
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

async function scalar(
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

/** Runs one step against its input and returns the output's columns and rows. */
export async function runStep(
  ctx: StepContext,
  step: Step,
): Promise<StepResult> {
  switch (step.operation) {
    case "select_columns": {
      const picked = step.arguments.columns.map((n) =>
        columnOf(ctx, step.operation, n)
      );
      const seen = new Set<string>();
      const exprs = picked.filter((c) => !seen.has(c.name) && seen.add(c.name))
        .map((c) => ({ sql: quoteIdent(c.name), name: c.name, type: c.type }));
      return statement(ctx, exprs, " ORDER BY rowid");
    }
    case "rename_columns": {
      const mapping = new Map<string, string>();
      for (const [from, to] of Object.entries(step.arguments.mapping)) {
        mapping.set(columnOf(ctx, step.operation, from).name, to);
      }
      const names = ctx.input.columns.map((c) => mapping.get(c.name) ?? c.name);
      const lower = names.map((n) => n.toLowerCase());
      const clash = names.find((n, i) => lower.indexOf(n.toLowerCase()) !== i);
      if (clash) {
        throw stepError(
          ctx,
          step.operation,
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
    }
    case "drop_duplicates": {
      const keys =
        (step.arguments.columns ?? ctx.input.columns.map((c) => c.name))
          .map((n) => quoteIdent(columnOf(ctx, step.operation, n).name));
      const pick = step.arguments.keep === "last" ? "MAX" : "MIN";
      return statement(
        ctx,
        allColumns(ctx),
        ` WHERE rowid IN (SELECT ${pick}(rowid) FROM data GROUP BY ${
          keys.join(", ")
        }) ORDER BY rowid`,
      );
    }
    case "filter": {
      const params: QueryParam[] = [];
      const clauses = step.arguments.conditions.map((c) =>
        `(${filterClause(ctx, c, params)})`
      );
      const join = step.arguments.match === "any" ? " OR " : " AND ";
      return statement(
        ctx,
        allColumns(ctx),
        ` WHERE ${clauses.join(join)} ORDER BY rowid`,
        params,
      );
    }
    case "sort": {
      const order = step.arguments.by.map((b) => {
        const col = columnOf(ctx, step.operation, b.column);
        return `${quoteIdent(col.name)} ${
          b.direction === "desc" ? "DESC" : "ASC"
        } NULLS LAST`;
      });
      return statement(
        ctx,
        allColumns(ctx),
        ` ORDER BY ${order.join(", ")}, rowid`,
      );
    }
    case "normalize": {
      const targets = new Map<string, string>();
      const selectParams: QueryParam[] = [];
      const exprParams = new Map<string, QueryParam[]>();
      for (const name of step.arguments.columns) {
        const col = columnOf(ctx, step.operation, name);
        if (!NUMERIC.has(col.type)) {
          throw stepError(
            ctx,
            step.operation,
            `"${col.name}" is ${col.type}, not numeric`,
          );
        }
        const q = quoteIdent(col.name);
        if (step.arguments.method === "min_max") {
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
    }
    case "fill_missing": {
      const { strategy, value } = step.arguments;
      const explicit = step.arguments.columns?.map((n) =>
        columnOf(ctx, step.operation, n)
      );
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
              step.operation,
              `the ${strategy} of "${col.name}" (${col.type}) is not defined`,
            );
          }
          continue;
        }
        let fill: QueryParam = null;
        if (strategy === "value") {
          try {
            fill = valueFor(ctx, step.operation, col, value!);
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
    }
    case "sql": {
      const out = await ctx.runSql(ctx.input.source, step.arguments.query);
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
        sql: step.arguments.query,
        format: "csv",
        notes: cleaned.repairs,
      };
    }
    case "join": {
      const other = await ctx.findDataset(step.arguments.dataset);
      if (!other) {
        throw stepError(
          ctx,
          step.operation,
          `this session has no dataset "${step.arguments.dataset}"`,
        );
      }
      const pairs = step.arguments.on.map((k) => {
        const [l, r] = typeof k === "string" ? [k, k] : [k.left, k.right];
        return {
          left: columnOf(ctx, step.operation, l),
          right: columnOf(ctx, step.operation, r, other),
        };
      });
      const how = step.arguments.how;
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
          ? `COALESCE(l.${quoteIdent(c.name)}, r.${
            quoteIdent(pair.right.name)
          })`
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
    }
    case "convert": {
      const source = ctx.input.source;
      return {
        names: ctx.input.columns.map((c) => c.name),
        hints: ctx.input.columns.map((c) => c.type),
        batches: (async function* () {
          for await (const batch of source.rows()) yield batch as RawCell[][];
        })(),
        sql: null,
        format: step.arguments.format,
        notes: [],
      };
    }
  }
}
