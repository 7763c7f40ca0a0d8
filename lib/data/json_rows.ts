/**
 * Streaming JSON tables: a JSON array of objects (or of arrays, the first
 * being the header), read element by element with @streamparser/json, or
 * NDJSON, one object per line. Columns are the keys in the order they first
 * appear; nested values are kept as JSON text.
 */
import { JSONParser } from "@streamparser/json";
import { unreadable } from "./errors.ts";
import type { RawCell } from "./infer.ts";

const BATCH_ROWS = 2000;

/** The keys seen so far; complete once the rows have been read. */
export interface JsonHeader {
  names: string[];
}

function cellOf(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

class RowMaker {
  #index = new Map<string, number>();
  constructor(readonly header: JsonHeader) {}

  fromObject(value: Record<string, unknown>): RawCell[] {
    const row: RawCell[] = [];
    for (const key in value) {
      let i = this.#index.get(key);
      if (i === undefined) {
        i = this.header.names.length;
        this.header.names.push(key);
        this.#index.set(key, i);
      }
      while (row.length < i) row.push(null);
      row[i] = cellOf(value[key]);
    }
    return row;
  }
}

/** Yields row batches of an NDJSON text stream; `header` fills in as keys appear. */
export async function* readNdjson(
  pieces: AsyncIterable<string>,
  header: JsonHeader,
): AsyncGenerator<RawCell[][]> {
  const maker = new RowMaker(header);
  let carry = "";
  let line = 0;
  let batch: RawCell[][] = [];
  const take = (text: string) => {
    line++;
    const trimmed = text.trim();
    if (trimmed === "") return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw unreadable("bad_json", `line ${line} is not valid JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw unreadable(
        "bad_json",
        `line ${line} is not a JSON object; NDJSON needs one object per line`,
      );
    }
    batch.push(maker.fromObject(value as Record<string, unknown>));
  };
  for await (const piece of pieces) {
    const text = carry + piece;
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      take(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    carry = text.slice(start);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (carry.trim()) take(carry);
  if (batch.length) yield batch;
}

/** Yields row batches of a JSON array (of objects, or of arrays with a header first). */
export async function* readJsonArray(
  pieces: AsyncIterable<string>,
  header: JsonHeader,
): AsyncGenerator<RawCell[][]> {
  const maker = new RowMaker(header);
  let batch: RawCell[][] = [];
  let index = 0;
  let arrays: boolean | null = null;
  let failure: Error | null = null;
  let topLevelChecked = false;
  const parser = new JSONParser({ paths: ["$.*"], keepStack: false });
  parser.onValue = ({ value }) => {
    index++;
    const isArray = Array.isArray(value);
    const isObject = typeof value === "object" && value !== null && !isArray;
    if (!isArray && !isObject) {
      failure = unreadable(
        "bad_json",
        `element ${index} of the JSON array is not an object; expected an array of objects`,
      );
      return;
    }
    arrays ??= isArray;
    if (isArray !== arrays) {
      failure = unreadable(
        "bad_json",
        `element ${index} of the JSON array mixes objects and arrays`,
      );
      return;
    }
    if (isArray) {
      const cells = (value as unknown[]).map(cellOf);
      if (index === 1) header.names.push(...cells.map((c) => String(c ?? "")));
      else batch.push(cells);
    } else batch.push(maker.fromObject(value as Record<string, unknown>));
  };
  parser.onError = (error) => {
    failure ??= unreadable(
      "bad_json",
      `the file is not valid JSON: ${error.message}`,
    );
  };
  for await (const piece of pieces) {
    if (!topLevelChecked && piece.trim()) {
      topLevelChecked = true;
      if (!piece.trimStart().startsWith("[")) {
        throw unreadable(
          "bad_json",
          "the JSON is not an array; upload an array of objects or NDJSON (one object per line)",
        );
      }
    }
    try {
      parser.write(piece);
    } catch (error) {
      failure ??= unreadable(
        "bad_json",
        `the file is not valid JSON: ${(error as Error).message}`,
      );
    }
    if (failure) throw failure;
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (!parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      failure ??= unreadable(
        "bad_json",
        `the JSON ends too early: ${(error as Error).message}`,
      );
    }
  }
  if (failure) throw failure;
  if (batch.length) yield batch;
}
