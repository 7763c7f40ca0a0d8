/**
 * SVG export: the chart drawn by the same ECharts SSR renderer as the PNG, as
 * a standalone SVG document. Text stays text in the font family the layout
 * was measured with (DejaVu Sans, then Verdana, whose metrics are nearly the
 * same); with `fonts=embed` the DejaVu Sans TTFs travel inside the file as
 * data URIs (about 2 MB), so it looks identical on a machine without them.
 */
import { z } from "zod";
import { Buffer } from "node:buffer";
import { compileOption } from "@/lib/charts/compile.ts";
import { loadFonts } from "@/lib/drawing/fonts.ts";
import { drawVector, type Vector } from "@/lib/drawing/vector.ts";
import type { PdfPage } from "@/lib/drawing/pdf.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { backgroundOption, sizeOptions } from "./options.ts";
import { escapeXml } from "./escape.ts";

const SvgOptions = z.strictObject({
  ...sizeOptions(),
  background: backgroundOption("#ffffff"),
  fonts: z.enum(["reference", "embed"], {
    error: "fonts must be reference or embed",
  }).default("reference"),
});
/** Options of the SVG export. */
export type SvgExportOptions = z.output<typeof SvgOptions>;

/** MIME type of SVG files. */
export const SVG_MIME = "image/svg+xml";

/**
 * Draws a chart in the render pool and returns its standalone SVG text (an
 * XML declaration, a `<title>` for screen readers and, when asked, the fonts
 * embedded) and, with `pdf`, the same drawing as a PDF page.
 */
export async function chartVector(
  input: ExportInput,
  options: Partial<SvgExportOptions> = {},
  pdf?: PdfPage,
): Promise<Vector> {
  const { width = 800, height = 450, background = "#ffffff" } = options;
  const drawn = await drawVector({
    option: compileOption(input.spec, input.snapshot),
    width,
    height,
    background,
    pdf,
  });
  const svg = drawn.svg;
  const open = svg.indexOf(">") + 1;
  const head = `<title>${escapeXml(input.title)}</title>` +
    (options.fonts === "embed" ? fontFaces() : "");
  return {
    svg: `<?xml version="1.0" encoding="UTF-8"?>\n${svg.slice(0, open)}${head}${
      svg.slice(open)
    }`,
    pdf: drawn.pdf,
  };
}

/** Returns the standalone SVG text of a chart (see chartVector). */
export async function chartSvg(
  input: ExportInput,
  options: Partial<SvgExportOptions> = {},
): Promise<string> {
  return (await chartVector(input, options)).svg;
}

let faces: string | undefined;

function fontFaces(): string {
  if (faces) return faces;
  const { regular, bold } = loadFonts();
  const face = (weight: string, ttf: Uint8Array) =>
    `@font-face{font-family:"DejaVu Sans";font-weight:${weight};` +
    `src:url(data:font/ttf;base64,${
      Buffer.from(ttf).toString("base64")
    }) format("truetype")}`;
  faces = `<defs><style>${face("normal", regular)}${
    face("bold", bold)
  }</style></defs>`;
  return faces;
}

/** Returns the chart as an SVG file. */
export async function renderSvgExport(
  input: ExportInput,
  options: SvgExportOptions,
): Promise<ExportResult> {
  return {
    body: new TextEncoder().encode(await chartSvg(input, options)),
    mime: SVG_MIME,
    extension: "svg",
  };
}

/** The SVG exporter. */
export const svgExporter: Exporter<SvgExportOptions> = {
  mime: SVG_MIME,
  extension: "svg",
  options: SvgOptions,
  render: renderSvgExport,
};
