/**
 * A page of a dataset's rows for the Data tab and the API: in stored order,
 * read straight from the stored batches (no database needed), or sorted by a
 * column, through the query engine.
 */
import { quoteIdent, runStoredQuery, type StoredSource } from "./query.ts";
import type { ColumnType, TableCell } from "./table.ts";

export interface PreviewRequest {
  offset: number;
  limit: number;
  sort?: string;
  dir: "asc" | "desc";
}

export interface Preview {
  columns: { name: string; type: ColumnType }[];
  rows: TableCell[][];
  offset: number;
  limit: number;
  total: number;
  sort: string | null;
  dir: "asc" | "desc";
}

/** Rows past which an unsorted page is read through SQLite rather than by skipping batches. */
const STREAM_OFFSET_LIMIT = 20_000;

/** Returns a page of rows of `source`; `sort` must name one of its columns. */
export async function previewRows(
  source: StoredSource,
  request: PreviewRequest,
): Promise<Preview> {
  const { offset, limit, dir } = request;
  const base = {
    columns: source.columns.map((c) => ({ name: c.name, type: c.type })),
    offset,
    limit,
    total: source.rowCount,
    sort: request.sort ?? null,
    dir,
  };
  if (limit === 0 || offset >= source.rowCount) return { ...base, rows: [] };
  if (!request.sort && offset < STREAM_OFFSET_LIMIT) {
    const rows: TableCell[][] = [];
    let seen = 0;
    for await (const batch of source.rows()) {
      if (seen + batch.length > offset) {
        rows.push(
          ...batch.slice(Math.max(0, offset - seen), offset - seen + limit),
        );
      }
      seen += batch.length;
      if (rows.length >= limit) break;
    }
    return { ...base, rows };
  }
  const order = request.sort
    ? `ORDER BY ${quoteIdent(request.sort)} ${
      dir === "desc" ? "DESC" : "ASC"
    } NULLS LAST, rowid`
    : "ORDER BY rowid";
  const result = await runStoredQuery(
    source,
    `SELECT * FROM data ${order} LIMIT ? OFFSET ?`,
    [limit, offset],
  );
  const booleans = source.columns.map((c) => c.type === "boolean");
  const rows = result.rows.map((r) =>
    r.map((v, i) => booleans[i] && v !== null ? v === "true" : v)
  );
  return { ...base, rows };
}
