/**
 * Reading the rows of one sheet of an XLSX workbook with bounded memory.
 *
 * A workbook is a ZIP archive of XML parts. The archive's central directory
 * is read first and every part's declared sizes are checked before anything
 * is inflated: an archive that claims too much, or compresses too well to be
 * a spreadsheet (a zip bomb), is refused. Parts are then inflated as streams
 * (fflate) while counting bytes, so a part that inflates past its declared
 * size is stopped too, and the sheet's XML goes through a streaming XML
 * parser (saxes) that yields rows in batches. Only the shared-strings table
 * is held whole, under its own cap.
 */
import {
  inflateEntry as inflateZipEntry,
  listZipEntries as listEntries,
  type ZipEntryInfo,
  type ZipLimits,
  ZipReadError,
} from "./zip_read.ts";
import { SaxesParser } from "saxes";
import { unreadable } from "./errors.ts";
import type { RawCell } from "./infer.ts";

/** Rows per yielded batch. */
const BATCH_ROWS = 2000;
/** Largest inflated size of one part; a sheet's XML is streamed, so this is about time, not memory. */
export const MAX_PART_BYTES = 2 * 1024 ** 3;
/** Largest inflated size of the whole archive. */
export const MAX_TOTAL_BYTES = 4 * 1024 ** 3;
/** Largest shared-strings part (held in memory while the sheet is read). */
export const MAX_SHARED_STRINGS_BYTES = 256 * 1024 ** 2;
/** Compression ratio above which a large part is taken for a zip bomb. */
export const MAX_RATIO = 500;
/** Parts smaller than this are not judged by their ratio. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

type ZipEntry = ZipEntryInfo;

export interface XlsxSheetInfo {
  /** Every sheet's name, in workbook order. */
  sheets: string[];
  /** The sheet read. */
  sheet: string;
}

function corrupt(detail: string): never {
  throw unreadable(
    "corrupt_xlsx",
    `the file is not a readable XLSX workbook (${detail})`,
  );
}

const LIMITS: ZipLimits = {
  maxEntryBytes: MAX_PART_BYTES,
  maxTotalBytes: MAX_TOTAL_BYTES,
  maxRatio: MAX_RATIO,
  ratioFloorBytes: RATIO_FLOOR_BYTES,
};

/** Returns a workbook's problem as the upload error a person reads. */
function workbookError(error: ZipReadError): Error {
  switch (error.kind) {
    case "encrypted":
      return unreadable(
        "encrypted_xlsx",
        "the workbook is password-protected; remove the password and upload it again",
      );
    case "zip64":
      return unreadable(
        "xlsx_too_large",
        error.entry
          ? "a part of the workbook is larger than 4 GB"
          : "the workbook uses ZIP64, which only archives of several gigabytes need; it is too large",
      );
    case "bomb":
      return unreadable(
        "zip_bomb",
        error.entry
          ? `the workbook part ${error.message}; that is not a spreadsheet but a zip bomb`
          : `${error.message}; that is more than any readable upload`,
      );
    case "too_large":
      return unreadable(
        "xlsx_part_too_large",
        `the workbook part ${error.message}`,
      );
    default:
      return unreadable(
        "corrupt_xlsx",
        `the file is not a readable XLSX workbook (${error.message})`,
      );
  }
}

/** Reads the ZIP central directory and checks every entry's declared sizes. */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  try {
    return listEntries(bytes, LIMITS);
  } catch (error) {
    throw error instanceof ZipReadError ? workbookError(error) : error;
  }
}

/** Yields a part's inflated bytes, stopping when it exceeds its declared size or `cap`. */
function* inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  cap: number,
): Generator<Uint8Array> {
  try {
    yield* inflateZipEntry(bytes, entry, cap);
  } catch (error) {
    throw error instanceof ZipReadError ? workbookError(error) : error;
  }
}

function partText(bytes: Uint8Array, entry: ZipEntry, cap: number): string {
  const decoder = new TextDecoder();
  let text = "";
  for (const chunk of inflateEntry(bytes, entry, cap)) {
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Feeds a part's XML to a SAX parser, chunk by chunk; `each` runs between chunks. */
function* saxPart(
  bytes: Uint8Array,
  entry: ZipEntry,
  cap: number,
  parser: SaxesParser,
): Generator<void> {
  const decoder = new TextDecoder();
  try {
    for (const chunk of inflateEntry(bytes, entry, cap)) {
      parser.write(decoder.decode(chunk, { stream: true }));
      yield;
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof Error && error.name === "DataError") throw error;
    corrupt(`bad XML in ${entry.name}: ${(error as Error).message}`);
  }
}

function attrsOf(
  tag: { attributes: Record<string, unknown> },
): Record<string, string> {
  return tag.attributes as Record<string, string>;
}

function resolveTarget(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = ["xl"];
  for (const piece of target.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== ".") parts.push(piece);
  }
  return parts.join("/");
}

/** Returns every attribute set of the tags named `name` in a small XML part. */
function tagsIn(xml: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    if (tag.name === name || tag.name.endsWith(`:${name}`)) {
      out.push(attrsOf(tag));
    }
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    corrupt(`bad XML: ${(error as Error).message}`);
  }
  return out;
}

