/**
 * The export registry. A new format is one module exporting an `Exporter`
 * plus one line in `EXPORTERS`; the format list, option parsing and errors
 * follow from it.
 */
import { z } from "zod";
import { badRequest } from "@/lib/errors.ts";
import { csvExporter } from "./csv.ts";
import { htmlExporter } from "./html.ts";
import { jsonExporter } from "./json.ts";
import { notebookExporter } from "./notebook.ts";
import { pdfExporter } from "./pdf.ts";
import { pngExporter } from "./png.ts";
import { pythonExporter } from "./python.ts";
import { requirementsExporter } from "./requirements.ts";
import { svgExporter } from "./svg.ts";
import { xlsxExporter } from "./xlsx.ts";
import { xmlExporter } from "./xml.ts";
import { zipExporter } from "./zip.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { exportFilename } from "./filename.ts";

export type { Exporter, ExportInput, ExportResult } from "./types.ts";
export { exportFilename } from "./filename.ts";

const EXPORTERS = {
  png: pngExporter,
  svg: svgExporter,
  pdf: pdfExporter,
  csv: csvExporter,
  xlsx: xlsxExporter,
  xml: xmlExporter,
  json: jsonExporter,
  html: htmlExporter,
  ipynb: notebookExporter,
  py: pythonExporter,
  requirements: requirementsExporter,
  zip: zipExporter,
} as const;

/** A format name accepted by `?format=`. */
export type ExportFormat = keyof typeof EXPORTERS;

/** Every export format, in menu order. */
export const EXPORT_FORMATS = Object.freeze(
  Object.keys(EXPORTERS),
) as readonly [ExportFormat, ...ExportFormat[]];

/** The parsed options of one format, defaults filled in. */
export type ExportOptions<F extends ExportFormat = ExportFormat> =
  (typeof EXPORTERS)[F] extends Exporter<infer O> ? O : never;

/** A validated export request: the format and its options. */
export type ParsedExport = {
  [F in ExportFormat]: { format: F; options: ExportOptions<F> };
}[ExportFormat];

/** An exported file with a safe download name. */
export type ExportFile = ExportResult & { filename: string };

/** Returns whether `format` names a registered export format. */
export function isExportFormat(format: string): format is ExportFormat {
  return Object.hasOwn(EXPORTERS, format);
}

function exporterOf(format: string): Exporter<Record<string, unknown>> {
  if (!isExportFormat(format)) {
    throw badRequest(
      "unknown_format",
      `format must be one of: ${EXPORT_FORMATS.join(", ")}`,
    );
  }
  return EXPORTERS[format] as Exporter<never> as Exporter<
    Record<string, unknown>
  >;
}

function parseOptions(
  format: ExportFormat,
  exporter: Exporter<Record<string, unknown>>,
  raw: unknown,
): Record<string, unknown> {
  const parsed = exporter.options.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const allowed = exporter.options instanceof z.ZodObject
      ? Object.keys(exporter.options.shape)
      : [];
    const names = issue.keys.map((k) => `"${k}"`).join(", ");
    throw badRequest(
      "invalid_option",
      `unknown option ${names} for ${format}` +
        (allowed.length
          ? `; allowed: ${allowed.join(", ")}`
          : "; it takes no options"),
    );
  }
  throw badRequest("invalid_option", issue.message);
}

/**
 * Returns the validated format and its options (defaults filled in) from a
 * query string's values; the caller removes the `format` key itself. Throws a
 * 400 for an unknown format, an unknown option or a value out of bounds.
 */
export function parseExportOptions(
  format: string,
  query: Record<string, string>,
): ParsedExport {
  const exporter = exporterOf(format);
  return {
    format,
    options: parseOptions(format as ExportFormat, exporter, query),
  } as ParsedExport;
}

/**
 * Returns the file of a chart in `format` named after its title. Options are
 * validated again (so `{}` means every default); a bad one is a 400.
 */
export async function exportChart<F extends ExportFormat>(
  input: ExportInput,
  format: F,
  options: Partial<ExportOptions<F>> = {},
): Promise<ExportFile> {
  const exporter = exporterOf(format);
  const parsed = parseOptions(format, exporter, options);
  const result = await exporter.render(input, parsed);
  return {
    ...result,
    filename: result.filename ?? exportFilename(input.title, result.extension),
  };
}
