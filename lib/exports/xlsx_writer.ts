/**
 * Writing XLSX workbooks as a byte stream: the chart export (a Data sheet
 * and an About sheet) and the dataset export (one sheet of any length) both
 * go through here, so a workbook from Chartroom looks the same either way.
 *
 * A workbook is a ZIP of SpreadsheetML parts (ECMA-376). The sheets are
 * written row batch by row batch with inline strings, so memory holds one
 * batch and a deflate segment (zip_deflate.ts), never the workbook. A table sheet has a bold,
 * shaded header row that stays frozen and carries a filter; numbers are
 * numbers, dates are Excel dates with a number format at their precision,
 * and text is text, which Excel never evaluates (no formula can be injected).
 *
 * Written by hand on fflate rather than with a workbook library: ExcelJS
 * (used before) builds the whole workbook as an object graph first, about a
 * kilobyte per cell, and was the largest share of a session ZIP's memory.
 */
import { Zip } from "fflate";
import { NativeDeflate } from "./zip_deflate.ts";
import { escapeXml } from "./escape.ts";
import { concatBytes } from "@/lib/bytes.ts";

/** Number formats a date cell can be shown in. */
export type XlsxDateFormat =
  | "yyyy"
  | "yyyy-mm"
  | "yyyy-mm-dd"
  | "yyyy-mm-dd hh:mm:ss";

/** A date cell: an Excel serial day number shown in `format`. */
export interface XlsxDate {
  serial: number;
  format: XlsxDateFormat;
}

/** A cell: text, a number, a boolean, a date, or empty. */
export type XlsxCell = string | number | boolean | null | undefined | XlsxDate;

/** One worksheet. */
export interface XlsxSheet {
  /** The tab's name; cut to Excel's 31 characters, `[]:*?/\` replaced. */
  name: string;
  /** A header row: bold and shaded, frozen, with a filter over the columns. */
  header?: readonly string[];
  /** Column widths in characters. */
  widths?: readonly number[];
  /**
   * "table" (default): plain cells. "notes": a key/value sheet whose cells
   * wrap and align to the top, keys (the first column) in bold.
   */
  layout?: "table" | "notes";
  /** The rows after the header, in batches. */
  rows: Iterable<XlsxCell[][]> | AsyncIterable<XlsxCell[][]>;
}

/** A workbook: its sheets in tab order and its document properties. */
export interface XlsxBook {
  sheets: readonly XlsxSheet[];
  title?: string;
  creator?: string;
}

/** How the archive is compressed. */
export interface XlsxWriteOptions {
  /** zlib level, 1 (fast) to 9 (small); default 6. */
  level?: number;
}

/** Excel's limit on the characters in one cell. */
export const MAX_CELL_CHARS = 32_767;

const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 date system (so that 1900-03-01 and later are right). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Returns the Excel serial day number of a UTC time in milliseconds. */
export function excelSerial(utcMs: number): number {
  return (utcMs - EXCEL_EPOCH_MS) / DAY_MS;
}

/** Style indexes into STYLES' cellXfs. */
const STYLE = { header: 1, key: 6, note: 7 } as const;
const DATE_STYLE: Record<XlsxDateFormat, number> = {
  "yyyy-mm-dd": 2,
  "yyyy-mm-dd hh:mm:ss": 3,
  "yyyy": 4,
  "yyyy-mm": 5,
};

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL =
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const STYLES = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  `<numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>` +
  `<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>` +
  `<numFmt numFmtId="166" formatCode="yyyy"/>` +
  `<numFmt numFmtId="167" formatCode="yyyy-mm"/></numFmts>` +
  `<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
  `<font><b/><sz val="11"/><color rgb="FF1F2328"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="3"><fill><patternFill patternType="none"/></fill>` +
  `<fill><patternFill patternType="gray125"/></fill>` +
  `<fill><patternFill patternType="solid"><fgColor rgb="FFE8ECF2"/><bgColor indexed="64"/></patternFill></fill></fills>` +
  `<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
  `<border><left/><right/><top/><bottom style="thin"><color rgb="FF8A8D96"/></bottom><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="8">` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>` +
  `<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
  `</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** Returns the column letters of a zero-based index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Returns a valid, unique tab name for each sheet. */
function tabNames(sheets: readonly XlsxSheet[]): string[] {
  const used = new Set<string>();
  return sheets.map((sheet, i) => {
    const base = sheet.name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31).trim() ||
      `Sheet${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) {
      name = `${base.slice(0, 25)} (${n})`;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

function inlineString(ref: string, text: string, style = 0): string {
  return `<c r="${ref}"${style ? ` s="${style}"` : ""} t="inlineStr"><is>` +
    `<t xml:space="preserve">${
      escapeXml(text.slice(0, MAX_CELL_CHARS))
    }</t></is></c>`;
}

function cellXml(ref: string, value: XlsxCell, style: number): string {
  if (value === null || value === undefined) return "";
  const s = style ? ` s="${style}"` : "";
  switch (typeof value) {
    case "number":
      // NaN and infinities have no cell form; they are left empty.
      return Number.isFinite(value)
        ? `<c r="${ref}"${s}><v>${value}</v></c>`
        : "";
    case "boolean":
      return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
    case "string":
      return inlineString(ref, value, style);
    default:
      return Number.isFinite(value.serial)
        ? `<c r="${ref}" s="${
          DATE_STYLE[value.format]
        }"><v>${value.serial}</v></c>`
        : "";
  }
}

/** Yields one sheet's XML in pieces: the head, a piece per batch, the tail. */
async function* sheetXml(sheet: XlsxSheet): AsyncGenerator<string> {
  const columns = Math.max(
    sheet.header?.length ?? 0,
    sheet.widths?.length ?? 0,
  );
  const letters: string[] = [];
  const letter = (i: number) => (letters[i] ??= columnLetters(i));
  const notes = sheet.layout === "notes";
  let head = `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${DOC_REL}">`;
  head += sheet.header
    ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`
    : `<sheetViews><sheetView workbookViewId="0"/></sheetViews>`;
  head += `<sheetFormatPr defaultRowHeight="15"/>`;
  if (sheet.widths?.length) {
    head += "<cols>" + sheet.widths.map((w, i) =>
      `<col min="${i + 1}" max="${i + 1}" width="${
        Math.round(Math.min(255, Math.max(1, w)) * 100) / 100
      }" customWidth="1"/>`
    ).join("") + "</cols>";
  }
  head += "<sheetData>";
  let r = 0;
  if (sheet.header) {
    r = 1;
    head += '<row r="1">' +
      sheet.header.map((name, i) =>
        inlineString(`${letter(i)}1`, name, STYLE.header)
      ).join("") + "</row>";
  }
  yield head;
  for await (const batch of sheet.rows) {
    let text = "";
    for (const row of batch) {
      r++;
      text += `<row r="${r}">`;
      for (let i = 0; i < row.length; i++) {
        const style = notes ? (i === 0 ? STYLE.key : STYLE.note) : 0;
        text += cellXml(letter(i) + r, row[i], style);
      }
      text += "</row>";
    }
    if (text) yield text;
  }
  let tail = "</sheetData>";
  if (sheet.header && columns > 0) {
    tail += `<autoFilter ref="A1:${letter(columns - 1)}1"/>`;
  }
  yield tail +
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

