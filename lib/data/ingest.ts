/**
 * Reading an uploaded file into a table, as a stream: sniff the format and
 * encoding from the first bytes, hand the rest to the matching reader (CSV/TSV,
 * XLSX, JSON, NDJSON), clean the header, infer the schema on the way, enforce
 * the row and column limits, and pass every batch of raw rows to a sink (which
 * stores them). Nothing but the current batch is held, except for XLSX, whose
 * archive must be read whole (it is at most the upload limit).
 */
import { concatBytes } from "@/lib/bytes.ts";
import { isNumberText } from "./cells.ts";
import { overLimit, unreadable } from "./errors.ts";
import {
  cleanColumnNames,
  type InferredSchema,
  type RawCell,
  SchemaBuilder,
} from "./infer.ts";
import {
  detectDialect,
  detectEncoding,
  detectFormat,
  type Dialect,
  refuseBinary,
  refuseBinaryText,
  SNIFF_BYTES,
  type TextEncoding,
  type UploadFormat,
} from "./sniff.ts";
import { type RaggedRows, readDelimited } from "./delimited.ts";
import { type JsonHeader, readJsonArray, readNdjson } from "./json_rows.ts";
import { openXlsx } from "./xlsx.ts";
import type { ColumnType } from "./table.ts";

export interface IngestOptions {
  filename: string;
  /** Skip format detection. */
  format?: UploadFormat;
  /** XLSX: the sheet to read, by name or 1-based number. */
  sheet?: string;
  maxRows: number;
  maxColumns: number;
}

/** How a file was read, and what had to be repaired. */
export interface IngestResult {
  format: UploadFormat;
  encoding: TextEncoding | null;
  delimiter: string | null;
  sheet: string | null;
  sheets: string[] | null;
  rows: number;
  schema: InferredSchema;
  /** Documented repairs: renamed columns, ragged rows, replaced bytes, a format other than the name said. */
  repairs: string[];
}

/** Receives each batch of raw rows, in order; the header is not among them. */
export type RowSink = (rows: RawCell[][]) => Promise<void> | void;

const nf = new Intl.NumberFormat("en");

