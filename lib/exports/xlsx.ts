/**
 * XLSX export: a real workbook written by ExcelJS. Sheet "Data" holds the
 * snapshot with typed cells (numbers as numbers; ISO dates as Excel dates
 * formatted to their precision, yyyy / yyyy-mm / yyyy-mm-dd), a bold header
 * row that stays frozen and filterable; sheet "About" holds the chart's
 * title, provenance and interpretation.
 *
 * Text cells are stored as text, which Excel never evaluates, so unlike CSV a
 * formula-like value needs no leading quote and reads back exactly. The
 * workbook is built in memory (it is about the size of the snapshot, which
 * the exporter already holds) and then handed over as one buffer.
 */
import ExcelJS from "exceljs";
import type { Cell, Column } from "../charts/spec.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { xmlSafe } from "./escape.ts";
import { type DatePrecision, parseIsoDate } from "./cells.ts";

const MIME =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Excel's limit on the characters in one cell. */
const MAX_CELL_CHARS = 32_767;

/** The Excel number format that shows a date at its precision. */
const DATE_FORMATS: Record<DatePrecision, string> = {
  year: "yyyy",
  month: "yyyy-mm",
  day: "yyyy-mm-dd",
};

function text(value: string): string {
  return xmlSafe(value).slice(0, MAX_CELL_CHARS);
}

function cellValue(
  column: Column,
  cell: Cell | undefined,
): { value: ExcelJS.CellValue; numFmt?: string } {
  if (cell === null || cell === undefined) return { value: null };
  if (typeof cell === "number") return { value: cell };
  if (column.type === "date") {
    const parsed = parseIsoDate(cell);
    if (parsed) {
      return { value: parsed.date, numFmt: DATE_FORMATS[parsed.precision] };
    }
  }
  return { value: text(cell) };
}

function dataSheet(workbook: ExcelJS.Workbook, input: ExportInput): void {
  const { columns, rows } = input.snapshot;
  const sheet = workbook.addWorksheet("Data", {
    views: [{ state: "frozen", xSplit: 0, ySplit: 1 }],
  });
  const header = sheet.addRow(columns.map((c) => text(c.name)));
  header.font = { bold: true, color: { argb: "FF1F2328" } };
  header.fill = {
    type: "pattern",
    pattern: "solid",
    fgColor: { argb: "FFE8ECF2" },
  };
  header.border = { bottom: { style: "thin", color: { argb: "FF8A8D96" } } };
  const widths = columns.map((c) => Math.max(8, c.name.length + 2));
  for (const row of rows) {
    const values = columns.map((column, i) => cellValue(column, row[i]));
    const added = sheet.addRow(values.map((v) => v.value));
    values.forEach((v, i) => {
      if (v.numFmt) added.getCell(i + 1).numFmt = v.numFmt;
      const shown = v.numFmt
        ? v.numFmt.length
        : String(row[i] ?? "").split("\n")[0].length;
      widths[i] = Math.max(widths[i], Math.min(60, shown + 2));
    });
  }
  columns.forEach((column, i) => {
    const sheetColumn = sheet.getColumn(i + 1);
    sheetColumn.width = widths[i];
    if (column.type === "number") {
      sheetColumn.alignment = { horizontal: "right" };
    }
  });
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: 1, column: columns.length },
  };
}

function aboutSheet(workbook: ExcelJS.Workbook, input: ExportInput): void {
  const sheet = workbook.addWorksheet("About");
  sheet.getColumn(1).width = 18;
  sheet.getColumn(2).width = 100;
  const { spec, provenance } = input;
  const entries: [string, string | number][] = [
    ["Title", input.title],
    ...(spec.subtitle ? [["Subtitle", spec.subtitle] as [string, string]] : []),
    ["Chart type", spec.type],
    ["X axis", spec.xLabel ?? spec.x],
    ["Series", spec.series.join(", ")],
    ...(spec.group ? [["Grouped by", spec.group] as [string, string]] : []),
    ...(provenance
      ? [
        ["Dataset", provenance.dataset],
        ["Query", provenance.query],
        ["Result rows", provenance.rowCount],
        ["Query time (ms)", provenance.executionMs],
      ] as [string, string | number][]
      : []),
    ["Interpretation", input.interpretation ?? ""],
    ["Rows in Data", input.snapshot.rows.length],
    ["Exported by", "Chartroom"],
  ];
  for (const [key, value] of entries) {
    const row = sheet.addRow([
      key,
      typeof value === "number" ? value : text(value),
    ]);
    row.getCell(1).font = { bold: true };
    row.alignment = { vertical: "top", wrapText: true };
  }
}

/** Returns the chart's data as an XLSX workbook. */
export async function renderXlsx(input: ExportInput): Promise<ExportResult> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Chartroom";
  workbook.title = text(input.title);
  dataSheet(workbook, input);
  aboutSheet(workbook, input);
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    body: new Uint8Array(buffer as ArrayBuffer),
    mime: MIME,
    extension: "xlsx",
  };
}

/** The XLSX exporter. */
export const xlsxExporter: Exporter<Record<string, never>> = {
  mime: MIME,
  extension: "xlsx",
  options: NoOptions,
  render: renderXlsx,
};
