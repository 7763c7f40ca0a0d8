/**
 * The engine of the SQL sandbox: runs one statement a person wrote on an
 * image of a dataset's database, in SQLite compiled to WebAssembly
 * (@sqlite.org/sqlite-wasm). It runs inside a SQL worker (sql_worker.ts),
 * which the server terminates when a statement outlives its deadline, and
 * in process only where workers are unavailable.
 *
 * The rules: one statement; read-only (`sqlite3_stmt_readonly` and an
 * authorizer that allows reading, selecting and functions only, so no
 * ATTACH, no PRAGMA, no writes, no schema changes); no extensions (the
 * WebAssembly build has no `load_extension`); a deadline checked by a
 * progress handler every few thousand VM steps; a row cap; SQLite's own
 * heap limit (`hard_heap_limit`) at the memory budget; lowered
 * `sqlite3_limit`s, so no single value, statement or expression can grow
 * past a sane size; and a bound on the result's size.
 */
import {
  READ_ACTIONS,
  SQLITE_AUTH,
  SQLITE_DENY,
  SQLITE_FUNCTION,
  SQLITE_INTERRUPT,
  SQLITE_NOMEM,
  SQLITE_OK,
  SQLITE_TOOBIG,
} from "./sqlite_codes.ts";
import sqlite3InitModule from "@sqlite.org/sqlite-wasm";
import { DataError, overLimit } from "./errors.ts";
import { plainValue } from "./query.ts";

/** Default time a user statement may run. */
export const DEFAULT_SQL_TIMEOUT_MS = 10_000;
/** Default memory a user statement may use (SQL_MEMORY). */
export const DEFAULT_SQL_MEMORY = 256 * 1024 * 1024;

/**
 * The `sqlite3_limit`s of a sandboxed statement (SQLite's defaults in
 * brackets). `length` is the largest string, blob or row (1 GB): 16 MB
 * at most, and at most an eighth of the memory budget.
 */
export function sandboxLimits(memoryBytes: number) {
  return {
    length: Math.min(16 * 1024 * 1024, Math.floor(memoryBytes / 8)),
    sqlLength: 100_000, // [1,000,000,000]
    column: 2000, // [2000]
    exprDepth: 100, // [1000]
    compoundSelect: 50, // [500]
    vdbeOp: 250_000, // [250,000,000] instructions in one program
    functionArg: 64, // [127]
    attached: 0, // [10]
    likePatternLength: 1000, // [50,000]
    variableNumber: 0, // [32,766]: a person's statement has no parameters
  } as const;
}

export interface SandboxOptions {
  timeoutMs?: number;
  /** Largest number of result rows; one more is an error. */
  maxRows: number;
  /** SQLite's heap limit, and twice the largest result (default 256 MB). */
  memoryBytes?: number;
}

export interface SandboxResult {
  names: string[];
  rows: (string | number | null)[][];
  ms: number;
}

const DESERIALIZE_FREEONCLOSE = 1;
const DESERIALIZE_RESIZEABLE = 2;
/** VM instructions between deadline checks. */
const PROGRESS_STEPS = 5_000;

/** The few parts of the sqlite-wasm API used here. */
interface WasmStmt {
  pointer: number;
  columnCount: number;
  step(): boolean;
  get(row: unknown[]): unknown[];
  getColumnNames(): string[];
  finalize(): void;
}
interface WasmDb {
  pointer: number;
  prepare(sql: string): WasmStmt;
  exec(sql: string): void;
  close(): void;
}
interface Sqlite3 {
  config: { warn: (...args: unknown[]) => void };
  oo1: { DB: new (name: string) => WasmDb };
  wasm: {
    allocFromTypedArray(bytes: Uint8Array): number;
    heap8(): Uint8Array;
  };
  capi: {
    [name: `SQLITE_LIMIT_${string}`]: number;
    sqlite3_deserialize(
      db: number,
      schema: string,
      data: number,
      size: number,
      bufferSize: number,
      flags: number,
    ): number;
    sqlite3_progress_handler(
      db: number,
      steps: number,
      handler: ((arg: number) => number) | 0,
      arg: number,
    ): void;
    sqlite3_set_authorizer(
      db: number,
      handler: (arg: number, action: number, ...names: unknown[]) => number,
      arg: number,
    ): number;
    sqlite3_limit(db: number, id: number, value: number): number;
    sqlite3_stmt_readonly(stmt: number): number;
    sqlite3_sql(stmt: number): string;
  };
}

