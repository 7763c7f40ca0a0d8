/**
 * CSV export: the snapshot's columns and rows as RFC 4180 CSV (UTF-8, CRLF,
 * a header row of column names unless `header=false`, `,` or the chosen
 * `delimiter`, a BOM when `bom=true`), streamed in batches. Every chart type exports
 * the raw snapshot, so a scatter's group column comes along too.
 */
import { z } from "zod";
import type { Cell } from "@/lib/charts/spec.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { booleanOption } from "./options.ts";

/** Rows stringified per stream chunk. */
const BATCH_ROWS = 1000;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NEGATIVE = /^-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Returns a cell that a spreadsheet will not run as a formula: text starting
 * with =, +, -, @, tab or CR gets a leading `'` (OWASP's advice), except a
 * plain negative number, which stays a number.
 */
export function neutraliseCell(cell: Cell): Cell {
  if (typeof cell !== "string") return cell;
  return FORMULA_START.test(cell) && !PLAIN_NEGATIVE.test(cell)
    ? `'${cell}`
    : cell;
}

/** A cell any CSV of ours holds: a chart snapshot's or a dataset's. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Returns the one CSV writer of charts and datasets: a function from cells to
 * a record ending in CRLF. Null is empty, booleans are `true`/`false`,
 * formula-like text is neutralised, and a field is quoted (quotes doubled)
 * when it holds the delimiter, a quote, a CR or LF, or edge spaces. Reading is
 * left to a CSV library.
 */
export function csvRecordWriter(
  delimiter: string,
): (cells: readonly CsvCell[]) => string {
  const special = delimiter.replace(/[\\\]^-]/g, "\\$&");
  const needsQuotes = new RegExp(`[${special}"\\r\\n]|^\\s|\\s$`);
  const field = (v: CsvCell): string => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    const s = neutraliseCell(v) as string;
    return needsQuotes.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return (cells) => {
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      if (i) line += delimiter;
      line += field(cells[i]);
    }
    return line + "\r\n";
  };
}

/** Delimiters by name; the characters themselves are accepted too. */
const DELIMITERS = { comma: ",", semicolon: ";", tab: "\t" } as const;

const CsvOptions = z.strictObject({
  delimiter: z.enum(
    [...Object.keys(DELIMITERS), ...Object.values(DELIMITERS)] as [
      string,
      ...string[],
    ],
    { error: "delimiter must be comma, semicolon or tab (or , ; or a tab)" },
  ).transform((v) => DELIMITERS[v as keyof typeof DELIMITERS] ?? v)
    .default(","),
  header: booleanOption("header", true),
  bom: booleanOption("bom", false),
});
/** Options of the CSV export. */
export type CsvOptions = z.output<typeof CsvOptions>;

/** Returns the snapshot as a stream of CSV bytes. */
export function renderCsv(
  input: ExportInput,
  options: Partial<CsvOptions> = {},
): ExportResult {
  const { delimiter = ",", header = true, bom = false } = options;
  const record = csvRecordWriter(delimiter);
  const { columns, rows } = input.snapshot;
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      // A BOM makes Excel read the file as UTF-8 instead of the locale's code page.
      const head = header ? record(columns.map((c) => c.name)) : "";
      const text = bom ? `\ufeff${head}` : head;
      if (text) controller.enqueue(encoder.encode(text));
    },
    pull(controller) {
      if (next >= rows.length) {
        controller.close();
        return;
      }
      let text = "";
      for (const row of rows.slice(next, next + BATCH_ROWS)) {
        text += record(columns.map((_, i) => row[i] ?? null));
      }
      next += BATCH_ROWS;
      controller.enqueue(encoder.encode(text));
    },
  });
  return { body, mime: "text/csv; charset=utf-8", extension: "csv" };
}

/** The CSV exporter. */
export const csvExporter: Exporter<CsvOptions> = {
  mime: "text/csv; charset=utf-8",
  extension: "csv",
  options: CsvOptions,
  render: renderCsv,
};
