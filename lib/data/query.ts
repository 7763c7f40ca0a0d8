/**
 * The query engine: each dataset is loaded on demand into its own in-memory
 * SQLite database (Deno's built-in `node:sqlite`) as a table named `data`,
 * and kept in a per-process LRU bounded by the number of cells held.
 *
 * Once loaded, a database answers reads only: an authorizer denies every
 * write, schema change, PRAGMA and ATTACH, so a query can never reach a file
 * or change the cached data.
 */
import {
  READ_ACTIONS,
  SQLITE_ATTACH,
  SQLITE_DENY,
  SQLITE_DETACH,
  SQLITE_OK,
} from "./sqlite_codes.ts";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { ColumnType, Table, TableCell, TableColumn } from "./table.ts";

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

/**
 * A table that lives elsewhere (a stored dataset) and is streamed into
 * SQLite on first use. Its `id` must name immutable content: a cached
 * database is reused for as long as it stays in the cache.
 */
export interface StoredSource {
  id: string;
  columns: TableColumn[];
  rowCount: number;
  /** Typed row batches, in order. */
  rows: () => AsyncIterable<TableCell[][]>;
}

/** Upper bound on cells (rows × columns) held by all cached databases together. */
export const MAX_CACHED_CELLS = 5_000_000;

interface Entry {
  /** The in-memory table it was built from; null for a stored source. */
  table: Table | null;
  db: DatabaseSync;
  cells: number;
}

const cache = new Map<string, Entry>();
const loading = new Map<string, Promise<DatabaseSync>>();
let cachedCells = 0;

/** Quotes a name as an SQLite identifier (double quotes, inner quotes doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqlType(type: ColumnType): string {
  return type === "integer" ? "INTEGER" : type === "number" ? "REAL" : "TEXT";
}

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

/** Creates the database with an empty `data` table for these columns. */
function createDatabase(columns: TableColumn[]): DatabaseSync {
  const db = new DatabaseSync(":memory:", { allowExtension: false });
  authorize(
    db,
    (action) => action !== SQLITE_ATTACH && action !== SQLITE_DETACH,
  );
  const cols = columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}`);
  db.prepare(`CREATE TABLE data (${cols.join(", ")})`).run();
  return db;
}

/** SQLite accepts at most 32,766 parameters per statement. */
const MAX_PARAMS = 32_000;

/** Inserts rows with multi-row statements; booleans become "true"/"false" text. */
class RowInserter {
  #one: StatementSync;
  #many: StatementSync | null;
  #per: number;
  #width: number;
  #booleans: boolean[];
  #pending: (string | number | null)[] = [];
  #pendingRows = 0;

  constructor(db: DatabaseSync, columns: TableColumn[], table = "data") {
    this.#width = columns.length;
    this.#booleans = columns.map((c) => c.type === "boolean");
    const row = `(${columns.map(() => "?").join(", ")})`;
    const into = `INSERT INTO ${quoteIdent(table)} VALUES`;
    this.#one = db.prepare(`${into} ${row}`);
    this.#per = Math.max(
      1,
      Math.min(100, Math.floor(MAX_PARAMS / this.#width)),
    );
    this.#many = this.#per > 1
      ? db.prepare(
        `${into} ${new Array(this.#per).fill(row).join(", ")}`,
      )
      : null;
  }

  add(row: readonly (TableCell | undefined)[]): void {
    const width = this.#width;
    for (let i = 0; i < width; i++) {
      const v = row[i];
      this.#pending.push(
        v === undefined || v === null
          ? null
          : typeof v === "boolean"
          ? (v ? "true" : "false")
          : this.#booleans[i]
          ? String(v)
          : v,
      );
    }
    if (++this.#pendingRows === this.#per) this.flush();
  }

  flush(): void {
    if (this.#pendingRows === 0) return;
    if (this.#pendingRows === this.#per && this.#many) {
      this.#many.run(...this.#pending);
    } else {
      const width = this.#width;
      for (let r = 0; r < this.#pendingRows; r++) {
        this.#one.run(...this.#pending.slice(r * width, (r + 1) * width));
      }
    }
    this.#pending = [];
    this.#pendingRows = 0;
  }
}