const BUILTIN_DATE_FORMATS = new Set([
  14,
  15,
  16,
  17,
  18,
  19,
  20,
  21,
  22,
  27,
  28,
  29,
  30,
  31,
  32,
  33,
  34,
  35,
  36,
  45,
  47,
  50,
  51,
  52,
  53,
  54,
  55,
  56,
  57,
  58,
]);
// 46 ([h]:mm:ss) is a duration, so it is not among the date formats.
const TIME_ONLY_BUILTINS = new Set([18, 19, 20, 21, 45, 47]);

type DateKind = "date" | "time" | null;

function formatKind(code: string): DateKind {
  const quoted = code.replace(/"[^"]*"/g, "").replace(/\\./g, "");
  // [h]:mm and the like show a duration, not a time of day.
  if (/\[(h+|m+|s+)\]/i.test(quoted)) return null;
  const bare = quoted.replace(/\[[^\]]*\]/g, "").toLowerCase();
  if (bare === "general" || !/[dmyhs]/.test(bare)) return null;
  // "mmm" is a month's name, never minutes.
  return /[dy]|mmm/.test(bare) ? "date" : "time";
}

/** Which cell styles (cellXfs indexes) show numbers as dates or times. */
function dateStyles(xml: string): DateKind[] {
  const custom = new Map<number, DateKind>();
  for (const f of tagsIn(xml, "numFmt")) {
    custom.set(Number(f.numFmtId), formatKind(f.formatCode ?? ""));
  }
  const kinds: DateKind[] = [];
  let inXfs = false;
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    if (tag.name === "cellXfs") inXfs = true;
    else if (inXfs && tag.name === "xf") {
      const id = Number(attrsOf(tag).numFmtId ?? 0);
      kinds.push(
        custom.has(id)
          ? custom.get(id)!
          : BUILTIN_DATE_FORMATS.has(id)
          ? (TIME_ONLY_BUILTINS.has(id) ? "time" : "date")
          : null,
      );
    }
  });
  parser.on("closetag", (tag) => {
    if (tag.name === "cellXfs") inXfs = false;
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    corrupt(`bad XML in styles: ${(error as Error).message}`);
  }
  return kinds;
}

function sharedStrings(bytes: Uint8Array, entry: ZipEntry): string[] {
  const strings: string[] = [];
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    if (tag.name === "si") current = "";
    else if (tag.name === "rPh") phonetic++;
    else if (tag.name === "t" && phonetic === 0) inText = true;
  });
  parser.on("text", (text) => {
    if (inText && current !== null) current += text;
  });
  parser.on("cdata", (text) => {
    if (inText && current !== null) current += text;
  });
  parser.on("closetag", (tag) => {
    if (tag.name === "t") inText = false;
    else if (tag.name === "rPh") phonetic--;
    else if (tag.name === "si") {
      strings.push(current ?? "");
      current = null;
    }
  });
  for (const _ of saxPart(bytes, entry, MAX_SHARED_STRINGS_BYTES, parser)) {
    // consumed as it is read
  }
  return strings;
}