/** Reads the first bytes of a stream and returns them with an iterator over the whole stream. */
async function peek(
  source: ReadableStream<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; chunks: AsyncGenerator<Uint8Array> }> {
  const reader = source.getReader();
  const buffered: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    size += next.value.length;
  }
  const head = concat(buffered, size);
  async function* chunks() {
    try {
      if (head.length) yield head;
      while (!done) {
        const next = await reader.read();
        if (next.done) break;
        yield next.value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  return { head, chunks: chunks() };
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  return parts.length === 1 ? parts[0] : concatBytes(parts, size);
}

async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  bom: number,
  replaced: { count: number },
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  let first = true;
  for await (let chunk of chunks) {
    if (first && bom) chunk = chunk.subarray(bom);
    first = false;
    const text = decoder.decode(chunk, { stream: true });
    if (encoding !== "windows-1252" && text.includes("\ufffd")) {
      for (
        let i = text.indexOf("\ufffd");
        i !== -1;
        i = text.indexOf("\ufffd", i + 1)
      ) {
        replaced.count++;
      }
    }
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* fromSync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/**
 * Reads a file from `source` and returns how it was read and its inferred
 * schema; the rows go to `sink` as they are read. Throws a `DataError` for a
 * file that cannot be read or is over a limit.
 */
export async function ingestTable(
  source: ReadableStream<Uint8Array>,
  options: IngestOptions,
  sink: RowSink,
): Promise<IngestResult> {
  const { filename } = options;
  const { head, chunks } = await peek(source, SNIFF_BYTES);
  if (head.length === 0) throw unreadable("empty_file", `${filename} is empty`);
  refuseBinary(head, filename);
  const { encoding, bom } = detectEncoding(head);
  const sample = new TextDecoder(encoding).decode(head.subarray(bom));
  const detected = detectFormat(head, sample, filename, options.format);
  const repairs = [...detected.notes];
  const format = detected.format;

  let rowsIn: AsyncIterable<RawCell[][]>;
  let headerOf: (first: RawCell[] | undefined) => string[];
  let dialect: Dialect | null = null;
  let sheetInfo: { sheet: string; sheets: string[] } | null = null;
  const ragged: RaggedRows = { count: 0, lines: [] };
  const replaced = { count: 0 };
  let headerFromFirstRow = true;
  const jsonHeader: JsonHeader = { names: [] };

  if (format === "xlsx") {
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      parts.push(chunk);
      size += chunk.length;
    }
    const opened = openXlsx(concat(parts, size), options.sheet);
    sheetInfo = opened.info;
    rowsIn = fromSync(opened.rows);
    headerOf = (first) => (first ?? []).map((c) => c === null ? "" : String(c));
  } else {
    refuseBinaryText(sample, filename);
    const text = decodeText(chunks, encoding, bom, replaced);
    if (format === "json") {
      rowsIn = readJsonArray(text, jsonHeader);
      headerFromFirstRow = false;
    } else if (format === "ndjson") {
      rowsIn = readNdjson(text, jsonHeader);
      headerFromFirstRow = false;
    } else {
      dialect = detectDialect(sample, format);
      rowsIn = readDelimited(text, dialect, ragged);
    }
    headerOf = (first) => (first ?? []).map((c) => String(c ?? ""));
  }

  let header: string[] | null = headerFromFirstRow ? null : jsonHeader.names;
  const builder = new SchemaBuilder(0);
  let rows = 0;
  for await (let batch of rowsIn) {
    if (header === null) {
      if (isNumberRow(batch[0])) {
        // Numbers are no column names: the file has no header row.
        header = batch[0].map(() => "");
        repairs.push(
          "the first row holds numbers, not column names, so it was read as data",
        );
      } else {
        header = headerOf(batch[0]);
        batch = batch.slice(1);
      }
      if (header.length > options.maxColumns) {
        throw tooManyColumns(header.length, options);
      }
      builder.widen(header.length);
    }
    if (batch.length === 0) continue;
    rows += batch.length;
    if (rows > options.maxRows) {
      throw overLimit(
        "too_many_rows",
        `${filename} has more than ${
          nf.format(options.maxRows)
        } rows; the limit (MAX_UPLOAD_ROWS) is ${nf.format(options.maxRows)}`,
      );
    }
    for (const row of batch) {
      if (row.length > options.maxColumns) {
        throw tooManyColumns(row.length, options);
      }
      builder.add(row);
    }
    await sink(batch);
  }
  header ??= [];
  if (!headerFromFirstRow && header.length > options.maxColumns) {
    throw tooManyColumns(header.length, options);
  }
  builder.widen(header.length);
  if (builder.width === 0) {
    throw unreadable("no_columns", `${filename} has no columns to read`);
  }
  const cleaned = cleanColumnNames(header, builder.width);
  repairs.push(...cleaned.repairs);
  if (ragged.count > 0) {
    repairs.push(
      `${nf.format(ragged.count)} ${
        ragged.count === 1 ? "row has" : "rows have"
      } a different number of cells than the header (line${
        ragged.lines.length > 1 ? "s" : ""
      } ${ragged.lines.join(", ")}${
        ragged.count > ragged.lines.length ? ", …" : ""
      }): short rows were padded with empty cells; extra cells went into added columns`,
    );
  }
  if (replaced.count > 0) {
    repairs.push(
      `${
        nf.format(replaced.count)
      } byte sequences were not valid ${encoding.toUpperCase()} and were replaced with �`,
    );
  }
  return {
    format,
    encoding: format === "xlsx" ? null : encoding,
    delimiter: dialect?.delimiter ?? null,
    sheet: sheetInfo?.sheet ?? null,
    sheets: sheetInfo?.sheets ?? null,
    rows,
    schema: builder.finish(cleaned.names),
    repairs,
  };
}

/** Whether every cell of a row is a number (so it is data, not a header). */
function isNumberRow(row: RawCell[] | undefined): row is RawCell[] {
  return row !== undefined && row.length > 0 &&
    row.every((c) =>
      typeof c === "number" || (typeof c === "string" && isNumberText(c))
    );
}

function tooManyColumns(count: number, options: IngestOptions) {
  return overLimit(
    "too_many_columns",
    `${options.filename} has ${
      nf.format(count)
    } columns; the limit (MAX_UPLOAD_COLUMNS) is ${
      nf.format(options.maxColumns)
    }`,
  );
}

/**
 * Infers the schema of rows that are already values (a workflow step's
 * output) while passing them to `sink`; `hints` keeps an input column's type
 * when every value still fits it.
 */
export async function collectRows(
  names: string[],
  batches: AsyncIterable<RawCell[][]>,
  sink: RowSink,
  options: { maxRows: number; hints?: (ColumnType | undefined)[] },
): Promise<{ rows: number; schema: InferredSchema }> {
  const builder = new SchemaBuilder(names.length, options.hints);
  let rows = 0;
  for await (const batch of batches) {
    rows += batch.length;
    if (rows > options.maxRows) {
      throw overLimit(
        "too_many_rows",
        `the result has more than ${
          nf.format(options.maxRows)
        } rows; the limit (MAX_UPLOAD_ROWS) is ${nf.format(options.maxRows)}`,
      );
    }
    for (const row of batch) builder.add(row);
    await sink(batch);
  }
  return { rows, schema: builder.finish(names) };
}