interface Load {
  db: DatabaseSync;
  insert: RowInserter;
}

/** Opens a new database and begins the one transaction its rows are loaded in. */
function beginLoad(columns: TableColumn[]): Load {
  const db = createDatabase(columns);
  const insert = new RowInserter(db, columns);
  db.prepare("BEGIN").run();
  return { db, insert };
}

/** Commits a load; from then on the database only answers reads. */
function commitLoad({ db, insert }: Load): DatabaseSync {
  insert.flush();
  db.prepare("COMMIT").run();
  authorize(db, (action) => READ_ACTIONS.has(action));
  return db;
}

/** Rolls back and closes a failed load, then rethrows its error. */
function abortLoad({ db }: Load, err: unknown): never {
  db.prepare("ROLLBACK").run();
  db.close();
  throw err;
}

function openDatabase(table: Table): DatabaseSync {
  const load = beginLoad(table.columns);
  try {
    for (const row of table.rows) load.insert.add(row);
    return commitLoad(load);
  } catch (err) {
    abortLoad(load, err);
  }
}

/** Streams a stored source into a new database (one transaction, reads only afterwards). */
async function openStoredDatabase(source: StoredSource): Promise<DatabaseSync> {
  const load = beginLoad(source.columns);
  try {
    for await (const batch of source.rows()) {
      for (const row of batch) load.insert.add(row);
    }
    return commitLoad(load);
  } catch (err) {
    abortLoad(load, err);
  }
}

function evict(id: string): void {
  const entry = cache.get(id);
  if (!entry) return;
  cache.delete(id);
  cachedCells -= entry.cells;
  entry.db.close();
}

function makeRoom(cells: number): void {
  for (const oldest of cache.keys()) {
    if (cachedCells + cells <= MAX_CACHED_CELLS) break;
    evict(oldest);
  }
}

function remember(id: string, entry: Entry): void {
  cache.set(id, entry);
  cachedCells += entry.cells;
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
  makeRoom(cells);
  const db = openDatabase(source.table);
  remember(source.id, { table: source.table, db, cells });
  return db;
}

/**
 * Returns the cached database of a stored source, streaming it in first when
 * it is not cached; concurrent callers share one load.
 */
export function loadStoredSource(source: StoredSource): Promise<DatabaseSync> {
  const hit = cache.get(source.id);
  if (hit && hit.table === null) {
    cache.delete(source.id);
    cache.set(source.id, hit);
    return Promise.resolve(hit.db);
  }
  const pending = loading.get(source.id);
  if (pending) return pending;
  const cells = source.rowCount * Math.max(1, source.columns.length);
  const load = (async () => {
    try {
      makeRoom(cells);
      const db = await openStoredDatabase(source);
      if (cache.has(source.id)) evict(source.id);
      remember(source.id, { table: null, db, cells });
      return db;
    } finally {
      loading.delete(source.id);
    }
  })();
  loading.set(source.id, load);
  return load;
}

/** The parts of `node:sqlite` for copying a database that Deno's typings do not list yet. */
interface Serializing {
  serialize(): Uint8Array;
  deserialize(image: Uint8Array): void;
}

/** Returns the SQLite file image of a stored source's database (loading it when needed). */
export async function serializeStoredSource(
  source: StoredSource,
): Promise<Uint8Array> {
  const db = await loadStoredSource(source);
  // Serializing reads the schema, which the read-only authorizer refuses.
  (db as unknown as Authorizing).setAuthorizer(null);
  try {
    return (db as unknown as Serializing).serialize();
  } finally {
    authorize(db, (action) => READ_ACTIONS.has(action));
  }
}

/**
 * Returns a private, read-only copy of a stored source's database, so a long
 * read (a workflow step) is not cut short when the cache evicts the original.
 * The caller closes it.
 */
