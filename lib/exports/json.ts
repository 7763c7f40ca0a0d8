/**
 * JSON export, format version 1: one object holding everything a program
 * needs to redraw or re-analyse the chart.
 *
 * ```
 * {
 *   "format_version": 1,
 *   "title": string,
 *   "chart": ChartSpec,                       // type, x, series, labels…
 *   "data": { "columns": [{name, type, label?}], "rows": [[cell…]…] },
 *   "echarts_option": object,                 // what the canvas draws
 *   "provenance": {dataset, query, row_count, execution_ms} | null,
 *   "interpretation": string | null,
 *   "exported_at": ISO 8601 timestamp,
 *   "generator": "Chartroom"
 * }
 * ```
 * Cells are strings, numbers or null, exactly as in the artifact. Rows stream
 * one per line in batches.
 */
import { compileOption } from "@/lib/charts/compile.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";

/** The version this module writes in `format_version`. */
export const JSON_FORMAT_VERSION = 1;

/** Rows written per stream chunk. */
const BATCH_ROWS = 1000;

/** Returns the chart as a stream of JSON bytes in the documented shape. */
export function renderJson(input: ExportInput): ExportResult {
  const { spec, snapshot, provenance } = input;
  const option = compileOption(spec, snapshot, { interactive: true });
  const field = (name: string, value: unknown) =>
    `  ${JSON.stringify(name)}: ${JSON.stringify(value)}`;
  const headText = "{\n" + [
    field("format_version", JSON_FORMAT_VERSION),
    field("title", input.title),
    field("chart", spec),
  ].join(",\n") + ",\n" +
    `  "data": {\n    "columns": ${JSON.stringify(snapshot.columns)},\n` +
    `    "rows": [`;
  const tailText = (snapshot.rows.length ? "\n    " : "") + "]\n  },\n" + [
    field("echarts_option", option),
    field(
      "provenance",
      provenance
        ? {
          dataset: provenance.dataset,
          query: provenance.query,
          row_count: provenance.rowCount,
          execution_ms: provenance.executionMs,
        }
        : null,
    ),
    field("interpretation", input.interpretation ?? null),
    field("exported_at", new Date().toISOString()),
    field("generator", "Chartroom"),
  ].join(",\n") + "\n}\n";

  const encoder = new TextEncoder();
  const rows = snapshot.rows;
  let next = 0;
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(encoder.encode(headText));
    },
    pull(controller) {
      if (next >= rows.length) {
        controller.enqueue(encoder.encode(tailText));
        controller.close();
        return;
      }
      const batch = rows.slice(next, next + BATCH_ROWS)
        .map((row, i) =>
          (next + i === 0 ? "\n      " : ",\n      ") + JSON.stringify(row)
        )
        .join("");
      next += BATCH_ROWS;
      controller.enqueue(encoder.encode(batch));
    },
  });
  return { body, mime: "application/json; charset=utf-8", extension: "json" };
}

/** The JSON exporter. */
export const jsonExporter: Exporter<Record<string, never>> = {
  mime: "application/json; charset=utf-8",
  extension: "json",
  options: NoOptions,
  render: renderJson,
};
