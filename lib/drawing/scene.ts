/**
 * Plans a PNG render: lays the chart out with ECharts, then decides which
 * shapes resvg draws (from the SVG) and which are drawn straight into its
 * pixels afterwards (overlays.ts), and drops work that changes no pixel.
 *
 * Where the time went in the naive path (800×400 at scale 2, resvg-wasm):
 * - a `clip-path` makes resvg render the clipped group into a full-size layer
 *   and mask it: ~65 ms of the peer line chart's ~85 ms raster. ECharts clips
 *   every line series to its grid even when nothing sticks out, so a clip
 *   whose rectangle contains everything it clips is removed (same pixels);
 * - anti-aliased fractional edges of the 150 bars: ~40 ms; plain
 *   axis-aligned rectangles become overlays (exact area coverage);
 * - a 10,000-point scatter is ~220 ms of ECharts building 10,000 SVG
 *   elements and ~330 ms of resvg parsing and filling them one by one. Such
 *   series are laid out in ECharts' `large` mode (one typed array of points,
 *   ~10 ms) and each point is stamped from a symbol image rendered once, in
 *   data order, as the per-point SVG would have drawn them.
 * An overlay is only used when nothing resvg draws later in paint order
 * overlaps it, so the stacking order never changes.
 */
import { echarts } from "./echarts_ssr.ts";
import { chartTexts, serverOption, type SsrChart, withChart } from "./svg.ts";

const zrColor = echarts.color;

/** A CSS-pixel rectangle. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An axis-aligned rectangle drawn over resvg's output, colour straight RGBA (alpha 0..1). */
export interface RectOverlay {
  kind: "rect";
  box: Box;
  rgba: [number, number, number, number];
}

/** A large scatter series stamped over resvg's output. */
export interface StampOverlay {
  kind: "stamp";
  seriesIndex: number;
  /** The series' option without its data: it decides the symbol's look. */
  seriesOption: Record<string, unknown>;
  /** The series colour ECharts resolved (palette or itemStyle). */
  color: string;
  /** Point centres in CSS px, x/y pairs. */
  points: Float32Array;
  /** ECharts' rule for which points are drawn (inside the grid), or null. */
  keep: ((x: number, y: number) => boolean) | null;
}

/** One shape drawn after resvg, in paint order. */
export type Overlay = RectOverlay | StampOverlay;

/** What to rasterise: the SVG for resvg, then the overlays, plus every text drawn. */
export interface RasterScene {
  svg: string;
  overlays: Overlay[];
  texts: string[];
}

/** Fewer points than this are drawn as SVG paths; stamping pays from here. */
const STAMP_MIN_POINTS = 500;
/** Extra CSS px around an element's painted area when testing overlap. */
const OVERLAP_MARGIN = 1;

/**
 * Returns the raster plan of `option` at `size`; the SVG has no background
 * (resvg paints it). Series in `noStamp` are drawn as SVG paths.
 */
export function planScene(
  option: Record<string, unknown>,
  size: { width: number; height: number },
  noStamp: ReadonlySet<number> = new Set(),
): RasterScene {
  const base = serverOption(option) as Record<string, unknown>;
  delete base.backgroundColor;
  const stamped = stampableSeries(base, noStamp);
  if (stamped.size > 0) {
    base.series = (base.series as Record<string, unknown>[]).map((s, i) =>
      stamped.has(i)
        ? {
          ...s,
          data: packedPoints(s.data as unknown[]) ?? s.data,
          large: true,
          largeThreshold: 1,
          progressive: 0,
        }
        : s
    );
  }
  const result = withChart(
    base as echarts.EChartsOption,
    size,
    (chart) => {
      const texts = chartTexts(chart);
      const storage = storageOf(chart);
      let list = storage.getDisplayList(true);
      for (const el of list) if (drawsNothing(el)) el.invisible = true;
      if (dropNeedlessClips(list)) list = storage.getDisplayList(true);
      const stampEls = stampElements(chart, stamped, option);
      const overlays = pickOverlays(list, stampEls);
      if (typeof overlays === "number") return overlays;
      const painter = chart.getZr().painter as unknown as {
        renderToString(opts: Record<string, boolean>): string;
      };
      const svg = painter.renderToString({
        cssAnimation: false,
        cssEmphasis: false,
        useViewBox: true,
      });
      return { svg, overlays, texts };
    },
  );
  if (typeof result === "number") {
    // A stamped series would have been covered by something drawn later.
    return planScene(option, size, new Set([...noStamp, result]));
  }
  return result;
}