function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Returns an Excel serial day as ISO text: a date, a date-time, or a time of day. */
export function excelSerialToIso(
  serial: number,
  kind: "date" | "time",
  date1904 = false,
): string {
  // Excel counts a 29 February 1900 that never was: serials before it are a day later.
  const epoch = date1904
    ? Date.UTC(1904, 0, 1)
    : Date.UTC(1899, 11, serial < 61 ? 31 : 30);
  // Stored times are binary fractions of a day: round to the second shown.
  const ms = Math.round(serial * 86_400) * 1000;
  const d = new Date(epoch + ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${
    pad(d.getUTCSeconds())
  }`;
  if (kind === "time" && serial < 1) return time;
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${
    pad(d.getUTCDate())
  }`;
  return ms % 86_400_000 === 0 ? day : `${day}T${time}`;
}

/**
 * Opens a workbook: checks the archive, finds the sheet (`sheet` is a name or
 * a 1-based number; the first sheet by default) and returns its info and a
 * generator of row batches (the first non-empty row is the header).
 */
export function openXlsx(
  bytes: Uint8Array,
  sheet?: string,
): { info: XlsxSheetInfo; rows: Generator<RawCell[][]> } {
  const entries = listZipEntries(bytes);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const workbookEntry = byName.get("xl/workbook.xml");
  if (!workbookEntry) {
    throw unreadable(
      "not_xlsx",
      "the file is a ZIP archive but not an XLSX workbook (it has no xl/workbook.xml)",
    );
  }
  const small = 64 * 1024 ** 2;
  const workbook = partText(bytes, workbookEntry, small);
  const date1904 = tagsIn(workbook, "workbookPr").some((p) =>
    p.date1904 === "1" || p.date1904 === "true"
  );
  const sheets = tagsIn(workbook, "sheet");
  if (sheets.length === 0) corrupt("the workbook lists no sheets");
  const relsEntry = byName.get("xl/_rels/workbook.xml.rels");
  const rels = relsEntry
    ? tagsIn(partText(bytes, relsEntry, small), "Relationship")
    : [];
  const targetOf = (id: string) => rels.find((r) => r.Id === id)?.Target;
  const relOfType = (suffix: string) =>
    rels.find((r) => (r.Type ?? "").endsWith(suffix))?.Target;

  const names = sheets.map((s) => s.name ?? "");
  let index = 0;
  if (sheet !== undefined && sheet !== "") {
    const byTitle = names.findIndex((n) =>
      n.toLowerCase() === sheet.toLowerCase()
    );
    const byNumber = /^\d+$/.test(sheet) ? Number(sheet) - 1 : -1;
    index = byTitle !== -1 ? byTitle : byNumber;
    if (index < 0 || index >= names.length) {
      throw unreadable(
        "no_such_sheet",
        `the workbook has no sheet "${sheet}"; its sheets are ${
          names.map((n) => `"${n}"`).join(", ")
        }`,
      );
    }
  }
  const chosen = sheets[index];
  const target = targetOf(chosen["r:id"] ?? "") ??
    `worksheets/sheet${index + 1}.xml`;
  const sheetEntry = byName.get(resolveTarget(target));
  if (!sheetEntry) corrupt(`the sheet "${names[index]}" is missing`);

  const stringsName = resolveTarget(
    relOfType("/sharedStrings") ?? "sharedStrings.xml",
  );
  const stylesName = resolveTarget(relOfType("/styles") ?? "styles.xml");
  const strings = byName.has(stringsName)
    ? sharedStrings(bytes, byName.get(stringsName)!)
    : [];
  const styles = byName.has(stylesName)
    ? dateStyles(partText(bytes, byName.get(stylesName)!, small))
    : [];

  return {
    info: { sheets: names, sheet: names[index] },
    rows: sheetRows(bytes, sheetEntry!, strings, styles, date1904),
  };
}

function* sheetRows(
  bytes: Uint8Array,
  entry: ZipEntry,
  strings: string[],
  styles: DateKind[],
  date1904: boolean,
): Generator<RawCell[][]> {
  let batch: RawCell[][] = [];
  let row: RawCell[] | null = null;
  let col = 0;
  let type = "n";
  let style = 0;
  let value = "";
  let inValue = false;
  let inInline = false;
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => {
    switch (tag.name) {
      case "row":
        row = [];
        col = 0;
        break;
      case "c": {
        const a = attrsOf(tag);
        col = a.r ? columnIndex(a.r) : col;
        type = a.t ?? "n";
        style = Number(a.s ?? 0);
        value = "";
        break;
      }
      case "v":
        inValue = true;
        break;
      case "is":
        inInline = true;
        break;
      case "t":
        if (inInline) inValue = true;
        break;
    }
  });
  const onText = (text: string) => {
    if (inValue) value += text;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", (tag) => {
    switch (tag.name) {
      case "v":
      case "t":
        inValue = false;
        break;
      case "is":
        inInline = false;
        break;
      case "c": {
        if (!row) break;
        let cell: RawCell = null;
        if (type === "s") cell = strings[Number(value)] ?? null;
        else if (type === "b") {
          cell = value === "1" ? true : value === "0" ? false : null;
        } else if (
          type === "inlineStr" || type === "str" || type === "e" || type === "d"
        ) {
          cell = value;
        } else if (value !== "") {
          const n = Number(value);
          const kind = styles[style];
          cell = Number.isFinite(n)
            ? (kind ? excelSerialToIso(n, kind, date1904) : n)
            : value;
        }
        if (typeof cell === "string") cell = cell.trim();
        while (row.length < col) row.push(null);
        row[col] = cell;
        col++;
        break;
      }
      case "row":
        if (row && row.some((c) => c !== null && c !== "")) batch.push(row);
        row = null;
        break;
    }
  });
  for (const _ of saxPart(bytes, entry, MAX_PART_BYTES, parser)) {
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
