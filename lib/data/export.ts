/**
 * Dataset export as a byte stream, batch by batch, in CSV, TSV, XLSX, JSON
 * (an array of objects) or NDJSON. Memory holds one batch of rows (and, for
 * XLSX, the deflate window), whatever the dataset's size.
 *
 * CSV and TSV: UTF-8, CRLF, a header row, quoted where needed; text that a spreadsheet would run as a formula gets a leading `'`
 * as the chart export does. XLSX: one sheet streamed through fflate's ZIP
 * writer with inline strings, numbers as numbers and dates as real dates.
 */
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import type { ColumnType, TableCell, TableColumn } from "./table.ts";
import { neutraliseCell } from "../exports/csv.ts";

/** Formats a dataset exports to. */
export const DATASET_EXPORT_FORMATS = [
  "csv",
  "tsv",
  "xlsx",
  "json",
  "ndjson",
] as const;
export type DatasetExportFormat = typeof DATASET_EXPORT_FORMATS[number];

/** Returns whether a string names a dataset export format. */
export function isDatasetExportFormat(v: string): v is DatasetExportFormat {
  return (DATASET_EXPORT_FORMATS as readonly string[]).includes(v);
}

export const EXPORT_MIME: Record<DatasetExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  tsv: "text/tab-separated-values; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

const encoder = new TextEncoder();

/** Returns a file name for a dataset in a format: its name without extension, made safe. */
export function exportFilename(
  name: string,
  format: DatasetExportFormat,
): string {
  const stem = name.replace(/\s*\(.*\)$/, "").replace(
    /\.(csv|tsv|tab|txt|xlsx|xlsm|json|ndjson|jsonl)$/i,
    "",
  )
    .replace(/[^\p{L}\p{N}._ -]+/gu, "_").trim().slice(0, 100) || "dataset";
  return `${stem}.${format}`;
}

type Batches = AsyncIterable<TableCell[][]>;

function streamOf(
  produce: (push: (bytes: Uint8Array) => void) => AsyncGenerator<void>,
): ReadableStream<Uint8Array> {
  const queue: Uint8Array[] = [];
  let steps: AsyncGenerator<void> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      steps ??= produce((bytes) => queue.push(bytes));
      while (queue.length === 0) {
        const next = await steps.next();
        if (next.done) {
          while (queue.length) controller.enqueue(queue.shift()!);
          controller.close();
          return;
        }
      }
      while (queue.length) controller.enqueue(queue.shift()!);
    },
    async cancel() {
      await steps?.return(undefined);
    },
  }, { highWaterMark: 2 });
}

/**
 * Returns a CSV/TSV field: empty for null, formula-like text neutralised,
 * quoted (quotes doubled) when it holds the delimiter, a quote, a line break
 * or edge spaces. Writing is this simple rule; reading is left to PapaParse.
 */
function fieldWriter(delimiter: string): (v: TableCell) => string {
  const needsQuotes = delimiter === "\t"
    ? /[\t"\r\n]|^\s|\s$/
    : /[,"\r\n]|^\s|\s$/;
  return (v) => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    const s = neutraliseCell(v) as string;
    return needsQuotes.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
}

function delimited(
  columns: TableColumn[],
  batches: Batches,
  delimiter: string,
) {
  const field = fieldWriter(delimiter);
  return streamOf(async function* (push) {
    push(
      encoder.encode(
        columns.map((c) => field(c.name)).join(delimiter) + "\r\n",
      ),
    );
    yield;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      let text = "";
      for (const row of batch) {
        let line = field(row[0]);
        for (let i = 1; i < columns.length; i++) {
          line += delimiter + field(row[i]);
        }
        text += line + "\r\n";
      }
      push(encoder.encode(text));
      yield;
    }
  });
}

function objectsOf(columns: TableColumn[], batch: TableCell[][]): string[] {
  const keys = columns.map((c) => JSON.stringify(c.name) + ":");
  return batch.map((row) => {
    let s = "{";
    for (let i = 0; i < keys.length; i++) {
      if (i) s += ",";
      s += keys[i] + JSON.stringify(row[i] ?? null);
    }
    return s + "}";
  });
}

function json(columns: TableColumn[], batches: Batches) {
  return streamOf(async function* (push) {
    push(encoder.encode("["));
    let first = true;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const text = objectsOf(columns, batch).join(",\n");
      push(encoder.encode((first ? "\n" : ",\n") + text));
      first = false;
      yield;
    }
    push(encoder.encode(first ? "]\n" : "\n]\n"));
  });
}

