/**
 * Vector drawings of an ECharts option, made in the render pool: ECharts'
 * SVG with text as text in the server fonts and, when asked, the same drawing
 * as a one-page vector PDF. The SVG, PDF and ZIP exports and
 * `/api/render?format=pdf` use it, so no chart is laid out on the request
 * thread.
 */
import { getRenderPool } from "./render_pool.ts";
import { logMissingGlyphs } from "./fonts.ts";
import type { PdfPage } from "./pdf.ts";

/** What to draw: the option (or its JSON text), its CSS size and background. */
export interface VectorRequest {
  option: Record<string, unknown> | string;
  width: number;
  height: number;
  /** A CSS colour or "transparent" (already validated). */
  background: string;
  /** Also make a PDF page of the drawing, with this size and metadata. */
  pdf?: PdfPage;
}

/** A drawing: the SVG document and, when asked, its PDF. */
export interface Vector {
  svg: string;
  pdf?: Uint8Array<ArrayBuffer>;
}

/**
 * Returns the SVG (and PDF) of `request.option`. Rejects with a RenderError
 * when ECharts cannot draw the option; characters no server font has are
 * logged.
 */
export async function drawVector(
  request: VectorRequest & { pdf: PdfPage },
): Promise<Required<Vector>>;
export async function drawVector(request: VectorRequest): Promise<Vector>;
export async function drawVector(request: VectorRequest): Promise<Vector> {
  const output = await getRenderPool().render({ kind: "vector", ...request });
  if (output.kind !== "vector" || (request.pdf && !output.pdf)) {
    throw new Error("render pool: expected a vector drawing");
  }
  logMissingGlyphs(output.missing, request.pdf ? "pdf" : "svg");
  return { svg: output.svg, pdf: output.pdf };
}
