/**
 * CSV export: the snapshot's columns and rows as RFC 4180 CSV (UTF-8, CRLF,
 * a header row of column names unless `header=false`, `,` or the chosen
 * `delimiter`, a BOM when `bom=true`), streamed in batches. Every chart type exports
 * the raw snapshot, so a scatter's group column comes along too.
 */
import { z } from "zod";
import { stringify } from "csv-stringify/sync";
import type { Cell } from "../charts/spec.ts";
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

const STRINGIFY_OPTIONS = {
  record_delimiter: "\r\n",
  // csv-stringify only quotes the whole record delimiter; a lone LF or CR
  // inside a cell must be quoted too or the row splits when read back.
  quoted_match: /[\r\n]/,
  eof: true,
};

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
  const stringifyOptions = { ...STRINGIFY_OPTIONS, delimiter };
  const { columns, rows } = input.snapshot;
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      // A BOM makes Excel read the file as UTF-8 instead of the locale's code page.
      const head = header
        ? stringify(
          [columns.map((c) => neutraliseCell(c.name))],
          stringifyOptions,
        )
        : "";
      const text = bom ? `\ufeff${head}` : head;
      if (text) controller.enqueue(encoder.encode(text));
    },
    pull(controller) {
      if (next >= rows.length) {
        controller.close();
        return;
      }
      const batch = rows.slice(next, next + BATCH_ROWS).map((row) =>
        columns.map((_, i) => neutraliseCell(row[i] ?? null))
      );
      next += BATCH_ROWS;
      controller.enqueue(encoder.encode(stringify(batch, stringifyOptions)));
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
