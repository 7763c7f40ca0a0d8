/**
 * PNG rendering: ECharts SSR lays the chart out, resvg (compiled to wasm)
 * rasterises it, with plain rectangles and large scatter series drawn
 * straight into the pixels (scene.ts), and the pixels are deflated by zlib
 * (png_encode.ts). The work runs in the render worker pool (render_pool.ts),
 * off the thread that serves requests.
 *
 * Warm medians for the peer charts at 800×400, scale 2, on 2 cores (see
 * bench/): line 1,000 points ~30 ms, bar 50×3 ~26 ms, pie ~24 ms, scatter
 * 10,000 points ~32 ms; the naive path (ECharts SVG straight through resvg)
 * took 114 / 72 / 35 / 527 ms.
 */
import { badRequest } from "@/lib/errors.ts";
import { logMissingGlyphs } from "./fonts.ts";
import { getRenderPool } from "./render_pool.ts";

/** Bounds a PNG request must keep: CSS pixels and the device-pixel scale. */
export const PNG_LIMITS = {
  minWidth: 100,
  maxWidth: 4000,
  minHeight: 100,
  maxHeight: 4000,
  minScale: 1,
  maxScale: 4,
} as const;

/** What to draw: CSS size, device-pixel scale and background colour. */
export interface PngOptions {
  width: number;
  height: number;
  /** Device pixels per CSS pixel; the PNG is width*scale × height*scale. */
  scale?: number;
  /** A CSS colour or "transparent"; defaults to the option's, else white. */
  background?: string;
}

/** Hex, rgb()/rgba(), a named colour or "transparent": nothing that could break out of an SVG attribute. */
const COLOR_PATTERN =
  /^(?:#[0-9a-f]{3,4}|#[0-9a-f]{6}|#[0-9a-f]{8}|[a-z]{3,30}|rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(?:,\s*[\d.]+%?\s*)?\))$/i;

/** Returns whether `value` is a background renderPng accepts: a CSS colour or "transparent". */
export function isPngBackground(value: string): boolean {
  return COLOR_PATTERN.test(value);
}

/** Throws a 400 naming the first option outside `PNG_LIMITS` or not a valid colour. */
export function validatePngOptions(options: PngOptions): void {
  const { width, height, scale = 1, background } = options;
  const bounds = [
    ["width", width, PNG_LIMITS.minWidth, PNG_LIMITS.maxWidth],
    ["height", height, PNG_LIMITS.minHeight, PNG_LIMITS.maxHeight],
    ["scale", scale, PNG_LIMITS.minScale, PNG_LIMITS.maxScale],
  ] as const;
  for (const [name, value, min, max] of bounds) {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw badRequest(
        "invalid_option",
        `${name} must be an integer from ${min} to ${max}`,
      );
    }
  }
  if (background !== undefined && !isPngBackground(background)) {
    throw badRequest(
      "invalid_option",
      "background must be a CSS colour (#rgb, #rrggbb, rgb(), a name) or transparent",
    );
  }
}

/** Returns the background a render uses: the one asked for, else the option's colour, else white. */
export function resolveBackground(
  option: Record<string, unknown>,
  background: string | undefined,
): string {
  if (background !== undefined) return background;
  return typeof option.backgroundColor === "string" &&
      isPngBackground(option.backgroundColor)
    ? option.backgroundColor
    : "#ffffff";
}

/**
 * Returns the PNG bytes of `option`, exactly width*scale × height*scale pixels,
 * rendered in the worker pool. Throws a 400 when a size, the scale or the
 * background is out of bounds; characters no server font has are logged.
 */
export async function renderPng(
  option: Record<string, unknown>,
  options: PngOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  validatePngOptions(options);
  const { width, height, scale = 1 } = options;
  const output = await getRenderPool().render({
    kind: "png",
    option,
    width,
    height,
    scale,
    background: resolveBackground(option, options.background),
  });
  if (output.kind !== "png") throw new Error("render pool: expected a PNG");
  logMissingGlyphs(output.missing, "png");
  return output.bytes;
}