/** The workbook's fixed parts (all but the sheets). */
function packageParts(book: XlsxBook, names: string[]): [string, string][] {
  const sheetTypes = names.map((_, i) =>
    `<Override PartName="/xl/worksheets/sheet${
      i + 1
    }.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
  ).join("");
  const filters = book.sheets.map((sheet, i) => {
    const columns = sheet.header?.length ?? 0;
    if (!columns) return "";
    const quoted = `'${names[i].replaceAll("'", "''")}'`;
    return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${
      escapeXml(`${quoted}!$A$1:$${columnLetters(columns - 1)}$1`)
    }</definedName>`;
  }).join("");
  const created = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return [
    [
      "[Content_Types].xml",
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
      sheetTypes +
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
      `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
      `</Types>`,
    ],
    [
      "_rels/.rels",
      `${XML_HEAD}<Relationships xmlns="${REL_NS}">` +
      `<Relationship Id="rId1" Type="${DOC_REL}/officeDocument" Target="xl/workbook.xml"/>` +
      `<Relationship Id="rId2" Type="${REL_NS}/metadata/core-properties" Target="docProps/core.xml"/>` +
      `</Relationships>`,
    ],
    [
      "docProps/core.xml",
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      (book.title ? `<dc:title>${escapeXml(book.title)}</dc:title>` : "") +
      (book.creator
        ? `<dc:creator>${escapeXml(book.creator)}</dc:creator>`
        : "") +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>` +
      `</cp:coreProperties>`,
    ],
    [
      "xl/workbook.xml",
      `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${DOC_REL}"><sheets>` +
      names.map((name, i) =>
        `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${
          i + 1
        }"/>`
      ).join("") +
      `</sheets>${
        filters ? `<definedNames>${filters}</definedNames>` : ""
      }</workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `${XML_HEAD}<Relationships xmlns="${REL_NS}">` +
      names.map((_, i) =>
        `<Relationship Id="rId${
          i + 1
        }" Type="${DOC_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`
      ).join("") +
      `<Relationship Id="rId${
        names.length + 1
      }" Type="${DOC_REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    ["xl/styles.xml", STYLES],
  ];
}

const encoder = new TextEncoder();

/**
 * Yields the workbook's bytes as the ZIP is written: one step per batch of
 * rows, so a consumer that stops pulling stops the writing.
 */
async function* workbookChunks(
  book: XlsxBook,
  options: XlsxWriteOptions,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const level = options.level ?? 6;
  const ready: Uint8Array<ArrayBuffer>[] = [];
  let failure: Error | null = null;
  // fflate makes a fresh array for each chunk it emits, so none is copied.
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk as Uint8Array<ArrayBuffer>);
  });
  const drain = function* () {
    if (failure) throw failure;
    while (ready.length) yield ready.shift()!;
  };
  const names = tabNames(book.sheets);
  for (const [name, text] of packageParts(book, names)) {
    const part = new NativeDeflate(name, level);
    zip.add(part);
    part.push(encoder.encode(text), true);
  }
  yield* drain();
  for (const [i, sheet] of book.sheets.entries()) {
    const part = new NativeDeflate(`xl/worksheets/sheet${i + 1}.xml`, level);
    zip.add(part);
    for await (const piece of sheetXml(sheet)) {
      part.push(encoder.encode(piece));
      yield* drain();
    }
    part.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}

/** Returns the workbook as a byte stream, written as it is read. */
export function xlsxStream(
  book: XlsxBook,
  options: XlsxWriteOptions = {},
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return ReadableStream.from(workbookChunks(book, options));
}

/** Returns the workbook's bytes (for workbooks small enough to hold whole). */
export async function xlsxBytes(
  book: XlsxBook,
  options: XlsxWriteOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of workbookChunks(book, options)) {
    chunks.push(chunk);
    size += chunk.length;
  }
  return concatBytes(chunks, size);
}
