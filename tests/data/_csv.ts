/**
 * Test helpers: small in-memory CSV reading on top of `csv-parse` (delimiter
 * detection between comma, semicolon and tab, a header row, ragged rows
 * padded) and a typed table made from text records by the rules uploads
 * follow — the planner's and query engine's input without the upload path.
 */
import { parse } from "csv-parse/sync";
import {
  cellConverter,
  cleanColumnNames,
  SchemaBuilder,
} from "@/lib/data/infer.ts";
import type { Table } from "@/lib/data/table.ts";

export interface CsvOptions {
  /** Force a delimiter instead of detecting one. */
  delimiter?: string;
  /** Stop after this many data records. */
  maxRecords?: number;
}

export interface CsvText {
  header: string[];
  records: string[][];
}

const CANDIDATES = [",", ";", "\t"] as const;

/** Counts a delimiter per line outside double quotes, over the first lines. */
function countsPerLine(sample: string, delimiter: string): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let n = 0;
  for (let i = 0; i < sample.length; i++) {
    const ch = sample[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === delimiter) n++;
    else if (!inQuotes && ch === "\n") {
      counts.push(n);
      n = 0;
      if (counts.length >= 20) break;
    }
  }
  if (n > 0) counts.push(n);
  return counts;
}

/** Picks the delimiter that appears most often and most consistently per line. */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, 64 * 1024);
  let best: string = ",";
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const counts = countsPerLine(sample, d).filter((_, i, a) =>
      i < a.length - 1 || a.length === 1
    );
    if (counts.length === 0 || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length /
      counts.length;
    const score = counts[0] * consistent;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Parses CSV text into a trimmed header and records padded to the header's width. */
export function parseCsvText(text: string, options: CsvOptions = {}): CsvText {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const rows = parse(text, {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    to: options.maxRecords === undefined ? undefined : options.maxRecords + 1,
  }) as string[][];
  const header = (rows[0] ?? []).map((h) => h.trim());
  const records = rows.slice(1)
    .filter((r) => r.some((cell) => cell.trim() !== ""))
    .map((r) => {
      if (r.length === header.length) return r;
      const out = r.slice(0, Math.max(header.length, r.length));
      while (out.length < header.length) out.push("");
      return out;
    });
  return { header, records };
}

/**
 * Infers a type per column of text records (by the rules uploads follow)
 * and converts the cells; empty and NA-like cells become null.
 */
export function inferTable(records: string[][], header: string[]): Table {
  let width = header.length;
  for (const r of records) if (r.length > width) width = r.length;
  const builder = new SchemaBuilder(width);
  const trimmed = records.map((r) => {
    const row: string[] = [];
    for (let c = 0; c < width; c++) row.push((r[c] ?? "").trim());
    builder.add(row);
    return row;
  });
  const { names } = cleanColumnNames(header, width);
  const { columns } = builder.finish(names);
  const converters = columns.map(cellConverter);
  return {
    columns: columns.map(({ name, type }) => ({ name, type })),
    rows: trimmed.map((row) => converters.map((f, i) => f(row[i]))),
  };
}
