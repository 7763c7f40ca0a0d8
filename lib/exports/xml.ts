/**
 * XML export: the chart's metadata, its columns with their types and its rows
 * in the documented format that `static/chartroom.xsd` defines (namespace
 * `urn:chartroom:chart:1`, served at `/static/chartroom.xsd`). Every cell is
 * an element named for its value's type (`n`, `d`, `s`, `null`), so the file
 * validates and reads back without guessing. Rows stream in batches.
 */
import type { Cell } from "@/lib/charts/spec.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { escapeXml, escapeXmlText } from "./escape.ts";
import { parseIsoDate } from "./cells.ts";

/** The namespace of format version 1. */
export const XML_NAMESPACE = "urn:chartroom:chart:1";

/** Rows written per stream chunk. */
const BATCH_ROWS = 1000;

function attr(name: string, value: string | number | boolean | undefined) {
  return value === undefined ? "" : ` ${name}="${escapeXml(String(value))}"`;
}

function element(name: string, value: string, indent: string): string {
  return `${indent}<${name}>${escapeXmlText(value)}</${name}>\n`;
}

/** Returns the XML element of one cell; a date column's ISO text becomes `<d>`. */
export function xmlCell(cell: Cell | undefined, isDate: boolean): string {
  if (cell === null || cell === undefined) return "<null/>";
  if (typeof cell === "number") return `<n>${String(cell)}</n>`;
  if (isDate && parseIsoDate(cell)) return `<d>${cell}</d>`;
  return `<s>${escapeXmlText(cell)}</s>`;
}

function head(input: ExportInput): string {
  const { spec, provenance, snapshot } = input;
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<chart xmlns="${XML_NAMESPACE}"` +
    ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` xsi:schemaLocation="${XML_NAMESPACE} chartroom.xsd"` +
    attr("format-version", 1) + attr("type", spec.type) +
    attr("exported-at", new Date().toISOString()) + ">\n";
  xml += element("title", input.title, "  ");
  if (spec.subtitle) xml += element("subtitle", spec.subtitle, "  ");
  xml += `  <encoding${attr("x", spec.x)}${attr("group", spec.group)}${
    attr("x-label", spec.xLabel)
  }${attr("y-label", spec.yLabel)}${attr("horizontal", spec.horizontal)}${
    attr("stacked", spec.stacked)
  }${attr("bin-width", spec.binWidth)}>\n`;
  for (const series of spec.series) {
    xml += `    <series${attr("column", series)}/>\n`;
  }
  xml += "  </encoding>\n";
  if (provenance) {
    xml += `  <provenance${attr("dataset", provenance.dataset)}${
      attr("row-count", provenance.rowCount)
    }${attr("execution-ms", provenance.executionMs)}>\n`;
    xml += element("query", provenance.query, "    ");
    xml += "  </provenance>\n";
  }
  if (input.interpretation) {
    xml += element("interpretation", input.interpretation, "  ");
  }
  xml += "  <columns>\n";
  for (const column of snapshot.columns) {
    xml += `    <column${attr("name", column.name)}${
      attr("type", column.type)
    }${attr("label", column.label)}/>\n`;
  }
  xml += "  </columns>\n";
  xml += `  <rows${attr("count", snapshot.rows.length)}>\n`;
  return xml;
}

/** Returns the chart and its data as a stream of XML bytes. */
export function renderXml(input: ExportInput): ExportResult {
  const { columns, rows } = input.snapshot;
  const isDate = columns.map((c) => c.type === "date");
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(encoder.encode(head(input)));
    },
    pull(controller) {
      if (next >= rows.length) {
        controller.enqueue(encoder.encode("  </rows>\n</chart>\n"));
        controller.close();
        return;
      }
      let xml = "";
      for (const row of rows.slice(next, next + BATCH_ROWS)) {
        xml += "    <row>" +
          columns.map((_, i) => xmlCell(row[i], isDate[i])).join("") +
          "</row>\n";
      }
      next += BATCH_ROWS;
      controller.enqueue(encoder.encode(xml));
    },
  });
  return { body, mime: "application/xml; charset=utf-8", extension: "xml" };
}

/** The XML exporter. */
export const xmlExporter: Exporter<Record<string, never>> = {
  mime: "application/xml; charset=utf-8",
  extension: "xml",
  options: NoOptions,
  render: renderXml,
};
