/**
 * The stored form of a parsed table: row batches, one JSON array of rows per
 * line ("batched NDJSON"). Cells are kept raw (as read from the file) and
 * typed on the way out by the dataset's schema (`cellConverter`), so a table
 * is written in one pass while its types are still being inferred. JSON text
 * never holds a raw line break, so a reader splits on "\n" and parses each
 * line natively, whatever chunk boundaries the blob store chose.
 */
import type { RawCell } from "./infer.ts";

const encoder = new TextEncoder();

/** Returns one batch of rows as a line of bytes. */
export function encodeBatch(rows: RawCell[][]): Uint8Array {
  return encoder.encode(JSON.stringify(rows) + "\n");
}

/** Yields the row batches of a stored table, one per line, as they stream in. */
export async function* decodeBatches(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<RawCell[][]> {
  let carry = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl === -1) {
      carry += text;
      continue;
    }
    let line = carry + text.slice(0, nl);
    carry = "";
    while (true) {
      if (line) yield JSON.parse(line) as RawCell[][];
      start = nl + 1;
      nl = text.indexOf("\n", start);
      if (nl === -1) break;
      line = text.slice(start, nl);
    }
    carry = text.slice(start);
  }
  if (carry.trim()) yield JSON.parse(carry) as RawCell[][];
}
