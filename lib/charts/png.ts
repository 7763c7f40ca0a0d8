/**
 * PNG rendering: ECharts SSR SVG (svg.ts) rasterised by resvg compiled to
 * wasm. resvg-wasm sees no system fonts, so the DejaVu Sans TTFs shipped in
 * `static/fonts/` are handed to it explicitly; without them all text vanishes.
 *
 * Where the time goes (800×400 at scale 2, 1,000-point line): a few ms for
 * ECharts → SVG, the rest in resvg's raster and its PNG encoder inside wasm.
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { loadFonts, renderSvg } from "./svg.ts";
import { badRequest } from "../errors.ts";
import { log } from "../log.ts";

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

const DEFAULT_FAMILY = "DejaVu Sans";

/** Hex, rgb()/rgba(), a named colour or "transparent": nothing that could break out of an SVG attribute. */
const COLOR_PATTERN =
  /^(?:#[0-9a-f]{3,4}|#[0-9a-f]{6}|#[0-9a-f]{8}|[a-z]{3,30}|rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(?:,\s*[\d.]+%?\s*)?\))$/i;

let engine: Promise<Uint8Array[]> | undefined;

/** Loads the wasm and the fonts once; a failed load is retried on the next call. */
function ready(): Promise<Uint8Array[]> {
  engine ??= load().catch((err) => {
    engine = undefined;
    throw err;
  });
  return engine;
}

async function load(): Promise<Uint8Array[]> {
  const started = performance.now();
  // The wasm sits beside resvg-wasm's JS, which the module graph already
  // pulled into the npm cache, so resolving it is safe on a fresh machine.
  const wasmUrl = new URL(
    import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"),
  );
  await initWasm(await Deno.readFile(wasmUrl));
  const { regular, bold } = loadFonts();
  log.debug("png renderer ready", {
    ms: Math.round(performance.now() - started),
  });
  return [regular, bold];
}

/** Returns whether `value` is a background renderPng accepts: a CSS colour or "transparent". */
export function isPngBackground(value: string): boolean {
  return COLOR_PATTERN.test(value);
}

/** Throws a 400 naming the first option outside `PNG_LIMITS` or not a valid colour. */
export function validatePngOptions(options: PngOptions): void {
  const { width, height, scale = 1, background } = options;
  if (
    !Number.isInteger(width) || width < PNG_LIMITS.minWidth ||
    width > PNG_LIMITS.maxWidth
  ) {
    throw badRequest(
      "invalid_option",
      `width must be an integer from ${PNG_LIMITS.minWidth} to ${PNG_LIMITS.maxWidth}`,
    );
  }
  if (
    !Number.isInteger(height) || height < PNG_LIMITS.minHeight ||
    height > PNG_LIMITS.maxHeight
  ) {
    throw badRequest(
      "invalid_option",
      `height must be an integer from ${PNG_LIMITS.minHeight} to ${PNG_LIMITS.maxHeight}`,
    );
  }
  if (
    !Number.isInteger(scale) || scale < PNG_LIMITS.minScale ||
    scale > PNG_LIMITS.maxScale
  ) {
    throw badRequest(
      "invalid_option",
      `scale must be an integer from ${PNG_LIMITS.minScale} to ${PNG_LIMITS.maxScale}`,
    );
  }
  if (background !== undefined && !isPngBackground(background)) {
    throw badRequest(
      "invalid_option",
      "background must be a CSS colour (#rgb, #rrggbb, rgb(), a name) or transparent",
    );
  }
}

/**
 * Returns the PNG bytes of `option`, exactly width*scale × height*scale pixels.
 * Throws a 400 when a size, the scale or the background is out of bounds.
 */
export async function renderPng(
  option: Record<string, unknown>,
  options: PngOptions,
): Promise<Uint8Array> {
  validatePngOptions(options);
  const { width, height, scale = 1 } = options;
  const background = options.background ??
    (typeof option.backgroundColor === "string" &&
        isPngBackground(option.backgroundColor)
      ? option.backgroundColor
      : "#ffffff");
  const fontBuffers = await ready();
  const svg = renderSvg({ ...option, backgroundColor: background }, {
    width,
    height,
  });
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    ...(background === "transparent" ? {} : { background }),
    font: {
      fontBuffers,
      defaultFontFamily: DEFAULT_FAMILY,
      sansSerifFamily: DEFAULT_FAMILY,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
