/**
 * In-process rendering with resvg compiled to wasm: the work a render worker
 * does (and the fallback when workers are unavailable). resvg-wasm sees no
 * system fonts, so the server fonts are handed to it on every render; only
 * the configured extra fonts a chart's text needs are passed, because each
 * one is copied into wasm and indexed per render (~12 ms for a CJK .ttc).
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { chartTexts, renderSvg, serverOption, withChart } from "./svg.ts";
import { fontsForTexts, getFontSet } from "./fonts.ts";
import { encodePng } from "./png_encode.ts";
import { compileResvg } from "./resvg_wasm.ts";
import {
  type Canvas,
  cutSprite,
  fillRect,
  type Sprite,
  SPRITE_STEPS,
  stampPoints,
} from "./overlays.ts";
import { planScene, type StampOverlay } from "./scene.ts";

const DEFAULT_FAMILY = "DejaVu Sans";

/** What to draw: CSS size, device-pixel scale and a resolved background. */
export interface RasterOptions {
  width: number;
  height: number;
  scale: number;
  /** A CSS colour or "transparent". */
  background: string;
}

/** A rendered image and the characters no server font could draw. */
export interface RasterResult<T> {
  value: T;
  missing: string[];
}

let engine: Promise<void> | undefined;

/** Loads the resvg wasm once per isolate; a failed load is retried on the next call. */
export function readyRaster(): Promise<void> {
  engine ??= compileResvg().then((module) => initWasm(module)).catch((err) => {
    engine = undefined;
    throw err;
  });
  return engine;
}

function resvgFonts(texts: Iterable<string>) {
  const set = getFontSet();
  const { extra, missing } = fontsForTexts(set, texts);
  const fontBuffers = [
    set.regular.bytes,
    set.bold.bytes,
    ...extra.map((i) => set.extra[i].bytes),
  ];
  return {
    missing,
    font: {
      fontBuffers,
      defaultFontFamily: DEFAULT_FAMILY,
      sansSerifFamily: DEFAULT_FAMILY,
    },
  };
}

/**
 * Frees a pixel buffer now: detaching an ArrayBuffer releases its memory at
 * once, where a dropped one waits for a GC that V8 starts only after ~64 MB
 * of such buffers (13 renders' worth) pile up in each worker.
 */
function release(pixels: Uint8Array): void {
  (pixels.buffer as ArrayBuffer).transfer(0);
}

