/**
 * What a file is, from its name and its first bytes: the format (CSV, TSV,
 * XLSX, JSON, NDJSON), the text encoding (UTF-8 with or without BOM, UTF-16
 * LE/BE, else Latin-1 as Windows-1252) and, for delimited text, the dialect
 * (delimiter, quote and escape characters, line break). Known binary formats
 * and binary junk are refused here with a message that says what the file is.
 */
import { unreadable } from "./errors.ts";

/** Formats an upload can have. */
export const UPLOAD_FORMATS = ["csv", "tsv", "xlsx", "json", "ndjson"] as const;
export type UploadFormat = typeof UPLOAD_FORMATS[number];

/** Text encodings the reader detects. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

export interface Dialect {
  delimiter: string;
  quoteChar: string;
  escapeChar: string;
  newline: "\n" | "\r\n" | "\r";
}

/** Bytes looked at to decide format, encoding and dialect. */
export const SNIFF_BYTES = 64 * 1024;

const EXTENSIONS: Record<string, UploadFormat | "text"> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  txt: "text",
  xlsx: "xlsx",
  xlsm: "xlsx",
  json: "json",
  ndjson: "ndjson",
  jsonl: "ndjson",
};

const SIGNATURES: [number[], string][] = [
  [
    [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    "an Excel 97-2003 (.xls) workbook or another OLE document; save it as .xlsx or CSV",
  ],
  [[0x25, 0x50, 0x44, 0x46], "a PDF document"],
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x47, 0x49, 0x46, 0x38], "a GIF image"],
  [[0x1f, 0x8b], "gzip-compressed; unpack it first"],
  [[0x37, 0x7a, 0xbc, 0xaf], "a 7-Zip archive"],
  [[0x52, 0x61, 0x72, 0x21], "a RAR archive"],
  [[0x7f, 0x45, 0x4c, 0x46], "a program (ELF)"],
  [[0x4d, 0x5a], "a Windows program"],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], "an SQLite database"],
];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.length <= bytes.length && sig.every((b, i) => bytes[i] === b);
}

/** Returns the lower-case extension of a filename, or "". */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot <= 0 ? "" : filename.slice(dot + 1).toLowerCase();
}

/** Whether the bytes start like a ZIP archive (an XLSX workbook is one). */
export function isZip(head: Uint8Array): boolean {
  return startsWith(head, [0x50, 0x4b, 0x03, 0x04]) ||
    startsWith(head, [0x50, 0x4b, 0x05, 0x06]);
}

/**
 * Returns the BOM length and the encoding of text bytes: a BOM decides; else
 * UTF-16 is recognised by its zero bytes, valid UTF-8 is UTF-8, and anything
 * else is read as Windows-1252 (a superset of Latin-1).
 */
export function detectEncoding(
  head: Uint8Array,
): { encoding: TextEncoding; bom: number } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) {
    return { encoding: "utf-8", bom: 3 };
  }
  if (startsWith(head, [0xff, 0xfe])) return { encoding: "utf-16le", bom: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: "utf-16be", bom: 2 };
  const n = Math.min(head.length, 4096) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (half >= 2 && oddZeros > half * 0.3 && evenZeros < half * 0.05) {
    return { encoding: "utf-16le", bom: 0 };
  }
  if (half >= 2 && evenZeros > half * 0.3 && oddZeros < half * 0.05) {
    return { encoding: "utf-16be", bom: 0 };
  }
  // Drop a multi-byte sequence the sample cut in two before checking UTF-8.
  let end = head.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = head[end - k];
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= k;
    break;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, end));
    return { encoding: "utf-8", bom: 0 };
  } catch {
    return { encoding: "windows-1252", bom: 0 };
  }
}

/** Refuses known binary formats by their signature, naming what the file is. */
export function refuseBinary(head: Uint8Array, filename: string): void {
  for (const [sig, what] of SIGNATURES) {
    if (startsWith(head, sig)) {
      throw unreadable(
        "unsupported_file",
        `${filename} is ${what}, not CSV, TSV, XLSX or JSON`,
      );
    }
  }
}

/** Refuses decoded text that is really binary: NUL bytes or many control characters. */
export function refuseBinaryText(sample: string, filename: string): void {
  let control = 0;
  const n = Math.min(sample.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) control += 1000;
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  if (control > Math.max(2, n * 0.01)) {
    throw unreadable(
      "binary_file",
      `${filename} looks like binary data, not text: it cannot be read as CSV, TSV or JSON`,
    );
  }
}

/**
 * Decides the format: content beats the extension when they disagree (a
 * workbook named .csv is read as XLSX) and the note says so. `declared`, when
 * given, wins outright.
 */
