/**
 * Server-side SVG rendering of an ECharts option with ECharts SSR. The full
 * `echarts` build is used here (not the browser's tree-shaken set) because
 * `/api/render` accepts any ECharts option, whatever chart types it uses.
 *
 * ECharts lays out text (label overlap, axis-name room, legend spacing) with
 * widths it measures; on the server it has no canvas and would guess from
 * Helvetica-like widths, so labels drawn in the wider DejaVu Sans overlap or
 * get clipped. We measure with DejaVu Sans's own advance widths instead.
 */
import * as echarts from "echarts";
import { FONT_FAMILY } from "./compile.ts";

/** Pixel size of a rendered chart, in CSS pixels. */
export interface SvgSize {
  width: number;
  height: number;
}

/** The TTF bytes of DejaVu Sans, regular and bold. */
export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}

let fonts: FontFiles | undefined;

/**
 * Returns the DejaVu Sans TTFs from `static/fonts/`, read once. They ship with
 * the repo because npm files outside the module graph are not reliably in
 * Deno's cache on a fresh machine.
 */
export function loadFonts(): FontFiles {
  fonts ??= {
    regular: Deno.readFileSync(
      new URL("../../static/fonts/DejaVuSans.ttf", import.meta.url),
    ),
    bold: Deno.readFileSync(
      new URL("../../static/fonts/DejaVuSans-Bold.ttf", import.meta.url),
    ),
  };
  return fonts;
}

/**
 * Returns the SVG document for `option` at `width`×`height`. Text uses DejaVu
 * Sans (the font the PNG renderer is given); animation is always off.
 */
export function renderSvg(
  option: Record<string, unknown>,
  { width, height }: SvgSize,
): string {
  installMeasureText();
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width,
    height,
  });
  try {
    chart.setOption(serverOption(option));
    return chart.renderToSVGString();
  } finally {
    // Without dispose() zrender's timers keep the process alive.
    chart.dispose();
  }
}

function serverOption(option: Record<string, unknown>): echarts.EChartsOption {
  const textStyle = isRecord(option.textStyle) ? option.textStyle : {};
  return {
    ...option,
    animation: false,
    textStyle: { ...textStyle, fontFamily: FONT_FAMILY },
  } as echarts.EChartsOption;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

let measureInstalled = false;

function installMeasureText(): void {
  if (measureInstalled) return;
  const { regular, bold } = loadFonts();
  const widths = { regular: advanceWidths(regular), bold: advanceWidths(bold) };
  echarts.setPlatformAPI({
    measureText(text: string, font?: string) {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? "")?.[1] ?? 12);
      const table = /\b(?:bold|bolder|[6-9]00)\b/.test(font ?? "")
        ? widths.bold
        : widths.regular;
      let em = 0;
      for (const ch of text ?? "") {
        const cp = ch.codePointAt(0)!;
        const w = cp < table.length ? table[cp] : -1;
        // No glyph (CJK, emoji): a full em, as ECharts itself assumes.
        em += w >= 0 ? w : 1;
      }
      return { width: em * size } as TextMetrics;
    },
  });
  measureInstalled = true;
}

/**
 * Advance widths in em for every BMP code point DejaVu maps (-1 where it has
 * no glyph), read from the TTF's head, hhea, hmtx and cmap format 4 tables.
 */
function advanceWidths(ttf: Uint8Array): Float32Array {
  const view = new DataView(ttf.buffer, ttf.byteOffset, ttf.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    const tag = String.fromCharCode(...ttf.subarray(record, record + 4));
    tables.set(tag, view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table("head") + 18);
  const hMetrics = view.getUint16(table("hhea") + 34);
  const hmtx = table("hmtx");
  const advance = (glyph: number) =>
    view.getUint16(hmtx + 4 * Math.min(glyph, hMetrics - 1)) / unitsPerEm;

  const cmap = table("cmap");
  let sub = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const record = cmap + 4 + i * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const offset = cmap + view.getUint32(record + 4);
    if (
      view.getUint16(offset) === 4 &&
      ((platform === 3 && encoding === 1) || platform === 0)
    ) {
      sub = offset;
      break;
    }
  }
  if (sub < 0) throw new Error("font has no Unicode BMP cmap");

  const widths = new Float32Array(0x10000).fill(-1);
  const segments = view.getUint16(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const start = view.getUint16(starts + s * 2);
    const end = view.getUint16(ends + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const rangeOffset = view.getUint16(rangeOffsets + s * 2);
    for (let cp = start; cp <= end && cp < 0xffff; cp++) {
      let glyph: number;
      if (rangeOffset === 0) {
        glyph = (cp + delta) & 0xffff;
      } else {
        const at = rangeOffsets + s * 2 + rangeOffset + (cp - start) * 2;
        glyph = view.getUint16(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) widths[cp] = advance(glyph);
    }
  }
  return widths;
}