type Init = (options: Record<string, unknown>) => Promise<Sqlite3>;

let engine: Promise<Sqlite3> | undefined;

/** Loads sqlite-wasm once per isolate (a SQL worker keeps it for its life). */
export function loadEngine(): Promise<unknown> {
  return engineModule();
}

function engineModule(): Promise<Sqlite3> {
  engine ??= (sqlite3InitModule as unknown as Init)({
    print: () => {},
    printErr: () => {},
  }).then((sqlite3) => {
    // An interrupted statement is reported to the caller, not to the console.
    sqlite3.config.warn = () => {};
    return sqlite3;
  });
  return engine;
}

/** Bytes of WebAssembly memory the engine holds in this isolate (0 before first use). */
export async function engineMemoryBytes(): Promise<number> {
  if (!engine) return 0;
  return (await engine).wasm.heap8().length;
}

function refused(message: string): DataError {
  return new DataError("unprocessable", "sql_refused", message);
}

/** Returns the 422 a statement stopped at its deadline gets. */
export function sqlTimeout(timeoutMs: number): DataError {
  return new DataError(
    "unprocessable",
    "sql_timeout",
    `the query ran longer than ${
      timeoutMs / 1000
    } s and was stopped (SQL_TIMEOUT_MS)`,
  );
}

/** Returns the 422 a statement that ran out of its memory budget gets. */
export function sqlOutOfMemory(memoryBytes: number): DataError {
  return new DataError(
    "unprocessable",
    "sql_memory",
    `the query needed more than ${
      megabytes(memoryBytes)
    } of memory and was stopped (SQL_MEMORY)`,
  );
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** Removes comments, whitespace and semicolons; what is left is another statement. */
function strayTail(tail: string): string {
  return tail
    .replace(/--[^\n]*(\n|$)/g, " ")
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, " ")
    .replace(/[\s;]+/g, "");
}

function explain(
  error: unknown,
  timeoutMs: number,
  memoryBytes: number,
): DataError {
  const message = error instanceof Error ? error.message : String(error);
  const rc = (error as { resultCode?: number }).resultCode;
  if (rc === SQLITE_INTERRUPT || /INTERRUPT/.test(message)) {
    return sqlTimeout(timeoutMs);
  }
  if (rc === SQLITE_NOMEM || /SQLITE_NOMEM/.test(message)) {
    return sqlOutOfMemory(memoryBytes);
  }
  if (rc === SQLITE_TOOBIG || /SQLITE_TOOBIG/.test(message)) {
    return new DataError(
      "unprocessable",
      "sql_too_big",
      `a value, statement or expression of the query is larger than the sandbox allows (a value at most ${
        megabytes(sandboxLimits(memoryBytes).length)
      })`,
    );
  }
  if (rc === SQLITE_AUTH || /not authorized|SQLITE_AUTH/.test(message)) {
    return refused(
      "only reading is allowed: no ATTACH, PRAGMA, writes or schema changes",
    );
  }
  const detail = message.replace(/^SQLITE_\w+: sqlite3 result code \d+: /, "");
  return new DataError(
    "unprocessable",
    "sql_error",
    `the query failed: ${detail}`,
  );
}

/** Sets every limit of `sandboxLimits` on a connection. */
function applyLimits(sqlite3: Sqlite3, db: WasmDb, memoryBytes: number): void {
  const { capi } = sqlite3;
  const limits = sandboxLimits(memoryBytes);
  const ids: [number, number][] = [
    [capi.SQLITE_LIMIT_LENGTH, limits.length],
    [capi.SQLITE_LIMIT_SQL_LENGTH, limits.sqlLength],
    [capi.SQLITE_LIMIT_COLUMN, limits.column],
    [capi.SQLITE_LIMIT_EXPR_DEPTH, limits.exprDepth],
    [capi.SQLITE_LIMIT_COMPOUND_SELECT, limits.compoundSelect],
    [capi.SQLITE_LIMIT_VDBE_OP, limits.vdbeOp],
    [capi.SQLITE_LIMIT_FUNCTION_ARG, limits.functionArg],
    [capi.SQLITE_LIMIT_ATTACHED, limits.attached],
    [capi.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, limits.likePatternLength],
    [capi.SQLITE_LIMIT_VARIABLE_NUMBER, limits.variableNumber],
  ];
  for (const [id, value] of ids) {
    if (typeof id !== "number") throw new Error("sqlite-wasm lacks a limit id");
    capi.sqlite3_limit(db.pointer, id, value);
  }
}

