/**
 * Streaming CSV/TSV reading on PapaParse's parser core. Text arrives in
 * pieces; each piece is parsed up to its last complete row and the rest is
 * carried into the next, so memory holds one piece and one batch of rows.
 * Rows whose cell count differs from the header's are reported with the line
 * they start on; blank rows are skipped; cells are trimmed.
 */
import Papa from "papaparse";
import type { Dialect } from "./sniff.ts";
import { unreadable } from "./errors.ts";

/** Rows per yielded batch. */
export const BATCH_ROWS = 2000;
/** Text parsed at once. */
const PIECE_CHARS = 512 * 1024;
/** Longest row accepted; longer usually means a quote that never closes. */
const MAX_ROW_CHARS = 16 * 1024 * 1024;
/** Ragged lines listed by number (the count covers all of them). */
const LISTED_LINES = 20;

/** Rows whose cell count differs from the header's. */
export interface RaggedRows {
  count: number;
  /** Line numbers (1-based, the header is line 1) of the first few. */
  lines: number[];
}

interface StepResult {
  data: string[][];
  errors: { code: string; row: number }[];
  meta: { cursor: number };
}
interface PapaParserCore {
  parse(
    input: string,
    baseIndex: number,
    ignoreLastRow: boolean,
  ): { meta: { cursor: number } };
}
type ParserCtor = new (config: Record<string, unknown>) => PapaParserCore;
const Parser = (Papa as unknown as { Parser: ParserCtor }).Parser;

function trimCell(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  return s.charCodeAt(0) <= 32 || s.charCodeAt(n - 1) <= 32 ? s.trim() : s;
}

/**
 * Yields batches of rows (the header is the first row of the first batch).
 * `ragged` is filled in as rows are read; it is complete when the iteration ends.
 */
export async function* readDelimited(
  pieces: AsyncIterable<string>,
  dialect: Dialect,
  ragged: RaggedRows,
): AsyncGenerator<string[][]> {
  const lineChar = dialect.newline === "\r" ? "\r" : "\n";
  let width = -1;
  const batch: string[][] = [];
  let linesBefore = 0;
  let carry = "";
  let pending = "";

  function parse(text: string, final: boolean): number {
    let rowStart = 0;
    let scanPos = 0;
    let scanLines = 0;
    const lineOf = (at: number) => {
      while (scanPos < at) {
        const next = text.indexOf(lineChar, scanPos);
        if (next === -1 || next >= at) break;
        scanLines++;
        scanPos = next + 1;
      }
      return linesBefore + scanLines + 1;
    };
    let unclosed = -1;
    const parser = new Parser({
      delimiter: dialect.delimiter,
      quoteChar: dialect.quoteChar,
      escapeChar: dialect.escapeChar,
      newline: dialect.newline,
      step: (r: StepResult) => {
        const row = r.data[0];
        const start = rowStart;
        rowStart = r.meta.cursor;
        if (final && r.errors.some((e) => e.code === "MissingQuotes")) {
          unclosed = start;
        }
        let blank = true;
        for (let i = 0; i < row.length; i++) {
          const cell = trimCell(row[i]);
          row[i] = cell;
          if (cell !== "") blank = false;
        }
        if (blank) return;
        if (width === -1) width = row.length;
        else if (row.length !== width) {
          if (ragged.lines.length < LISTED_LINES) {
            ragged.lines.push(lineOf(start));
          }
          ragged.count++;
        }
        batch.push(row);
      },
    });
    const cursor = parser.parse(text, 0, !final).meta.cursor;
    if (unclosed !== -1) {
      throw unreadable(
        "unclosed_quote",
        `line ${lineOf(unclosed)}: a quoted field is opened but never closed`,
      );
    }
    // Count the line breaks of the consumed text for the next piece's numbering.
    let at = text.indexOf(lineChar, scanPos);
    let lines = scanLines;
    while (at !== -1 && at < cursor) {
      lines++;
      at = text.indexOf(lineChar, at + 1);
    }
    linesBefore += lines;
    return cursor;
  }

  for await (const piece of pieces) {
    pending += piece;
    if (pending.length < PIECE_CHARS) continue;
    const text = carry + pending;
    pending = "";
    const cursor = parse(text, false);
    carry = text.slice(cursor);
    if (carry.length > MAX_ROW_CHARS) {
      throw unreadable(
        "row_too_long",
        `line ${
          linesBefore + 1
        }: a row is longer than 16 MB; is a quote left open?`,
      );
    }
    while (batch.length >= BATCH_ROWS) yield batch.splice(0, BATCH_ROWS);
  }
  const rest = carry + pending;
  if (rest.length > 0) parse(rest, true);
  while (batch.length > 0) yield batch.splice(0, BATCH_ROWS);
}
