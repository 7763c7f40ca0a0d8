/**
 * The query engine: each dataset is loaded on demand into its own in-memory
 * SQLite database (Deno's built-in `node:sqlite`) as a table named `data`,
 * and kept in a per-process LRU bounded by the number of cells held.
 *
 * Once loaded, a database answers reads only: an authorizer denies every
 * write, schema change, PRAGMA and ATTACH, so a query can never reach a file
 * or change the cached data.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { ColumnType, Table } from "./table.ts";

export type QueryParam = string | number | null;

export interface QueryColumn {
  name: string;
  type: "string" | "number";
}

export interface QueryResult {
  columns: QueryColumn[];
  rows: (string | number | null)[][];
  /** Time spent preparing and running the statement (loading excluded). */
  ms: number;
}

export interface QuerySource {
  id: string;
  table: Table;
}

/** Upper bound on cells (rows × columns) held by all cached databases together. */
export const MAX_CACHED_CELLS = 5_000_000;

interface Entry {
  table: Table;
  db: DatabaseSync;
  cells: number;
}

const cache = new Map<string, Entry>();
let cachedCells = 0;

/** Quotes a name as an SQLite identifier (double quotes, inner quotes doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqlType(type: ColumnType): string {
  return type === "integer" ? "INTEGER" : type === "number" ? "REAL" : "TEXT";
}

// SQLite authorizer codes (sqlite3.h); Deno's bundled typings lag the runtime.
const SQLITE_OK = 0;
const SQLITE_DENY = 1;
const SQLITE_READ = 20;
const SQLITE_SELECT = 21;
const SQLITE_ATTACH = 24;
const SQLITE_DETACH = 25;
const SQLITE_FUNCTION = 31;
const SQLITE_RECURSIVE = 33;
const READ_ACTIONS = new Set([
  SQLITE_SELECT,
  SQLITE_READ,
  SQLITE_FUNCTION,
  SQLITE_RECURSIVE,
]);

/** The parts of `node:sqlite` that Deno ships but its typings do not list yet. */
interface Authorizing {
  setAuthorizer(callback: ((action: number) => number) | null): void;
}
interface ArrayRows {
  setReturnArrays(enabled: boolean): void;
}

function authorize(db: DatabaseSync, rule: (action: number) => boolean): void {
  (db as unknown as Authorizing).setAuthorizer((action) =>
    rule(action) ? SQLITE_OK : SQLITE_DENY
  );
}

function openDatabase(table: Table): DatabaseSync {
  const db = new DatabaseSync(":memory:", { allowExtension: false });
  authorize(
    db,
    (action) => action !== SQLITE_ATTACH && action !== SQLITE_DETACH,
  );
  const cols = table.columns.map((c) =>
    `${quoteIdent(c.name)} ${sqlType(c.type)}`
  );
  db.prepare(`CREATE TABLE data (${cols.join(", ")})`).run();
  const placeholders = table.columns.map(() => "?").join(", ");
  const insert = db.prepare(`INSERT INTO data VALUES (${placeholders})`);
  const booleans = table.columns.map((c) => c.type === "boolean");
  db.prepare("BEGIN").run();
  try {
    for (const row of table.rows) {
      const values = row.map((v, i) =>
        v === undefined || v === null
          ? null
          : booleans[i]
          ? (v ? "true" : "false")
          : typeof v === "boolean"
          ? String(v)
          : v
      );
      insert.run(...values);
    }
    db.prepare("COMMIT").run();
  } catch (err) {
    db.prepare("ROLLBACK").run();
    db.close();
    throw err;
  }
  // From here on the database only answers reads.
  authorize(db, (action) => READ_ACTIONS.has(action));
  return db;
}

function evict(id: string): void {
  const entry = cache.get(id);
  if (!entry) return;
  cache.delete(id);
  cachedCells -= entry.cells;
  entry.db.close();
}

function databaseFor(source: QuerySource): DatabaseSync {
  const hit = cache.get(source.id);
  if (hit && hit.table === source.table) {
    cache.delete(source.id);
    cache.set(source.id, hit);
    return hit.db;
  }
  if (hit) evict(source.id);
  const cells = source.table.rows.length *
    Math.max(1, source.table.columns.length);
  for (const oldest of cache.keys()) {
    if (cachedCells + cells <= MAX_CACHED_CELLS) break;
    evict(oldest);
  }
  const db = openDatabase(source.table);
  cache.set(source.id, { table: source.table, db, cells });
  cachedCells += cells;
  return db;
}

/** Drops one dataset's cached database, or all of them. */
export function clearQueryCache(id?: string): void {
  if (id !== undefined) evict(id);
  else for (const key of [...cache.keys()]) evict(key);
}

/** Cells currently held by the cache (for metrics and tests). */
export function cachedCellCount(): number {
  return cachedCells;
}

/**
 * Runs one read-only statement against the dataset's table `data`. Values must
 * travel as `?` parameters; the SQL text must never contain user input.
 */
export function runQuery(
  source: QuerySource,
  sql: string,
  params: QueryParam[] = [],
): QueryResult {
  const db = databaseFor(source);
  const started = performance.now();
  const stmt: StatementSync = db.prepare(sql);
  (stmt as unknown as ArrayRows).setReturnArrays(true);
  const raw = stmt.all(...params) as unknown as unknown[][];
  const names = stmt.columns().map((c) => c.name);
  const rows = raw.map((r) =>
    r.map((v) =>
      typeof v === "bigint"
        ? Number(v)
        : v === undefined || v === null
        ? null
        : v instanceof Uint8Array
        ? null
        : v as string | number
    )
  );
  const columns: QueryColumn[] = names.map((name, i) => {
    let sawNumber = false;
    for (const r of rows) {
      const v = r[i];
      if (v === null) continue;
      if (typeof v !== "number") return { name, type: "string" };
      sawNumber = true;
    }
    return { name, type: sawNumber ? "number" : "string" };
  });
  return { columns, rows, ms: performance.now() - started };
}