// The parts of zrender's elements used here (echarts ships them untyped).
interface ZrStyle {
  fill?: unknown;
  stroke?: unknown;
  opacity?: number;
  fillOpacity?: number;
  strokeOpacity?: number;
  lineWidth?: number;
  lineJoin?: string;
  lineCap?: string;
  miterLimit?: number;
  strokeNoScale?: boolean;
  shadowBlur?: number;
  shadowColor?: unknown;
  shadowOffsetX?: number;
  shadowOffsetY?: number;
  blend?: string;
  decal?: unknown;
}

interface ZrRect {
  x: number;
  y: number;
  width: number;
  height: number;
  contain?(x: number, y: number): boolean;
}

interface ZrEl {
  type: string;
  invisible: boolean;
  style: ZrStyle;
  shape?: Record<string, unknown>;
  transform: number[] | null;
  parent: ZrEl | null;
  __clipPaths?: ZrEl[];
  path?: { getBoundingRect(): ZrRect };
  symbolProxy?: unknown;
  softClipShape?: { contain(x: number, y: number): boolean } | null;
  hasFill?(): boolean;
  hasStroke?(): boolean;
  getBoundingRect(): ZrRect;
  getPaintRect(): ZrRect;
  getClipPath?(): ZrEl | undefined;
  removeClipPath?(): void;
  traverse?(cb: (el: ZrEl) => void): void;
}

function storageOf(chart: SsrChart): { getDisplayList(u: boolean): ZrEl[] } {
  return chart.getZr().storage as unknown as {
    getDisplayList(u: boolean): ZrEl[];
  };
}

/** Alpha of a paint: a colour string's alpha, 1 for gradients and patterns. */
function paintAlpha(paint: unknown): number {
  if (paint === null || paint === undefined || paint === "none") return 0;
  if (typeof paint !== "string") return 1;
  const rgba = zrColor.parse(paint);
  return rgba ? rgba[3] : 1;
}

function drawsNothing(el: ZrEl): boolean {
  const style = el.style ?? {};
  if (style.opacity === 0) return true;
  if (typeof el.hasFill !== "function" || typeof el.hasStroke !== "function") {
    return false;
  }
  const fill = el.hasFill() &&
    paintAlpha(style.fill) * (style.fillOpacity ?? 1) > 0;
  const stroke = el.hasStroke() &&
    paintAlpha(style.stroke) * (style.strokeOpacity ?? 1) > 0;
  const shadow = (style.shadowBlur ?? 0) > 0 &&
    paintAlpha(style.shadowColor) > 0;
  return !fill && !stroke && !shadow;
}

function isAxisAligned(m: number[] | null): boolean {
  return !m || (m[1] === 0 && m[2] === 0);
}

function applyTransform(box: Box, m: number[] | null): Box {
  if (!m) return box;
  const x0 = m[0] * box.x + m[4];
  const x1 = m[0] * (box.x + box.width) + m[4];
  const y0 = m[3] * box.y + m[5];
  const y1 = m[3] * (box.y + box.height) + m[5];
  return {
    x: Math.min(x0, x1),
    y: Math.min(y0, y1),
    width: Math.abs(x1 - x0),
    height: Math.abs(y1 - y0),
  };
}

