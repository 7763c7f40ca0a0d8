/**
 * PDF export: one vector page the size of the chart, drawn in the render
 * pool from the same SVG the SVG export serves (charts/pdf.ts has how).
 */
import { z } from "zod";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { backgroundOption, sizeOptions } from "./options.ts";
import { chartVector } from "./svg.ts";
import type { PdfPage } from "@/lib/drawing/pdf.ts";

const PdfOptions = z.strictObject({
  ...sizeOptions(),
  background: backgroundOption("#ffffff"),
});
/** Options of the PDF export. */
export type PdfExportOptions = z.output<typeof PdfOptions>;

/**
 * Returns the chart as a one-page PDF. The page is made in the render pool
 * (pdfFromSvg on a worker thread) in the same job as the SVG it is drawn
 * from, so the chart is laid out once and never on the request thread.
 */
export async function renderPdfExport(
  input: ExportInput,
  options: PdfExportOptions,
): Promise<ExportResult> {
  const { pdf } = await chartVector(input, options, pdfPage(input, options));
  if (!pdf) throw new Error("render pool: expected a PDF");
  return { body: pdf, mime: "application/pdf", extension: "pdf" };
}

/** The PDF page of a chart: its size, title and where the data came from. */
export function pdfPage(
  input: ExportInput,
  size: { width: number; height: number },
): PdfPage {
  return {
    width: size.width,
    height: size.height,
    title: input.title,
    subject: input.provenance ? `Data: ${input.provenance.dataset}` : undefined,
  };
}

/** The PDF exporter. */
export const pdfExporter: Exporter<PdfExportOptions> = {
  mime: "application/pdf",
  extension: "pdf",
  options: PdfOptions,
  render: renderPdfExport,
};
