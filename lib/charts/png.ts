/**
 * PNG rendering: ECharts SSR SVG (svg.ts) rasterised by resvg compiled to
 * wasm. resvg-wasm sees no system fonts, so the DejaVu Sans TTFs shipped in
 * `static/fonts/` are handed to it explicitly; without them all text vanishes.
 *
 * Where the time goes (800×400 at scale 2, warm medians on 2 cores): the
 * peer 1,000-point line takes ~11 ms ECharts → SVG, ~3 ms resvg parse (fonts
 * included), ~75 ms raster in wasm, ~20 ms PNG encode; a 10,000-point scatter
 * drawn point by point spends ~240 ms making the SVG alone (ECharts' `large`
 * mode, which compile.ts turns on for big scatters, cuts it to ~40 ms).
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
): Promise<Uint8Array<ArrayBuffer>> {
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
      loadSystemFonts: false,
    },
  });
  let pixels: Uint8Array;
  let size: [number, number];
  try {
    const image = resvg.render();
    try {
      pixels = image.pixels;
      size = [image.width, image.height];
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
  return await encodePng(
    pixels,
    size[0],
    size[1],
    background === "transparent",
  );
}

/**
 * Returns a PNG of RGBA pixels. resvg's own `asPng()` deflates inside wasm and
 * takes ~40 ms for 1600×800; unfiltered rows through the runtime's native
 * deflate (CompressionStream) take ~10–20 ms and give smaller files for charts'
 * flat colours. `premultiplied` pixels (resvg's raw output) are converted back
 * to straight alpha; with an opaque background they are already straight.
 */
async function encodePng(
  rgba: Uint8Array,
  width: number,
  height: number,
  premultiplied: boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none) is already there.
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  if (premultiplied) unpremultiply(raw, stride);
  const idat = new Uint8Array(
    await new Response(
      new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate")),
    ).arrayBuffer(),
  );
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter tricks, no interlace
  const parts = [
    PNG_SIGNATURE,
    ...chunk("IHDR", header),
    ...chunk("IDAT", idat),
    ...chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Uint8Array): Uint8Array[] {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(new TextEncoder().encode(type), 4);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc32(head.subarray(4), data));
  return [head, data, tail];
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(...parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      c = CRC_TABLE[(c ^ part[i]) & 0xff] ^ (c >>> 8);
    }
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Premultiplied to straight alpha, in place, skipping each row's filter byte. */
function unpremultiply(raw: Uint8Array, stride: number): void {
  for (let row = 0; row < raw.length; row += stride + 1) {
    for (let i = row + 1; i < row + 1 + stride; i += 4) {
      const a = raw[i + 3];
      if (a === 0 || a === 255) continue;
      raw[i] = Math.min(255, Math.round((raw[i] * 255) / a));
      raw[i + 1] = Math.min(255, Math.round((raw[i + 1] * 255) / a));
      raw[i + 2] = Math.min(255, Math.round((raw[i + 2] * 255) / a));
    }
  }
}
