/**
 * The stored form of a parsed table: row batches, one JSON line each, laid
 * out by column. A batch is `{"n": rows, "c": [column, ...]}` where a column
 * is its cells as text joined by U+0085 (a separator JSON leaves as is and
 * data almost never holds), or, when a cell does contain it, a JSON array of
 * the cells. Empty and missing cells are "". Reading splits each column
 * string, which is several times faster than parsing one JSON string per
 * cell, and the layout is about the size of the CSV it came from.
 *
 * Cells are kept raw (as read from the file) and typed on the way out by the
 * dataset's schema (`cellConverter`), so a table is written in one pass while
 * its types are still being inferred. JSON text never holds a raw line
 * break, so a reader splits on "\n" whatever chunk boundaries the blob store
 * chose.
 */
import type { RawCell } from "./infer.ts";

const SEP = "\u0085";
const encoder = new TextEncoder();

interface Batch {
  n: number;
  c: (string | string[])[];
}

function text(v: RawCell | undefined): string {
  return v === null || v === undefined
    ? ""
    : typeof v === "string"
    ? v
    : String(v);
}

/** Returns one batch of rows as a line of bytes. */
export function encodeBatch(rows: RawCell[][]): Uint8Array {
  let width = 0;
  for (const r of rows) if (r.length > width) width = r.length;
  const columns: (string | string[])[] = new Array(width);
  const cells = new Array<string>(rows.length);
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < rows.length; r++) cells[r] = text(rows[r][c]);
    const joined = cells.join(SEP);
    let separators = 0;
    for (
      let at = joined.indexOf(SEP);
      at !== -1;
      at = joined.indexOf(SEP, at + 1)
    ) {
      separators++;
    }
    columns[c] = separators === rows.length - 1 ? joined : cells.slice();
  }
  const batch: Batch = { n: rows.length, c: columns };
  return encoder.encode(JSON.stringify(batch) + "\n");
}

/** Turns a stored cell into what a reader wants (`cellConverter`, say). */
export type CellReader<T> = (raw: string) => T;

function columnsOf(line: string): { n: number; columns: string[][] } {
  const batch = JSON.parse(line) as Batch;
  return {
    n: batch.n,
    columns: batch.c.map((c) => typeof c === "string" ? c.split(SEP) : c),
  };
}

function rowsOf(line: string): string[][] {
  const { n, columns } = columnsOf(line);
  const out = new Array<string[]>(n);
  const width = columns.length;
  for (let r = 0; r < n; r++) {
    const row = new Array<string>(width);
    for (let c = 0; c < width; c++) row[c] = columns[c][r];
    out[r] = row;
  }
  return out;
}

function readRowsOf<T>(line: string, readers: CellReader<T>[]): T[][] {
  const { n, columns } = columnsOf(line);
  const width = readers.length;
  // A batch written before a ragged row widened the table lacks the new columns.
  const blank: string[] = new Array(n).fill("");
  const cells = readers.map((_, c) => columns[c] ?? blank);
  const out = new Array<T[]>(n);
  for (let r = 0; r < n; r++) {
    const row = new Array<T>(width);
    for (let c = 0; c < width; c++) row[c] = readers[c](cells[c][r]);
    out[r] = row;
  }
  return out;
}

/**
 * Yields the row batches of a stored table, one per line, as they stream in.
 * With `readers` (one per column), each cell comes out through its column's
 * reader, in one pass and one array per row.
 */
export function decodeBatches(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<RawCell[][]>;
export function decodeBatches<T>(
  stream: ReadableStream<Uint8Array>,
  readers: CellReader<T>[],
): AsyncGenerator<T[][]>;
export async function* decodeBatches<T>(
  stream: ReadableStream<Uint8Array>,
  readers?: CellReader<T>[],
): AsyncGenerator<(T | RawCell)[][]> {
  const decoder = new TextDecoder();
  let carry = "";
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    let nl = text.indexOf("\n");
    if (nl === -1) {
      carry += text;
      continue;
    }
    let line = carry + text.slice(0, nl);
    let start = 0;
    while (true) {
      if (line) yield readers ? readRowsOf(line, readers) : rowsOf(line);
      start = nl + 1;
      nl = text.indexOf("\n", start);
      if (nl === -1) break;
      line = text.slice(start, nl);
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.trim()) yield readers ? readRowsOf(carry, readers) : rowsOf(carry);
}