/** Runs resvg on `svg` and returns its RGBA pixels (premultiplied when transparent). */
function rasterizeSvg(
  svg: string,
  scale: number,
  background: string,
  font: ReturnType<typeof resvgFonts>["font"],
): { pixels: Uint8Array; width: number; height: number } {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    ...(background === "transparent" ? {} : { background }),
    font,
  });
  try {
    const image = resvg.render();
    try {
      return { pixels: image.pixels, width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/**
 * Returns the PNG of `option` drawn the fast way (scene.ts): resvg for most
 * shapes, overlays for plain rectangles and large scatter series.
 */
export async function rasterPng(
  option: Record<string, unknown>,
  options: RasterOptions,
): Promise<RasterResult<Uint8Array<ArrayBuffer>>> {
  const { width, height, scale, background } = options;
  // Laid out first: on a cold start the wasm finishes compiling meanwhile.
  const scene = planScene(option, { width, height });
  const { font, missing } = resvgFonts(scene.texts);
  await readyRaster();
  const image = rasterizeSvg(scene.svg, scale, background, font);
  if (scene.overlays.length > 0) {
    const canvas: Canvas = {
      pixels: new Uint8ClampedArray(
        image.pixels.buffer,
        image.pixels.byteOffset,
        image.pixels.byteLength,
      ),
      width: image.width,
      height: image.height,
    };
    for (const overlay of scene.overlays) {
      if (overlay.kind === "rect") {
        const { box, rgba } = overlay;
        const a = rgba[3] * 255;
        fillRect(canvas, {
          x0: box.x * scale,
          y0: box.y * scale,
          x1: (box.x + box.width) * scale,
          y1: (box.y + box.height) * scale,
          color: [rgba[0] * rgba[3], rgba[1] * rgba[3], rgba[2] * rgba[3], a],
        });
      } else {
        stampPoints(
          canvas,
          spriteFor(overlay, scale),
          overlay.points,
          scale,
          overlay.keep,
        );
      }
    }
  }
  return { value: finishPng(image, background), missing };
}

/** Encodes a drawn image as PNG and gives its pixel buffer back. */
function finishPng(
  image: { pixels: Uint8Array; width: number; height: number },
  background: string,
): Uint8Array<ArrayBuffer> {
  const png = encodePng(
    image.pixels,
    image.width,
    image.height,
    background === "transparent",
  );
  release(image.pixels);
  return png;
}

/**
 * Returns the PNG of `option` the plain way: ECharts' whole SVG through
 * resvg. The reference the fast path is compared against.
 */
export async function referencePng(
  option: Record<string, unknown>,
  options: RasterOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  await readyRaster();
  const { width, height, scale, background } = options;
  const { svg } = renderSvg({ ...option, backgroundColor: background }, {
    width,
    height,
  });
  const image = rasterizeSvg(svg, scale, background, resvgFonts([]).font);
  return finishPng(image, background);
}

/**
 * Returns a standalone SVG of `option`: ECharts' SVG normalised by resvg,
 * with every text turned into outlines of the server fonts, so it looks the
 * same as the PNG wherever it is opened (no font needed, nothing to load).
 */
export async function outlinedSvg(
  option: Record<string, unknown>,
  options: Omit<RasterOptions, "scale">,
): Promise<RasterResult<string>> {
  await readyRaster();
  const { width, height, background } = options;
  const withBackground = background === "transparent"
    ? { ...option, backgroundColor: "transparent" }
    : { ...option, backgroundColor: background };
  const { svg, texts } = withChart(
    serverOption(withBackground),
    { width, height },
    (chart) => ({
      svg: chart.renderToSVGString(),
      texts: chartTexts(chart),
    }),
  );
  const { font, missing } = resvgFonts(texts);
  const resvg = new Resvg(svg, { font });
  try {
    return { value: resvg.toString(), missing };
  } finally {
    resvg.free();
  }
}

const SPRITE_CACHE_SIZE = 32;
const sprites = new Map<string, Sprite>();
/** CSS size of the chart a sprite's symbol is drawn in. */
const SPRITE_CHART = 64;

/**
 * Returns the symbol image of a stamped series at `scale`: ECharts draws one
 * point of the series (same symbol, size, offset, rotation, style, colour)
 * in its normal, per-point mode, and resvg renders that at every sub-pixel
 * offset. Cached by look.
 */
function spriteFor(stamp: StampOverlay, scale: number): Sprite {
  const key = JSON.stringify([stamp.seriesOption, stamp.color, scale]);
  const hit = sprites.get(key);
  if (hit) {
    sprites.delete(key);
    sprites.set(key, hit);
    return hit;
  }
  const m = SPRITE_CHART;
  const itemStyle = typeof stamp.seriesOption.itemStyle === "object"
    ? stamp.seriesOption.itemStyle
    : {};
  const mini = {
    animation: false,
    grid: { left: 0, right: 0, top: 0, bottom: 0 },
    xAxis: { type: "value", min: 0, max: m, show: false },
    yAxis: { type: "value", min: 0, max: m, show: false },
    series: [{
      ...stamp.seriesOption,
      data: [[m / 2, m / 2]],
      large: false,
      progressive: 0,
      clip: false,
      label: { show: false },
      itemStyle: { ...itemStyle, color: stamp.color },
    }],
  };
  const { body, reach } = withChart(
    serverOption(mini),
    { width: m, height: m },
    (chart) => {
      const list = chart.getZr().storage.getDisplayList(true);
      let reach = 1;
      for (const el of list) {
        const r = el.getPaintRect();
        reach = Math.max(
          reach,
          Math.abs(r.x - m / 2),
          Math.abs(r.y - m / 2),
          Math.abs(r.x + r.width - m / 2),
          Math.abs(r.y + r.height - m / 2),
        );
      }
      const svg = chart.renderToSVGString();
      return {
        body: svg.slice(svg.indexOf(">") + 1, svg.lastIndexOf("<")),
        reach,
      };
    },
  );
  const cell = Math.ceil(2 * reach * scale) + 4;
  const origin = Math.floor(cell / 2);
  const steps = SPRITE_STEPS;
  const side = cell * steps;
  const parts: string[] = [];
  for (let fy = 0; fy < steps; fy++) {
    for (let fx = 0; fx < steps; fx++) {
      const tx = (fx * cell + origin + fx / steps) / scale - m / 2;
      const ty = (fy * cell + origin + fy / steps) / scale - m / 2;
      parts.push(`<g transform="translate(${tx} ${ty})">${body}</g>`);
    }
  }
  const sheetSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" ` +
    `height="${side}" viewBox="0 0 ${side / scale} ${side / scale}">` +
    parts.join("") + "</svg>";
  const sheet = rasterizeSvg(sheetSvg, 1, "transparent", resvgFonts([]).font);
  const sprite = cutSprite(sheet.pixels, sheet.width, cell, origin);
  sprites.set(key, sprite);
  if (sprites.size > SPRITE_CACHE_SIZE) {
    sprites.delete(sprites.keys().next().value!);
  }
  return sprite;
}