export async function privateCopy(source: StoredSource): Promise<DatabaseSync> {
  const image = await serializeStoredSource(source);
  const db = new DatabaseSync(":memory:", { allowExtension: false });
  (db as unknown as Serializing).deserialize(image);
  authorize(db, (action) => READ_ACTIONS.has(action));
  return db;
}

/**
 * Returns a new, uncached database holding each source as its own table
 * (a join needs two); read-only once loaded. The caller closes it.
 */
export async function openWorkDatabase(
  tables: { name: string; source: StoredSource }[],
): Promise<DatabaseSync> {
  const db = new DatabaseSync(":memory:", { allowExtension: false });
  authorize(
    db,
    (action) => action !== SQLITE_ATTACH && action !== SQLITE_DETACH,
  );
  try {
    for (const { name, source } of tables) {
      const cols = source.columns.map((c) =>
        `${quoteIdent(c.name)} ${sqlType(c.type)}`
      );
      db.prepare(`CREATE TABLE ${quoteIdent(name)} (${cols.join(", ")})`).run();
      const insert = new RowInserter(db, source.columns, name);
      db.prepare("BEGIN").run();
      for await (const batch of source.rows()) {
        for (const row of batch) insert.add(row);
      }
      insert.flush();
      db.prepare("COMMIT").run();
    }
  } catch (err) {
    db.close();
    throw err;
  }
  authorize(db, (action) => READ_ACTIONS.has(action));
  return db;
}

/** Whether a source's database is in the cache (no load needed). */
export function isCached(id: string): boolean {
  return cache.has(id);
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
  return runOn(databaseFor(source), sql, params);
}

/**
 * Runs one read-only statement against a stored source's table `data`,
 * loading it first when it is not cached. The same rules as `runQuery` hold.
 */
export async function runStoredQuery(
  source: StoredSource,
  sql: string,
  params: QueryParam[] = [],
): Promise<QueryResult> {
  return runOn(await loadStoredSource(source), sql, params);
}

/** Returns the typed column of query values: numbers when every non-null value is one. */
export function resultColumns(
  names: string[],
  rows: (string | number | null)[][],
): QueryColumn[] {
  return names.map((name, i) => {
    let sawNumber = false;
    for (const r of rows) {
      const v = r[i];
      if (v === null) continue;
      if (typeof v !== "number") return { name, type: "string" };
      sawNumber = true;
    }
    return { name, type: sawNumber ? "number" : "string" };
  });
}

/** Turns an SQLite value into a JSON-friendly one (blobs become null). */
export function plainValue(v: unknown): string | number | null {
  return typeof v === "bigint"
    ? Number(v)
    : v === undefined || v === null
    ? null
    : v instanceof Uint8Array
    ? null
    : v as string | number;
}

function runOn(
  db: DatabaseSync,
  sql: string,
  params: QueryParam[],
): QueryResult {
  const started = performance.now();
  const stmt: StatementSync = db.prepare(sql);
  (stmt as unknown as ArrayRows).setReturnArrays(true);
  const raw = stmt.all(...params) as unknown as unknown[][];
  const names = stmt.columns().map((c) => c.name);
  const rows = raw.map((r) => r.map(plainValue));
  return {
    columns: resultColumns(names, rows),
    rows,
    ms: performance.now() - started,
  };
}

/**
 * Yields the rows of a trusted, generated statement over a cached database
 * in batches, without holding the whole result (workflow steps use this).
 */
export function* iterateQuery(
  db: DatabaseSync,
  sql: string,
  params: QueryParam[] = [],
  batchRows = 2000,
): Generator<{ names: string[]; rows: (string | number | null)[][] }> {
  const stmt: StatementSync = db.prepare(sql);
  (stmt as unknown as ArrayRows).setReturnArrays(true);
  const names = stmt.columns().map((c) => c.name);
  let rows: (string | number | null)[][] = [];
  for (const r of stmt.iterate(...params) as unknown as Iterable<unknown[]>) {
    rows.push(r.map(plainValue));
    if (rows.length === batchRows) {
      yield { names, rows };
      rows = [];
    }
  }
  yield { names, rows };
}