/** Bytes a result value holds in a JS heap, roughly (UTF-16 text). */
function valueBytes(value: string | number | null): number {
  return typeof value === "string" ? 16 + value.length * 2 : 16;
}

/**
 * Runs one read-only statement a person wrote against the table `data` of
 * a database image, and returns its rows; throws a `DataError`
 * (`sql_refused`, `sql_timeout`, `sql_memory`, `sql_too_big`, `sql_error`,
 * `too_many_rows`, `result_too_large`).
 */
export async function executeSandboxed(
  image: Uint8Array,
  sql: string,
  options: SandboxOptions,
): Promise<SandboxResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS;
  const memoryBytes = options.memoryBytes ?? DEFAULT_SQL_MEMORY;
  const maxResultBytes = Math.floor(memoryBytes / 2);
  if (!sql.trim()) throw refused("the query is empty");
  const sqlite3 = await engineModule();
  const { capi, wasm } = sqlite3;
  const db = new sqlite3.oo1.DB(":memory:");
  try {
    // Process-wide for this engine, which runs one statement at a time.
    db.exec(`PRAGMA hard_heap_limit = ${Math.floor(memoryBytes)}`);
    let pointer: number;
    try {
      pointer = wasm.allocFromTypedArray(image);
    } catch {
      throw new DataError(
        "unprocessable",
        "sql_memory",
        `the dataset (${megabytes(image.length)}) does not fit in the ${
          megabytes(memoryBytes)
        } a query may use (SQL_MEMORY)`,
      );
    }
    const rc = capi.sqlite3_deserialize(
      db.pointer,
      "main",
      pointer,
      image.length,
      image.length,
      DESERIALIZE_FREEONCLOSE | DESERIALIZE_RESIZEABLE,
    );
    if (rc !== SQLITE_OK) throw new Error(`deserialize failed (${rc})`);
    applyLimits(sqlite3, db, memoryBytes);
    capi.sqlite3_set_authorizer(
      db.pointer,
      (_arg, action, name) =>
        READ_ACTIONS.has(action) &&
          !(action === SQLITE_FUNCTION &&
            /^load_extension$/i.test(String(name)))
          ? SQLITE_OK
          : SQLITE_DENY,
      0,
    );
    let deadline = Infinity;
    capi.sqlite3_progress_handler(
      db.pointer,
      PROGRESS_STEPS,
      () => (Date.now() > deadline ? 1 : 0),
      0,
    );
    const started = performance.now();
    deadline = Date.now() + timeoutMs;
    let stmt: WasmStmt;
    try {
      stmt = db.prepare(sql);
    } catch (error) {
      throw explain(error, timeoutMs, memoryBytes);
    }
    try {
      const first = capi.sqlite3_sql(stmt.pointer) ?? "";
      if (strayTail(sql.slice(first.length))) {
        throw refused("send one statement at a time (no ; between statements)");
      }
      if (!capi.sqlite3_stmt_readonly(stmt.pointer)) {
        throw refused(
          "only reading statements (SELECT, WITH … SELECT) are allowed",
        );
      }
      const names = stmt.getColumnNames();
      const rows: (string | number | null)[][] = [];
      let bytes = 0;
      while (stmt.step()) {
        if (rows.length === options.maxRows) {
          throw overLimit(
            "too_many_rows",
            `the query returns more than ${options.maxRows} rows; the limit (MAX_UPLOAD_ROWS) is ${options.maxRows}`,
          );
        }
        const row = stmt.get([]).map(plainValue);
        for (const value of row) bytes += valueBytes(value);
        if (bytes > maxResultBytes) {
          throw overLimit(
            "result_too_large",
            `the query's result is larger than ${
              megabytes(maxResultBytes)
            }, half of what a query may use (SQL_MEMORY)`,
          );
        }
        rows.push(row);
      }
      return { names, rows, ms: performance.now() - started };
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw explain(error, timeoutMs, memoryBytes);
    } finally {
      stmt.finalize();
    }
  } finally {
    db.close();
  }
}