/** Where an element can put ink, in CSS px: its geometry plus stroke reach. */
function inkBox(el: ZrEl): Box | null {
  if (el.invisible) return null;
  const style = el.style ?? {};
  el.getBoundingRect(); // builds a path's geometry
  if (!el.path || !isAxisAligned(el.transform) || style.shadowBlur) {
    return el.getPaintRect();
  }
  const geometry = el.path.getBoundingRect();
  let reach = 0;
  if (el.hasStroke?.()) {
    const half = (style.lineWidth ?? 1) / 2;
    if (style.strokeNoScale) return el.getPaintRect();
    reach = style.lineJoin === "miter" || style.lineJoin === undefined
      ? half * Math.max(style.miterLimit ?? 10, Math.SQRT2)
      : style.lineCap === "square"
      ? half * Math.SQRT2
      : half;
  }
  return applyTransform({
    x: geometry.x - reach,
    y: geometry.y - reach,
    width: geometry.width + 2 * reach,
    height: geometry.height + 2 * reach,
  }, el.transform);
}

function contains(outer: Box, inner: Box): boolean {
  const e = 1e-6;
  return inner.x >= outer.x - e && inner.y >= outer.y - e &&
    inner.x + inner.width <= outer.x + outer.width + e &&
    inner.y + inner.height <= outer.y + outer.height + e;
}

/** A clip path that is a plain rectangle, in CSS px, or null. */
function clipBox(clip: ZrEl): Box | null {
  if (clip.type !== "rect" || !isAxisAligned(clip.transform)) return null;
  const shape = clip.shape as unknown as ZrRect;
  if ((clip.shape as { r?: unknown }).r) return null;
  return applyTransform(
    {
      x: Math.min(shape.x, shape.x + shape.width),
      y: Math.min(shape.y, shape.y + shape.height),
      width: Math.abs(shape.width),
      height: Math.abs(shape.height),
    },
    clip.transform,
  );
}

/**
 * Removes each rectangular clip that everything it clips already fits in;
 * returns whether any was removed.
 */
function dropNeedlessClips(list: ZrEl[]): boolean {
  const verdict = new Map<ZrEl, boolean>();
  for (const el of list) {
    if (!el.__clipPaths?.length || el.invisible) continue;
    for (const clip of el.__clipPaths) {
      if (verdict.get(clip) === false) continue;
      const box = clipBox(clip);
      const ink = box && inkBox(el);
      verdict.set(clip, box !== null && ink !== null && contains(box, ink));
    }
  }
  let dropped = false;
  for (const [clip, needless] of verdict) {
    const owner = clip.parent;
    if (needless && owner?.getClipPath?.() === clip) {
      owner.removeClipPath!();
      dropped = true;
    }
  }
  return dropped;
}

/** Indexes of scatter series that can be stamped: many points, one look for all. */
function stampableSeries(
  option: Record<string, unknown>,
  noStamp: ReadonlySet<number>,
): Set<number> {
  const out = new Set<number>();
  const series = option.series;
  if (!Array.isArray(series) || option.visualMap !== undefined) return out;
  series.forEach((s, index) => {
    if (noStamp.has(index) || !isRecord(s) || s.type !== "scatter") return;
    if (s.large !== undefined && s.large !== false) return;
    if (s.colorBy === "data" || s.datasetIndex !== undefined) return;
    // Plain [x, y] on a grid only: encode, dimensions and other coordinate
    // systems are drawn as SVG paths, as ECharts would.
    if (
      (s.coordinateSystem ?? "cartesian2d") !== "cartesian2d" ||
      s.encode !== undefined || s.dimensions !== undefined ||
      s.seriesLayoutBy !== undefined
    ) return;
    const data = s.data;
    if (!Array.isArray(data) || data.length < STAMP_MIN_POINTS) return;
    if (isRecord(s.label) && s.label.show) return;
    if (isRecord(s.itemStyle) && typeof s.itemStyle.color === "object") return;
    const size = s.symbolSize;
    if (
      size !== undefined && typeof size !== "number" &&
      !(Array.isArray(size) && size.every((v) => typeof v === "number"))
    ) return;
    const symbol = s.symbol;
    if (
      symbol !== undefined &&
      (typeof symbol !== "string" || /^image:/i.test(symbol))
    ) return;
    for (const item of data) {
      // An object item may carry its own style; only bare values share one look.
      if (item !== null && typeof item === "object" && !Array.isArray(item)) {
        return;
      }
    }
    out.add(index);
  });
  return out;
}

