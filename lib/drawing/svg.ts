/**
 * Server-side SVG rendering of an ECharts option with ECharts SSR. The full
 * `echarts` build is used here (not the browser's tree-shaken set) because
 * `/api/render` accepts any ECharts option, whatever chart types it uses.
 *
 * ECharts lays out text (label overlap, axis-name room, legend spacing) with
 * widths it measures; on the server it has no canvas and would guess from
 * Helvetica-like widths, so labels drawn in the wider DejaVu Sans overlap or
 * get clipped. We measure with the server fonts' own advance widths instead
 * (DejaVu Sans, then the configured `FONT_PATHS`), choosing a fallback font
 * the way resvg does, so the layout matches what the PNG shows.
 */
import { echarts } from "./echarts_ssr.ts";
import { FONT_FAMILY } from "@/lib/charts/compile.ts";
import { fitTitle } from "@/lib/charts/title_fit.ts";
import {
  advanceOf,
  covers,
  fontsForTexts,
  getFontSet,
  isInvisible,
  type LoadedFont,
} from "./fonts.ts";

export { type FontFiles, loadFonts } from "./fonts.ts";

/** Pixel size of a rendered chart, in CSS pixels. */
export interface SvgSize {
  width: number;
  height: number;
}

/** An ECharts SSR instance (svg renderer). */
export type SsrChart = echarts.ECharts;

/**
 * Returns the SVG document for `option` at `width`×`height` and the
 * characters in it that no server font has. Text stays text in the server
 * fonts (DejaVu Sans first); animation is always off. Runs in the render
 * workers (render_pool.ts, job kind "vector").
 */
export function renderSvg(
  option: Record<string, unknown>,
  { width, height }: SvgSize,
): { svg: string; missing: string[] } {
  return withChart(serverOption(option), { width, height }, (chart) => ({
    svg: chart.renderToSVGString(),
    missing: fontsForTexts(getFontSet(), chartTexts(chart)).missing,
  }));
}

/**
 * Runs `fn` on an SSR chart showing `option` and returns its result; the
 * chart is always disposed (without dispose() zrender's timers keep the
 * process alive).
 */
export function withChart<T>(
  option: echarts.EChartsOption,
  { width, height }: SvgSize,
  fn: (chart: SsrChart) => T,
): T {
  installMeasureText();
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width,
    height,
  });
  try {
    chart.setOption(fitTitle(option as Record<string, unknown>, width));
    return fn(chart);
  } finally {
    chart.dispose();
  }
}

/** Returns `option` as the server draws it: no animation, text in the server fonts. */
export function serverOption(
  option: Record<string, unknown>,
): echarts.EChartsOption {
  const textStyle = isRecord(option.textStyle) ? option.textStyle : {};
  return {
    ...option,
    animation: false,
    textStyle: { ...textStyle, fontFamily: FONT_FAMILY },
  } as echarts.EChartsOption;
}

/** Returns every text string the chart draws (each zrender text span). */
export function chartTexts(chart: SsrChart): string[] {
  const texts: string[] = [];
  const list = chart.getZr().storage.getDisplayList(true);
  for (const el of list) {
    const text = (el as { style?: { text?: unknown } }).style?.text;
    if (el.type === "tspan" && typeof text === "string" && text) {
      texts.push(text);
    }
  }
  return texts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

let measureInstalled = false;

function installMeasureText(): void {
  if (measureInstalled) return;
  echarts.setPlatformAPI({
    measureText(text: string, font?: string) {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? "")?.[1] ?? 12);
      const bold = /\b(?:bold|bolder|[6-9]00)\b/.test(font ?? "");
      return { width: measureEm(text ?? "", bold) * size } as TextMetrics;
    },
  });
  measureInstalled = true;
}

/**
 * Width of `text` in em as resvg will set it: in DejaVu Sans when it has every
 * character; otherwise resvg falls back to the first font that has the first
 * missing one, and uses it for the whole run when it has all of them.
 */
function measureEm(text: string, bold: boolean): number {
  const set = getFontSet();
  const primary = bold ? set.bold : set.regular;
  let firstMissing = -1;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!isInvisible(cp) && !covers(primary, cp)) {
      firstMissing = cp;
      break;
    }
  }
  if (firstMissing < 0) return sumWidths(text, [primary]);
  const order = [set.regular, set.bold, ...set.extra].filter((f) =>
    f !== primary
  );
  const fallback = order.find((f) => covers(f, firstMissing));
  if (!fallback) return sumWidths(text, [primary, ...order]);
  let all = true;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!isInvisible(cp) && !covers(fallback, cp)) {
      all = false;
      break;
    }
  }
  return all
    ? sumWidths(text, [fallback])
    : sumWidths(text, [primary, fallback, ...order]);
}

function sumWidths(text: string, fonts: LoadedFont[]): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let w = -1;
    for (const font of fonts) {
      w = advanceOf(font, cp);
      if (w >= 0) break;
    }
    // No glyph anywhere (it will be logged): a full em, as ECharts assumes.
    em += w >= 0 ? w : isInvisible(cp) ? 0 : 1;
  }
  return em;
}
