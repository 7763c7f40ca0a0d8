/**
 * User-written SQL, sandboxed. The planner's own SQL runs on the native
 * `node:sqlite` engine, but SQL a person typed runs in SQLite compiled to
 * WebAssembly (@sqlite.org/sqlite-wasm), on a copy of the dataset's database
 * (`serialize` → `sqlite3_deserialize`). WebAssembly is chosen for this
 * because the native engine cannot be interrupted: a runaway statement
 * (an endless recursive CTE) would hold the thread forever, and terminating
 * a Worker does not stop native code. In WebAssembly a progress handler runs
 * every few thousand VM steps and interrupts the statement at its deadline,
 * on Deno Deploy as well (no Workers, no native extensions needed).
 *
 * The rules: one statement; read-only (`sqlite3_stmt_readonly` and an
 * authorizer that allows reading, selecting and functions only, so no
 * ATTACH, no PRAGMA, no writes, no schema changes); no extensions (the
 * WebAssembly build has no `load_extension`); a deadline; a row cap.
 */
import {
  READ_ACTIONS,
  SQLITE_AUTH,
  SQLITE_DENY,
  SQLITE_FUNCTION,
  SQLITE_INTERRUPT,
  SQLITE_OK,
} from "./sqlite_codes.ts";
import sqlite3InitModule from "@sqlite.org/sqlite-wasm";
import { DataError, overLimit } from "./errors.ts";
import {
  plainValue,
  serializeStoredSource,
  type StoredSource,
} from "./query.ts";

/** Default time a user statement may run. */
export const DEFAULT_SQL_TIMEOUT_MS = 10_000;

export interface SandboxOptions {
  timeoutMs?: number;
  /** Largest number of result rows; one more is an error. */
  maxRows: number;
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
  close(): void;
}
interface Sqlite3 {
  config: { warn: (...args: unknown[]) => void };
  oo1: { DB: new (name: string) => WasmDb };
  wasm: { allocFromTypedArray(bytes: Uint8Array): number };
  capi: {
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
    sqlite3_stmt_readonly(stmt: number): number;
    sqlite3_sql(stmt: number): string;
  };
}

type Init = (options: Record<string, unknown>) => Promise<Sqlite3>;

function refused(message: string): DataError {
  return new DataError(422, "sql_refused", message);
}

/** Removes comments, whitespace and semicolons; what is left is another statement. */
function strayTail(tail: string): string {
  return tail
    .replace(/--[^\n]*(\n|$)/g, " ")
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, " ")
    .replace(/[\s;]+/g, "");
}

function explain(error: unknown, timeoutMs: number): DataError {
  const message = error instanceof Error ? error.message : String(error);
  const rc = (error as { resultCode?: number }).resultCode;
  if (rc === SQLITE_INTERRUPT || /INTERRUPT/.test(message)) {
    return new DataError(
      422,
      "sql_timeout",
      `the query ran longer than ${timeoutMs / 1000} s and was stopped`,
    );
  }
  if (rc === SQLITE_AUTH || /not authorized|SQLITE_AUTH/.test(message)) {
    return refused(
      "only reading is allowed: no ATTACH, PRAGMA, writes or schema changes",
    );
  }
  const detail = message.replace(/^SQLITE_\w+: sqlite3 result code \d+: /, "");
  return new DataError(422, "sql_error", `the query failed: ${detail}`);
}

/**
 * Runs one read-only statement a person wrote against the source's table
 * `data` in the WebAssembly sandbox, and returns its rows; throws a
 * `DataError` (`sql_refused`, `sql_timeout`, `sql_error`, `too_many_rows`).
 */
export async function runSandboxedSql(
  source: StoredSource,
  sql: string,
  options: SandboxOptions,
): Promise<SandboxResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS;
  if (!sql.trim()) throw refused("the query is empty");
  const image = await serializeStoredSource(source);
  // A fresh module per query: its memory is released with it.
  const sqlite3 = await (sqlite3InitModule as unknown as Init)({
    print: () => {},
    printErr: () => {},
  });
  // An interrupted statement is reported to the caller, not to the console.
  sqlite3.config.warn = () => {};
  const { capi, wasm } = sqlite3;
  const db = new sqlite3.oo1.DB(":memory:");
  try {
    const pointer = wasm.allocFromTypedArray(image);
    const rc = capi.sqlite3_deserialize(
      db.pointer,
      "main",
      pointer,
      image.length,
      image.length,
      DESERIALIZE_FREEONCLOSE | DESERIALIZE_RESIZEABLE,
    );
    if (rc !== SQLITE_OK) throw new Error(`deserialize failed (${rc})`);
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
      throw explain(error, timeoutMs);
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
      while (stmt.step()) {
        if (rows.length === options.maxRows) {
          throw overLimit(
            "too_many_rows",
            `the query returns more than ${options.maxRows} rows; the limit (MAX_UPLOAD_ROWS) is ${options.maxRows}`,
          );
        }
        rows.push(stmt.get([]).map(plainValue));
      }
      return { names, rows, ms: performance.now() - started };
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw explain(error, timeoutMs);
    } finally {
      stmt.finalize();
    }
  } finally {
    db.close();
  }
}