/**
 * Returns [x, y] pairs as one Float64Array (x0, y0, x1, y1, ...), which
 * ECharts' large mode takes as is instead of cloning thousands of small
 * arrays; null when an item is anything but two numbers (or null).
 */
function packedPoints(data: unknown[]): Float64Array | null {
  const packed = new Float64Array(data.length * 2);
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (item === null) {
      packed[2 * i] = packed[2 * i + 1] = NaN;
      continue;
    }
    if (!Array.isArray(item) || item.length !== 2) return null;
    const [x, y] = item;
    if (
      (typeof x !== "number" && x !== null) ||
      (typeof y !== "number" && y !== null)
    ) return null;
    packed[2 * i] = x ?? NaN;
    packed[2 * i + 1] = y ?? NaN;
  }
  return packed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The large-mode symbol element of each stamped series, with its overlay. */
function stampElements(
  chart: SsrChart,
  stamped: ReadonlySet<number>,
  option: Record<string, unknown>,
): Map<ZrEl, StampOverlay> {
  const out = new Map<ZrEl, StampOverlay>();
  if (stamped.size === 0) return out;
  const internal = chart as unknown as {
    getModel(): {
      getSeriesByIndex(i: number): unknown;
    };
    getViewOfSeriesModel(model: unknown): { group: ZrEl } | undefined;
  };
  const series = option.series as Record<string, unknown>[];
  for (const index of stamped) {
    const model = internal.getModel().getSeriesByIndex(index);
    const view = model ? internal.getViewOfSeriesModel(model) : undefined;
    view?.group.traverse?.((el: ZrEl) => {
      if (!el.symbolProxy || !el.shape) return;
      const points = el.shape.points as Float32Array | undefined;
      const { data: _data, ...seriesOption } = series[index];
      const clip = el.softClipShape ?? null;
      out.set(el, {
        kind: "stamp",
        seriesIndex: index,
        seriesOption,
        color: typeof el.style.fill === "string" ? el.style.fill : "#000",
        points: points ? points.slice() : new Float32Array(0),
        keep: clip ? (x, y) => clip.contain(x, y) : null,
      });
    });
  }
  return out;
}

/** A plain axis-aligned rectangle as an overlay, or null. */
function rectOverlay(el: ZrEl): RectOverlay | null {
  if (el.type !== "rect" || el.__clipPaths?.length) return null;
  const style = el.style;
  if (
    style.shadowBlur || style.shadowOffsetX || style.shadowOffsetY ||
    style.blend || style.decal || el.hasStroke?.() ||
    typeof style.fill !== "string" || !isAxisAligned(el.transform)
  ) return null;
  const shape = el.shape as unknown as ZrRect & { r?: unknown };
  const radius = shape.r;
  if (Array.isArray(radius) ? radius.some((r) => r) : radius) return null;
  const rgba = zrColor.parse(style.fill);
  if (!rgba) return null;
  // zrender writes the path rounded to 10^-precision of a CSS px, as
  // "M x y l w 0 l 0 h ...": the same corners here give the same pixels.
  const m = el.transform;
  const scale = m
    ? Math.max(Math.hypot(m[0], m[1]), Math.hypot(m[2], m[3]))
    : 1;
  const p = 10 ** Math.max(Math.ceil(Math.log10(scale)), 1);
  const round = (v: number) => Math.round(v * p) / p;
  const x0 = round(shape.x), y0 = round(shape.y);
  const x1 = x0 + round(shape.width), y1 = y0 + round(shape.height);
  const box = applyTransform({
    x: Math.min(x0, x1),
    y: Math.min(y0, y1),
    width: Math.abs(x1 - x0),
    height: Math.abs(y1 - y0),
  }, m);
  const alpha = rgba[3] * (style.opacity ?? 1) * (style.fillOpacity ?? 1);
  return { kind: "rect", box, rgba: [rgba[0], rgba[1], rgba[2], alpha] };
}

