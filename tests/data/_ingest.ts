/** Helpers for the ingest tests: read bytes as an upload and collect its rows. */
import assert from "node:assert/strict";
import { DataError } from "@/lib/data/errors.ts";
import { type IngestResult, ingestTable } from "@/lib/data/ingest.ts";
import { cellConverter, type RawCell } from "@/lib/data/infer.ts";
import type { UploadFormat } from "@/lib/data/sniff.ts";
import type { TableCell } from "@/lib/data/table.ts";

export interface Ingested extends IngestResult {
  raw: RawCell[][];
  /** Rows typed by the inferred schema. */
  typed: TableCell[][];
  names: string[];
  types: string[];
}

/** Returns a stream that yields `bytes` in pieces of `piece` bytes. */
export function streamOf(
  bytes: Uint8Array,
  piece = 7_919,
): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

/** Reads `bytes` as an upload named `filename` and returns the result with every row. */
export async function ingest(
  bytes: Uint8Array | string,
  filename: string,
  options: {
    format?: UploadFormat;
    sheet?: string;
    maxRows?: number;
    maxColumns?: number;
    piece?: number;
  } = {},
): Promise<Ingested> {
  const data = typeof bytes === "string"
    ? new TextEncoder().encode(bytes)
    : bytes;
  const raw: RawCell[][] = [];
  const result = await ingestTable(streamOf(data, options.piece), {
    filename,
    format: options.format,
    sheet: options.sheet,
    maxRows: options.maxRows ?? 1_000_000,
    maxColumns: options.maxColumns ?? 500,
  }, (batch) => {
    raw.push(...batch);
  });
  const converters = result.schema.columns.map(cellConverter);
  const typed = raw.map((r) => converters.map((f, i) => f(r[i])));
  return {
    ...result,
    raw,
    typed,
    names: result.schema.columns.map((c) => c.name),
    types: result.schema.columns.map((c) => c.type),
  };
}

/** Encodes text as UTF-16 (with or without a BOM). */
export function utf16(
  text: string,
  endian: "le" | "be",
  bom: boolean,
): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let at = 0;
  const put = (code: number) => {
    if (endian === "le") {
      out[at++] = code & 0xff;
      out[at++] = code >> 8;
    } else {
      out[at++] = code >> 8;
      out[at++] = code & 0xff;
    }
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  return out;
}

/** Encodes text as Windows-1252 (Latin-1 range only). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`not Latin-1: ${ch}`);
    return code;
  });
}

/** Asserts that `promise` rejects with a DataError of `code` (and a message matching `pattern`). */
export async function rejects(
  promise: Promise<unknown>,
  code: string,
  pattern?: RegExp,
) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}
