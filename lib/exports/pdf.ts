/**
 * PDF export: one page the size of the chart (CSS px at 96 dpi, so an
 * 800×450 chart is 600×337.5 pt), drawn as vectors. The chart's SVG (the same
 * one the SVG and PNG exports use) is replayed onto a PDFKit page by
 * svg-to-pdfkit, with the DejaVu Sans TTFs embedded as subsets, so text stays
 * text: selectable, searchable and sharp at any zoom.
 */
import { z } from "zod";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { loadFonts } from "../charts/svg.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { backgroundOption, sizeOptions } from "./options.ts";
import { chartSvg } from "./svg.ts";

const PdfOptions = z.strictObject({
  ...sizeOptions(),
  background: backgroundOption("#ffffff"),
});
/** Options of the PDF export. */
export type PdfExportOptions = z.output<typeof PdfOptions>;

/** PDF points per CSS pixel (72 / 96). */
const PT_PER_PX = 0.75;

const REGULAR = "DejaVuSans";
const BOLD = "DejaVuSans-Bold";

/** The part of PDFKit's API used here (it ships no types). */
interface PdfDoc {
  registerFont(name: string, src: Uint8Array): PdfDoc;
  on(event: "data", listener: (chunk: Uint8Array) => void): PdfDoc;
  on(event: "end", listener: () => void): PdfDoc;
  on(event: "error", listener: (error: unknown) => void): PdfDoc;
  end(): void;
}

type PdfDocConstructor = new (options: Record<string, unknown>) => PdfDoc;
type SvgToPdf = (
  doc: PdfDoc,
  svg: string,
  x: number,
  y: number,
  options: Record<string, unknown>,
) => void;

/** Returns the chart as a one-page PDF, streamed as PDFKit writes it. */
export function renderPdfExport(
  input: ExportInput,
  options: PdfExportOptions,
): ExportResult {
  // Rendered before the stream starts so a bad spec fails the request, not the stream.
  const svg = chartSvg(input, { ...options, fonts: "reference" });
  const width = options.width * PT_PER_PX;
  const height = options.height * PT_PER_PX;
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      const doc = new (PDFDocument as unknown as PdfDocConstructor)({
        size: [width, height],
        margin: 0,
        compress: true,
        // PDF/UA-ish basics: a title shown instead of the file name, a language.
        displayTitle: true,
        lang: "en",
        info: {
          Title: input.title,
          Creator: "Chartroom",
          Producer: "Chartroom (PDFKit)",
          ...(input.provenance
            ? { Subject: `Data: ${input.provenance.dataset}` }
            : {}),
        },
      });
      const { regular, bold } = loadFonts();
      doc.registerFont(REGULAR, regular).registerFont(BOLD, bold);
      doc.on("data", (chunk) => controller.enqueue(new Uint8Array(chunk)));
      doc.on("end", () => controller.close());
      doc.on("error", (error) => controller.error(error));
      (SVGtoPDF as unknown as SvgToPdf)(doc, svg, 0, 0, {
        width,
        height,
        preserveAspectRatio: "xMinYMin meet",
        fontCallback: (_family: string, isBold: boolean) =>
          isBold ? BOLD : REGULAR,
      });
      doc.end();
    },
  });
  return { body, mime: "application/pdf", extension: "pdf" };
}

/** The PDF exporter. */
export const pdfExporter: Exporter<PdfExportOptions> = {
  mime: "application/pdf",
  extension: "pdf",
  options: PdfOptions,
  render: renderPdfExport,
};