/** Returns the bounding box of a stamped series' symbols, or null when empty. */
function stampBox(stamp: StampOverlay, reach: number): Box | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const p = stamp.points;
  for (let i = 0; i + 1 < p.length; i += 2) {
    const x = p[i], y = p[i + 1];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 > x1) return null;
  return {
    x: x0 - reach,
    y: y0 - reach,
    width: x1 - x0 + 2 * reach,
    height: y1 - y0 + 2 * reach,
  };
}

/** Symbol reach from its centre in CSS px, generous: size, offset and border. */
function symbolReach(seriesOption: Record<string, unknown>): number {
  const size = seriesOption.symbolSize;
  const s = typeof size === "number"
    ? size
    : Array.isArray(size)
    ? Math.max(...(size as number[]))
    : 10;
  const offset = seriesOption.symbolOffset;
  const off = Array.isArray(offset)
    ? offset.reduce(
      (m: number, v) => Math.max(m, typeof v === "number" ? Math.abs(v) : s),
      0,
    )
    : 0;
  const style = seriesOption.itemStyle;
  const border = isRecord(style) && typeof style.borderWidth === "number"
    ? style.borderWidth
    : 0;
  return s * Math.SQRT2 / 2 + off + border + 2;
}

/**
 * Walks the display list from the top down: an overlay candidate becomes an
 * overlay (and leaves the SVG) when nothing resvg draws above it overlaps it.
 * Returns the overlays in paint order, or the index of a stamped series that
 * is overlapped (it has to be drawn as SVG paths).
 */
function pickOverlays(
  list: ZrEl[],
  stamps: Map<ZrEl, StampOverlay>,
): Overlay[] | number {
  const above = new BoxIndex();
  const picked: Overlay[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const el = list[i];
    if (el.invisible) continue;
    const stamp = stamps.get(el);
    if (stamp) {
      const box = stampBox(stamp, symbolReach(stamp.seriesOption));
      if (box && above.intersects(box)) return stamp.seriesIndex;
      el.invisible = true;
      if (box) picked.push(stamp);
      continue;
    }
    const rect = rectOverlay(el);
    if (rect && !above.intersects(rect.box)) {
      el.invisible = true;
      if (rect.rgba[3] > 0 && rect.box.width > 0 && rect.box.height > 0) {
        picked.push(rect);
      }
      continue;
    }
    above.add(el.getPaintRect());
  }
  return picked.reverse();
}

/** Boxes bucketed on a coarse grid, for overlap tests. */
class BoxIndex {
  static readonly CELL = 64;
  #cells = new Map<number, Box[]>();

  #each(box: Box, fn: (key: number) => boolean | void): boolean {
    const c = BoxIndex.CELL;
    const x0 = Math.floor((box.x - OVERLAP_MARGIN) / c);
    const x1 = Math.floor((box.x + box.width + OVERLAP_MARGIN) / c);
    const y0 = Math.floor((box.y - OVERLAP_MARGIN) / c);
    const y1 = Math.floor((box.y + box.height + OVERLAP_MARGIN) / c);
    for (let y = Math.max(y0, -1); y <= Math.min(y1, 1024); y++) {
      for (let x = Math.max(x0, -1); x <= Math.min(x1, 1024); x++) {
        if (fn(y * 2048 + x) === true) return true;
      }
    }
    return false;
  }

  add(box: Box): void {
    if (!(box.width >= 0 && box.height >= 0)) return;
    this.#each(box, (key) => {
      const list = this.#cells.get(key);
      if (list) list.push(box);
      else this.#cells.set(key, [box]);
    });
  }

  intersects(box: Box): boolean {
    const m = OVERLAP_MARGIN;
    return this.#each(
      box,
      (key) =>
        this.#cells.get(key)?.some((b) =>
          b.x - m < box.x + box.width && box.x < b.x + b.width + m &&
          b.y - m < box.y + box.height && box.y < b.y + b.height + m
        ) ?? false,
    );
  }
}
