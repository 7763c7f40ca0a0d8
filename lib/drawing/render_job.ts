/**
 * What a render is and how one is drawn, given the raster module: the code a
 * render worker runs (render_worker.ts), apart from the pool that hands out
 * the jobs, so that a worker loads neither the pool nor its metrics.
 */
import { overlongOutput, overlongText, RENDER_BUDGET } from "./budget.ts";
import type { PdfPage } from "./pdf.ts";

/**
 * A render to do: PNG bytes, a standalone SVG with text outlined, or a vector
 * drawing (SVG with text as text, and its PDF page) of an ECharts option. The
 * option may be given as its JSON text: a string crosses to a worker as one
 * copy, where thousands of small data arrays are cloned one by one.
 */
export type RenderJob =
  | {
    kind: "png";
    option: Record<string, unknown> | string;
    width: number;
    height: number;
    scale: number;
    /** A CSS colour or "transparent" (already resolved). */
    background: string;
  }
  | {
    kind: "svg";
    option: Record<string, unknown> | string;
    width: number;
    height: number;
    background: string;
  }
  /**
   * ECharts' own SVG of the option, text as text in the server fonts (the
   * SVG export), and with `pdf` that drawing as a vector PDF page too
   * (charts/pdf.ts): one job, so the PDF needs no second layout.
   */
  | {
    kind: "vector";
    option: Record<string, unknown> | string;
    width: number;
    height: number;
    background: string;
    pdf?: PdfPage;
  };

/** A finished render and the characters no server font could draw. */
export type RenderOutput =
  | { kind: "png"; bytes: Uint8Array<ArrayBuffer>; missing: string[] }
  | { kind: "svg"; svg: string; missing: string[] }
  | {
    kind: "vector";
    svg: string;
    pdf?: Uint8Array<ArrayBuffer>;
    missing: string[];
  };

/**
 * Runs `job` with the raster module (in a worker or in process); throws a
 * an invalid AppError when a text of the option or the output is over the budget.
 */
export async function runJob(
  raster: typeof import("./raster.ts"),
  job: RenderJob,
  maxOutputBytes: number = RENDER_BUDGET.maxOutputBytes,
): Promise<RenderOutput> {
  const option = typeof job.option === "string"
    ? JSON.parse(job.option)
    : job.option;
  const overlong = overlongText(option);
  if (overlong) throw overlong;
  const output = await drawJob(raster, job, option);
  const tooLarge = overlongOutput(outputBytes(output), maxOutputBytes);
  if (tooLarge) throw tooLarge;
  return output;
}

/** Bytes of an output (an SVG counted in UTF-16 units: at most its UTF-8 size). */
function outputBytes(output: RenderOutput): number {
  switch (output.kind) {
    case "png":
      return output.bytes.length;
    case "svg":
      return output.svg.length;
    case "vector":
      return Math.max(output.svg.length, output.pdf?.length ?? 0);
  }
}

async function drawJob(
  raster: typeof import("./raster.ts"),
  job: RenderJob,
  option: Record<string, unknown>,
): Promise<RenderOutput> {
  if (job.kind === "png") {
    const { value, missing } = await raster.rasterPng(option, job);
    return { kind: "png", bytes: value, missing };
  }
  if (job.kind === "vector") {
    // Loaded already in a worker (raster.ts uses it); on first use in process.
    const { renderSvg } = await import("./svg.ts");
    const { svg, missing } = renderSvg(
      { ...option, backgroundColor: job.background },
      job,
    );
    if (!job.pdf) return { kind: "vector", svg, missing };
    const { pdfFromSvg } = await import("./pdf.ts");
    const pdf = await pdfFromSvg(svg, job.pdf);
    return { kind: "vector", svg, pdf, missing };
  }
  const { value, missing } = await raster.outlinedSvg(option, job);
  return { kind: "svg", svg: value, missing };
}