export function detectFormat(
  head: Uint8Array,
  text: string | null,
  filename: string,
  declared?: UploadFormat,
): { format: UploadFormat; notes: string[] } {
  if (declared) return { format: declared, notes: [] };
  const ext = extensionOf(filename);
  const byName = EXTENSIONS[ext];
  const notes: string[] = [];
  if (isZip(head)) {
    if (byName && byName !== "xlsx") {
      notes.push(
        `${filename} is a ZIP archive, so it was read as an XLSX workbook`,
      );
    }
    return { format: "xlsx", notes };
  }
  const start = (text ?? "").trimStart().slice(0, 1);
  if (byName === "xlsx") {
    if (start === "<") {
      throw unreadable(
        "not_xlsx",
        `${filename} is not an XLSX workbook: it looks like an HTML or XML page (some sites save those as .xlsx); export it as CSV or XLSX again`,
      );
    }
    notes.push(
      `${filename} is not an XLSX workbook but text, so it was read as delimited text`,
    );
    return { format: "csv", notes };
  }
  if (byName === "json" || byName === "ndjson") {
    return {
      format: byName === "json" && !looksNdjson(text ?? "") ? "json" : "ndjson",
      notes,
    };
  }
  if (byName === "csv" || byName === "tsv") return { format: byName, notes };
  if (start === "[") return { format: "json", notes };
  if (start === "{") return { format: "ndjson", notes };
  return { format: "csv", notes };
}

/** NDJSON: the first non-empty line is a whole JSON object. */
function looksNdjson(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{")) return false;
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
  // One object alone is a JSON document, not a one-line NDJSON file.
  if (lines.length < 2) return false;
  const line = lines[0];
  try {
    const value = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const DELIMITERS = [",", ";", "\t", "|"];

/** Counts a delimiter per line outside quotes, over the sample's first lines. */
function countsPerLine(
  sample: string,
  delimiter: string,
  quote: string,
): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let n = 0;
  for (let i = 0; i < sample.length && counts.length < 50; i++) {
    const ch = sample[i];
    if (ch === quote) inQuotes = !inQuotes;
    else if (!inQuotes && ch === delimiter) n++;
    else if (!inQuotes && ch === "\n") {
      counts.push(n);
      n = 0;
    }
  }
  if (counts.length === 0 && n > 0) counts.push(n);
  return counts;
}

/**
 * Whether a text with no other delimiter is cells separated by single
 * spaces: every complete line of the sample (at least two) has the same
 * number of them, one or more, and at least half the cells of the first row
 * after the header are numbers.
 */
function spaceSeparated(text: string): boolean {
  const lines = text.split("\n").slice(0, 50);
  if (lines.length > 2) lines.pop(); // the last line of a sample may be cut short
  const full = lines.filter((l) => l.trim() !== "");
  if (full.length < 2 || full.some((l) => / {2}|^ | $/.test(l))) return false;
  const spaces = full.map((l) => l.split(" ").length - 1);
  if (spaces[0] === 0 || spaces.some((n) => n !== spaces[0])) return false;
  // Words with one space between ("Ann Lee") are text; a table has numbers.
  const cells = full[1].trim().split(" ");
  return cells.filter((c) => /^[+-]?(\d+\.?\d*|\.\d+)$/.test(c)).length * 2 >=
    cells.length;
}

/**
 * Detects a delimited text's dialect from a sample: the delimiter that
 * appears most often and most steadily per line (tab for .tsv), the quote
 * character (" unless fields are wrapped in ' instead), backslash escapes,
 * and the line break. A text with none of those delimiters whose lines hold
 * the same number of single spaces is space-separated.
 */
export function detectDialect(sample: string, format: UploadFormat): Dialect {
  const newline = sample.includes("\r\n")
    ? "\r\n"
    : sample.includes("\n") || !sample.includes("\r")
    ? "\n"
    : "\r";
  const text = newline === "\r" ? sample.replaceAll("\r", "\n") : sample;
  const doubleStarts = (text.match(/(^|[,;\t|\n])"/g) ?? []).length;
  const singleStarts =
    (text.match(/(^|[,;\t|\n])'[^'\n]*'(?=[,;\t|\r\n]|$)/g) ?? []).length;
  const quoteChar = singleStarts > 2 && doubleStarts === 0 ? "'" : '"';
  const escapeChar = quoteChar === '"' && /\\"/.test(text) && !/""/.test(text)
    ? "\\"
    : quoteChar;
  let delimiter = format === "tsv" ? "\t" : ",";
  if (format !== "tsv") {
    let bestScore = 0;
    for (const d of DELIMITERS) {
      // The last line of a sample may be cut short; leave it out.
      const all = countsPerLine(text, d, quoteChar);
      const counts = all.length > 1 ? all.slice(0, -1) : all;
      if (counts.length === 0 || counts[0] === 0) continue;
      const steady = counts.filter((c) => c === counts[0]).length /
        counts.length;
      const score = counts[0] * steady * steady;
      if (score > bestScore) {
        bestScore = score;
        delimiter = d;
      }
    }
    if (bestScore === 0 && spaceSeparated(text)) {
      const quote = /^'[^'\n]*' /.test(text) ? "'" : quoteChar;
      return { delimiter: " ", quoteChar: quote, escapeChar: quote, newline };
    }
  }
  return { delimiter, quoteChar, escapeChar, newline };
}
