/**
 * SVG export: the chart drawn by the same ECharts SSR renderer as the PNG, as
 * a standalone SVG document. Text stays text in the font family the layout
 * was measured with (DejaVu Sans, then Verdana, whose metrics are nearly the
 * same); with `fonts=embed` the DejaVu Sans TTFs travel inside the file as
 * data URIs (about 2 MB), so it looks identical on a machine without them.
 */
import { z } from "zod";
import { Buffer } from "node:buffer";
import { compileOption } from "../charts/compile.ts";
import { loadFonts, renderSvg } from "../charts/svg.ts";
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
 * Returns the standalone SVG text of a chart: an XML declaration, a `<title>`
 * for screen readers and, when asked, the fonts embedded.
 */
export function chartSvg(
  input: ExportInput,
  options: Partial<SvgExportOptions> = {},
): string {
  const { width = 800, height = 450, background = "#ffffff" } = options;
  const option = compileOption(input.spec, input.snapshot);
  const svg = renderSvg({ ...option, backgroundColor: background }, {
    width,
    height,
  });
  const open = svg.indexOf(">") + 1;
  const head = `<title>${escapeXml(input.title)}</title>` +
    (options.fonts === "embed" ? fontFaces() : "");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.slice(0, open)}${head}${
    svg.slice(open)
  }`;
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
export function renderSvgExport(
  input: ExportInput,
  options: SvgExportOptions,
): ExportResult {
  return {
    body: new TextEncoder().encode(chartSvg(input, options)),
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