function ndjson(columns: TableColumn[], batches: Batches) {
  return streamOf(async function* (push) {
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      push(encoder.encode(objectsOf(columns, batch).join("\n") + "\n"));
      yield;
    }
  });
}

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

function xmlText(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, "")
    .replace(/[&<>"]/g, (c) => XML_ESCAPES[c]).slice(0, 32_767);
}

function columnLetters(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** Returns the Excel serial day of an ISO date or date-time, or null. */
export function isoToExcelSerial(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(
    iso,
  );
  if (!m) return null;
  const ms = Date.UTC(
    +m[1],
    +m[2] - 1,
    +m[3],
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0),
  );
  return Number.isFinite(ms) ? (ms - EXCEL_EPOCH) / DAY_MS : null;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4"><xf/><xf fontId="1" applyFont="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>`;

function xlsxParts(sheetName: string): [string, string][] {
  return [
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${
        xmlText(sheetName)
      }" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    ],
    ["xl/styles.xml", STYLES],
  ];
}

function xlsxCell(ref: string, type: ColumnType, v: TableCell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    return Number.isFinite(v) ? `<c r="${ref}"><v>${v}</v></c>` : "";
  }
  if (typeof v === "boolean") {
    return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
  }
  if (type === "date" || type === "datetime") {
    const serial = isoToExcelSerial(v);
    if (serial !== null) {
      return `<c r="${ref}" s="${
        type === "date" ? 2 : 3
      }"><v>${serial}</v></c>`;
    }
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${
    xmlText(v)
  }</t></is></c>`;
}

function xlsx(columns: TableColumn[], batches: Batches, sheetName: string) {
  return streamOf(async function* (push) {
    let failure: Error | null = null;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      else push(chunk);
    });
    for (const [name, text] of xlsxParts(sheetName)) {
      const part = new ZipPassThrough(name);
      zip.add(part);
      part.push(encoder.encode(text), true);
    }
    const sheet = new ZipDeflate("xl/worksheets/sheet1.xml", { level: 1 });
    zip.add(sheet);
    const letters = columns.map((_, i) => columnLetters(i));
    let r = 1;
    let head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData><row r="1">`;
    columns.forEach((c, i) => {
      head += `<c r="${
        letters[i]
      }1" t="inlineStr" s="1"><is><t xml:space="preserve">${
        xmlText(c.name)
      }</t></is></c>`;
    });
    sheet.push(encoder.encode(head + "</row>"));
    yield;
    for await (const batch of batches) {
      let xml = "";
      for (const row of batch) {
        r++;
        xml += `<row r="${r}">`;
        for (let i = 0; i < columns.length; i++) {
          xml += xlsxCell(letters[i] + r, columns[i].type, row[i]);
        }
        xml += "</row>";
      }
      sheet.push(encoder.encode(xml));
      if (failure) throw failure;
      yield;
    }
    sheet.push(encoder.encode("</sheetData></worksheet>"), true);
    zip.end();
    if (failure) throw failure;
  });
}

/** Returns the dataset's rows as a stream of bytes in `format`. */
export function exportDataset(
  format: DatasetExportFormat,
  columns: TableColumn[],
  batches: Batches,
  sheetName = "Data",
): ReadableStream<Uint8Array> {
  switch (format) {
    case "csv":
      return delimited(columns, batches, ",");
    case "tsv":
      return delimited(columns, batches, "\t");
    case "json":
      return json(columns, batches);
    case "ndjson":
      return ndjson(columns, batches);
    case "xlsx":
      return xlsx(columns, batches, sheetName.slice(0, 31) || "Data");
  }
}
