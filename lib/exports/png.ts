/**
 * PNG export: the chart compiled for print (no interaction) and rendered on
 * the server at a chosen size, device-pixel scale and background.
 */
import { integerOption } from "./options.ts";
import { z } from "zod";
import { compileOption } from "@/lib/charts/compile.ts";
import { isPngBackground, PNG_LIMITS, renderPng } from "@/lib/drawing/png.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";

/** Default PNG size in CSS px (16:9) and scale (a 1600×900 file). */
export const PNG_DEFAULTS = {
  width: 800,
  height: 450,
  scale: 2,
  background: "#ffffff",
} as const;

const PngOptions = z.strictObject({
  width: integerOption(
    "width",
    PNG_LIMITS.minWidth,
    PNG_LIMITS.maxWidth,
    PNG_DEFAULTS.width,
  ),
  height: integerOption(
    "height",
    PNG_LIMITS.minHeight,
    PNG_LIMITS.maxHeight,
    PNG_DEFAULTS.height,
  ),
  scale: integerOption(
    "scale",
    PNG_LIMITS.minScale,
    PNG_LIMITS.maxScale,
    PNG_DEFAULTS.scale,
  ),
  background: z.string({ error: "background must be a colour" })
    .max(40, { error: "background must be at most 40 characters" })
    .refine(isPngBackground, {
      error:
        "background must be a CSS colour (#rgb, #rrggbb, rgb(), a name) or transparent",
    })
    .default(PNG_DEFAULTS.background),
});
/** Options of the PNG export. */
export type PngExportOptions = z.output<typeof PngOptions>;

/** Returns the chart as PNG bytes. */
export async function renderPngExport(
  input: ExportInput,
  options: PngExportOptions = PNG_DEFAULTS,
): Promise<ExportResult> {
  const body = await renderPng(compileOption(input.spec, input.snapshot), {
    width: options.width,
    height: options.height,
    scale: options.scale,
    background: options.background,
  });
  return { body, mime: "image/png", extension: "png" };
}

/** The PNG exporter. */
export const pngExporter: Exporter<PngExportOptions> = {
  mime: "image/png",
  extension: "png",
  options: PngOptions,
  render: renderPngExport,
};
