/**
 * XLSX export: a real workbook (xlsx_writer.ts). Sheet "Data" holds
 * the snapshot with typed cells (numbers as numbers; ISO dates as Excel dates
 * formatted to their precision, yyyy / yyyy-mm / yyyy-mm-dd), a bold header
 * row that stays frozen and filterable; sheet "About" holds the chart's
 * title, provenance and interpretation.
 *
 * Text cells are stored as text, which Excel never evaluates, so unlike CSV a
 * formula-like value needs no leading quote and reads back exactly. The
 * snapshot is already in memory, so the workbook is handed over as one
 * buffer.
 */
import type { Cell, Column } from "@/lib/charts/spec.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { type DatePrecision, parseIsoDate } from "./cells.ts";
import {
  excelSerial,
  xlsxBytes,
  type XlsxCell,
  type XlsxDateFormat,
} from "./xlsx_writer.ts";

const MIME =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The Excel number format that shows a date at its precision. */
const DATE_FORMATS: Record<DatePrecision, XlsxDateFormat> = {
  year: "yyyy",
  month: "yyyy-mm",
  day: "yyyy-mm-dd",
};

function dataCell(column: Column, cell: Cell | undefined): XlsxCell {
  if (cell === null || cell === undefined || typeof cell === "number") {
    return cell;
  }
  if (column.type === "date") {
    const parsed = parseIsoDate(cell);
    if (parsed) {
      return {
        serial: excelSerial(parsed.date.getTime()),
        format: DATE_FORMATS[parsed.precision],
      };
    }
  }
  return cell;
}

/** Column widths in characters: the longest first line shown, 8 to 60. */
function columnWidths(input: ExportInput, rows: XlsxCell[][]): number[] {
  const { columns } = input.snapshot;
  const widths = columns.map((c) => Math.max(8, c.name.length + 2));
  for (const row of rows) {
    row.forEach((cell, i) => {
      const shown = cell !== null && typeof cell === "object"
        ? cell.format.length
        : String(cell ?? "").split("\n")[0].length;
      widths[i] = Math.max(widths[i], Math.min(60, shown + 2));
    });
  }
  return widths;
}

function aboutRows(input: ExportInput): XlsxCell[][] {
  const { spec, provenance } = input;
  return [
    ["Title", input.title],
    ...(spec.subtitle ? [["Subtitle", spec.subtitle]] : []),
    ["Chart type", spec.type],
    ["X axis", spec.xLabel ?? spec.x],
    ["Series", spec.series.join(", ")],
    ...(spec.group ? [["Grouped by", spec.group]] : []),
    ...(spec.horizontal ? [["Orientation", "horizontal"]] : []),
    ...(spec.stacked ? [["Stacked", "yes"]] : []),
    ...(spec.binWidth !== undefined ? [["Bin width", spec.binWidth]] : []),
    ...(provenance
      ? [
        ["Dataset", provenance.dataset],
        ["Query", provenance.query],
        ["Result rows", provenance.rowCount],
        ["Query time (ms)", provenance.executionMs],
      ]
      : []),
    ["Interpretation", input.interpretation ?? ""],
    ["Rows in Data", input.snapshot.rows.length],
    ["Exported by", "Chartroom"],
  ];
}

/** Returns the chart's data as an XLSX workbook. */
export async function renderXlsx(input: ExportInput): Promise<ExportResult> {
  const { columns, rows } = input.snapshot;
  const data = rows.map((row) =>
    columns.map((column, i) => dataCell(column, row[i]))
  );
  const body = await xlsxBytes({
    title: input.title,
    creator: "Chartroom",
    sheets: [
      {
        name: "Data",
        header: columns.map((c) => c.name),
        widths: columnWidths(input, data),
        rows: [data],
      },
      {
        name: "About",
        layout: "notes",
        widths: [18, 100],
        rows: [aboutRows(input)],
      },
    ],
  });
  return { body, mime: MIME, extension: "xlsx" };
}

/** The XLSX exporter. */
export const xlsxExporter: Exporter<Record<string, never>> = {
  mime: MIME,
  extension: "xlsx",
  options: NoOptions,
  render: renderXlsx,
};
