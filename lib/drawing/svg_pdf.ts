/**
 * An ECharts SVG drawn as PDF page content. ECharts' SVG renderer writes a
 * small, fixed vocabulary (zrender's svg/graphic.ts): `rect`, `path`,
 * `circle`, `polyline`, `polygon` and `text` elements with presentation
 * attributes, `g` groups with a `clip-path`, and in `defs` clip paths and
 * linear or radial gradients. That vocabulary is what this module reads;
 * shadows (`filter`) and decal patterns are left out, as the previous
 * svg-to-pdfkit path did, and the option validation refuses images.
 *
 * Coordinates stay in CSS px: the page's first operator scales them to
 * points (0.75) and flips y, so every element keeps its own transform.
 */
import { echarts } from "./echarts_ssr.ts";
import {
  type Box,
  circlePath,
  pathData,
  type PdfPath,
  polyPath,
  rectPath,
} from "./svg_path.ts";
import type { PageFonts } from "./pdf_fonts.ts";
import { num, type PdfFile, ref } from "./pdf_file.ts";

/** An element of the SVG: its tag, attributes, children and text. */
interface SvgNode {
  tag: string;
  attrs: Record<string, string>;
  children: SvgNode[];
  text: string;
}

const ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

/** Decodes the XML character references and entities of attribute or text. */
function unescapeXml(text: string): string {
  return text.replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi,
    (whole, name: string) => {
      if (name[0] !== "#") return ENTITIES[name] ?? whole;
      const cp = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    },
  );
}

/** Parses SVG text (as ECharts writes it) into a tree; returns the root. */
function parseSvg(svg: string): SvgNode {
  const root: SvgNode = { tag: "#root", attrs: {}, children: [], text: "" };
  const stack = [root];
  const tokens =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([\w:-]+)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (const m of svg.matchAll(tokens)) {
    const [, closing, tag, rawAttrs, selfClosing, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      top.text += unescapeXml(text);
    } else if (tag && closing) {
      if (stack.length > 1 && top.tag === tag) stack.pop();
    } else if (tag) {
      const attrs: Record<string, string> = {};
      for (const a of rawAttrs.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) {
        attrs[a[1]] = unescapeXml(a[2]);
      }
      const node: SvgNode = { tag, attrs, children: [], text: "" };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  return root.children.find((n) => n.tag === "svg") ?? root;
}

/** A 2D affine matrix [a b c d e f], as PDF and SVG write them. */
type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** Returns `m` then `n`: a point goes through m first. */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

/** Parses an SVG `transform` list (matrix, translate, scale, rotate). */
function parseTransform(value: string | undefined): Matrix {
  let result = IDENTITY;
  if (!value) return result;
  for (const m of value.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const v = m[2].trim().split(/[\s,]+/).map(Number);
    let t: Matrix | undefined;
    switch (m[1]) {
      case "matrix":
        if (v.length === 6) t = v as Matrix;
        break;
      case "translate":
        t = [1, 0, 0, 1, v[0] || 0, v[1] || 0];
        break;
      case "scale":
        t = [v[0] ?? 1, 0, 0, v[1] ?? v[0] ?? 1, 0, 0];
        break;
      case "rotate": {
        const r = ((v[0] || 0) * Math.PI) / 180;
        const [cx, cy] = [v[1] || 0, v[2] || 0];
        t = multiply(
          multiply([1, 0, 0, 1, -cx, -cy], [
            Math.cos(r),
            Math.sin(r),
            -Math.sin(r),
            Math.cos(r),
            0,
            0,
          ]),
          [1, 0, 0, 1, cx, cy],
        );
        break;
      }
    }
    if (t && t.every(Number.isFinite)) result = multiply(t, result);
  }
  return result;
}

const matrixOps = (m: Matrix) => `${m.map(num).join(" ")} cm`;

const colors = new Map<string, { rgb: string; alpha: number } | undefined>();

/** A colour as PDF operands (0–1) and its alpha (memoised: charts reuse a few). */
function parseColor(value: string): { rgb: string; alpha: number } | undefined {
  if (colors.has(value)) return colors.get(value);
  const c = echarts.color.parse(value.trim());
  const color = c && {
    rgb: [c[0], c[1], c[2]].map((v) => num(v / 255)).join(" "),
    alpha: c[3] ?? 1,
  };
  if (colors.size > 1000) colors.clear();
  colors.set(value, color);
  return color;
}

/** Presentation attributes that children inherit from a `g`. */
const INHERITED = [
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-opacity",
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "stroke-dasharray",
  "stroke-dashoffset",
  "paint-order",
  "style",
];

const CAPS: Record<string, number> = { butt: 0, round: 1, square: 2 };
const JOINS: Record<string, number> = { miter: 0, round: 1, bevel: 2 };

/** What a page's content needs besides its operators: name → object. */
interface Resources {
  extGState: Map<string, string>;
  pattern: Map<string, string>;
}

/** A fill or stroke paint: its operators, alpha, and soft mask if any. */
interface Paint {
  ops: string;
  alpha: number;
  /** Graphics state with the soft mask of a gradient whose alpha varies. */
  mask?: string;
}

/**
 * Draws `svg` as the content of a page `height` CSS px tall (0.75 pt each;
 * y is flipped about it) and returns the content operators and the
 * resources they use; gradients and fonts' objects go into `file`.
 */
export function svgToPdfContent(
  svg: string,
  height: number,
  fonts: PageFonts,
  file: PdfFile,
): { content: string; resources: string } {
  const root = parseSvg(svg);
  const painter = new Painter(root, fonts, file);
  const base: Matrix = [0.75, 0, 0, -0.75, 0, height * 0.75];
  painter.out.push(matrixOps(base));
  painter.draw(root, base, {});
  return { content: painter.out.join("\n"), resources: painter.resources() };
}

class Painter {
  readonly out: string[] = [];
  readonly #defs = new Map<string, SvgNode>();
  readonly #fonts: PageFonts;
  readonly #file: PdfFile;
  /** Outlines by path data: a scatter's symbols share one. */
  readonly #paths = new Map<string, PdfPath>();
  readonly #res: Resources = { extGState: new Map(), pattern: new Map() };
  /** Graphics states for alpha pairs, by "fill stroke". */
  readonly #alphas = new Map<string, string>();

  constructor(root: SvgNode, fonts: PageFonts, file: PdfFile) {
    this.#fonts = fonts;
    this.#file = file;
    const collect = (node: SvgNode) => {
      if (node.attrs.id) this.#defs.set(node.attrs.id, node);
      node.children.forEach(collect);
    };
    collect(root);
  }

  resources(): string {
    const dict = (entries: Map<string, string>) =>
      [...entries].map(([name, object]) => `/${name} ${object}`).join(" ");
    const parts: string[] = [];
    if (this.#res.extGState.size) {
      parts.push(`/ExtGState << ${dict(this.#res.extGState)} >>`);
    }
    if (this.#res.pattern.size) {
      parts.push(`/Pattern << ${dict(this.#res.pattern)} >>`);
    }
    return parts.join(" ");
  }

  /** Draws `node` and its children; `ctm` maps its user space to the page. */
  draw(node: SvgNode, ctm: Matrix, inherited: Record<string, string>): void {
    const attrs = { ...inherited, ...node.attrs };
    switch (node.tag) {
      case "svg":
      case "g": {
        const transform = parseTransform(node.attrs.transform);
        const inner = multiply(transform, ctm);
        const own: Record<string, string> = {};
        for (const key of INHERITED) if (key in attrs) own[key] = attrs[key];
        this.out.push("q");
        if (node.attrs.transform) this.out.push(matrixOps(transform));
        this.#clip(node.attrs["clip-path"]);
        for (const child of node.children) this.draw(child, inner, own);
        this.out.push("Q");
        return;
      }
      case "rect":
      case "path":
      case "circle":
      case "polyline":
      case "polygon":
        return this.#shape(node, attrs, ctm);
      case "text":
        return this.#text(node, attrs, ctm);
      default:
        // defs, style, title, clipPath, gradients (used by reference),
        // filters and patterns: nothing to draw here.
        return;
    }
  }

  /** The outline of a shape element, its points through `matrix` if given. */
  #geometry(node: SvgNode, matrix?: Matrix): PdfPath | undefined {
    const n = (key: string) => Number(node.attrs[key] ?? 0) || 0;
    switch (node.tag) {
      case "rect":
        if (n("width") <= 0 || n("height") <= 0) return undefined;
        return rectPath(n("x"), n("y"), n("width"), n("height"), matrix);
      case "path": {
        const d = node.attrs.d ?? "";
        if (matrix) return pathData(d, matrix);
        let path = this.#paths.get(d);
        if (!path) {
          path = pathData(d);
          this.#paths.set(d, path);
        }
        return path;
      }
      case "circle":
        return n("r") > 0
          ? circlePath(n("cx"), n("cy"), n("r"), matrix)
          : undefined;
      case "polyline":
      case "polygon":
        return polyPath(
          node.attrs.points ?? "",
          node.tag === "polygon",
          matrix,
        );
    }
    return undefined;
  }

  /** Intersects the clip with the clip path `url(#id)` refers to. */
  #clip(reference: string | undefined): void {
    const id = reference?.match(/^url\(#([^)]+)\)$/)?.[1];
    const clip = id ? this.#defs.get(id) : undefined;
    if (!clip) return;
    const outlines: string[] = [];
    for (const child of clip.children) {
      // The child's own transform moves its points: no `cm` may stand
      // inside a path.
      const transform = child.attrs.transform;
      const geometry = this.#geometry(
        child,
        transform ? parseTransform(transform) : undefined,
      );
      if (geometry?.ops) outlines.push(geometry.ops);
    }
    if (outlines.length === 0) return;
    this.out.push(...outlines, "W n");
  }

  #shape(node: SvgNode, attrs: Record<string, string>, ctm: Matrix): void {
    const geometry = this.#geometry(node);
    if (!geometry || !geometry.ops) return;
    const transform = parseTransform(attrs.transform);
    const inner = multiply(transform, ctm);
    const opacity = clamp01(Number(attrs.opacity ?? 1));
    const strokeWidth = Number(attrs["stroke-width"] ?? 1);
    const fill = this.#paint(
      attrs.fill ?? "#000",
      attrs["fill-opacity"],
      opacity,
      { box: geometry.box, ctm: inner, margin: strokeWidth },
      false,
    );
    const stroke = strokeWidth > 0
      ? this.#paint(
        attrs.stroke ?? "none",
        attrs["stroke-opacity"],
        opacity,
        { box: geometry.box, ctm: inner, margin: strokeWidth },
        true,
      )
      : undefined;
    if (!fill && !stroke) return;
    this.out.push("q");
    if (attrs.transform) this.out.push(matrixOps(transform));
    this.#clip(node.attrs["clip-path"]);
    this.#alpha(fill, stroke);
    if (fill) this.out.push(fill.ops);
    if (stroke) {
      this.out.push(stroke.ops, `${num(strokeWidth)} w`);
      this.#strokeStyle(attrs);
    }
    const evenOdd = attrs["fill-rule"] === "evenodd" ? "*" : "";
    if (fill && stroke && attrs["paint-order"] === "stroke") {
      this.out.push(geometry.ops, "S", geometry.ops, `f${evenOdd}`);
    } else {
      this.out.push(
        geometry.ops,
        fill && stroke ? `B${evenOdd}` : fill ? `f${evenOdd}` : "S",
      );
    }
    this.out.push("Q");
  }

  #strokeStyle(attrs: Record<string, string>): void {
    const cap = CAPS[attrs["stroke-linecap"] ?? ""];
    if (cap !== undefined) this.out.push(`${cap} J`);
    const join = JOINS[attrs["stroke-linejoin"] ?? ""];
    if (join !== undefined) this.out.push(`${join} j`);
    const miter = Number(attrs["stroke-miterlimit"] ?? 4);
    this.out.push(`${num(Math.max(1, miter || 4))} M`);
    const dash = (attrs["stroke-dasharray"] ?? "none").trim();
    if (dash !== "none" && dash !== "") {
      const values = dash.split(/[\s,]+/).map(Number);
      if (
        values.every((v) => Number.isFinite(v) && v >= 0) &&
        values.some((v) => v > 0)
      ) {
        const offset = Number(attrs["stroke-dashoffset"] ?? 0) || 0;
        this.out.push(`[${values.map(num).join(" ")}] ${num(offset)} d`);
      }
    }
  }

  /** Sets alpha and soft masks of the paints through graphics states. */
  #alpha(fill: Paint | undefined, stroke: Paint | undefined): void {
    const [f, s] = [fill?.alpha ?? 1, stroke?.alpha ?? 1];
    if (f < 1 || s < 1) {
      const key = `${num(f)} ${num(s)}`;
      let name = this.#alphas.get(key);
      if (!name) {
        name = `GS${this.#res.extGState.size}`;
        this.#res.extGState.set(name, `<< /ca ${num(f)} /CA ${num(s)} >>`);
        this.#alphas.set(key, name);
      }
      this.out.push(`/${name} gs`);
    }
    const mask = fill?.mask ?? stroke?.mask;
    if (mask) this.out.push(`/${mask} gs`);
  }

  /**
   * Returns the operators that set a fill or stroke paint, and its alpha;
   * undefined for none. A gradient becomes a shading pattern.
   */
  #paint(
    value: string,
    opacityAttr: string | undefined,
    opacity: number,
    where: Where,
    stroking: boolean,
  ): Paint | undefined {
    const v = value.trim();
    if (v === "none" || v === "transparent") return undefined;
    const extra = clamp01(Number(opacityAttr ?? 1)) * opacity;
    const id = v.match(/^url\(#([^)]+)\)/)?.[1];
    if (id) {
      const gradient = this.#defs.get(id);
      if (!gradient || !/Gradient$/.test(gradient.tag)) return undefined;
      const stops = gradientStops(gradient);
      if (stops.length === 0) return undefined;
      const pattern = where.box &&
        this.#gradientPattern(gradient, stops, where);
      if (!pattern) {
        return {
          ops: `${stops[0].rgb} ${stroking ? "RG" : "rg"}`,
          alpha: extra * stops[0].alpha,
        };
      }
      return {
        ops: stroking
          ? `/Pattern CS /${pattern.name} SCN`
          : `/Pattern cs /${pattern.name} scn`,
        alpha: extra * pattern.alpha,
        mask: pattern.mask,
      };
    }
    const color = parseColor(v) ?? { rgb: "0 0 0", alpha: 1 };
    if (color.alpha * extra <= 0) return undefined;
    return {
      ops: `${color.rgb} ${stroking ? "RG" : "rg"}`,
      alpha: color.alpha * extra,
    };
  }

  /**
   * A shading pattern for a linear or radial gradient, mapped to the page
   * through the element's matrix (and its box, for objectBoundingBox
   * units). When the stops' opacity varies, a soft mask (the same gradient
   * in grey) carries it; otherwise it is one alpha.
   */
  #gradientPattern(
    gradient: SvgNode,
    stops: Stop[],
    where: Where,
  ): { name: string; alpha: number; mask?: string } | undefined {
    const a = gradient.attrs;
    const n = (key: string, fallback: number) => {
      const raw = a[key];
      if (raw === undefined) return fallback;
      return raw.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    };
    const radial = gradient.tag === "radialGradient";
    const coords = radial
      ? [n("cx", 0.5), n("cy", 0.5), 0, n("cx", 0.5), n("cy", 0.5), n("r", 0.5)]
      : [n("x1", 0), n("y1", 0), n("x2", 1), n("y2", 0)];
    if (coords.some((c) => !Number.isFinite(c))) return undefined;
    const box = where.box!;
    let unit: Matrix = IDENTITY;
    if (a.gradientUnits !== "userSpaceOnUse") {
      if (!(box.maxX > box.minX) || !(box.maxY > box.minY)) return undefined;
      unit = [
        box.maxX - box.minX,
        0,
        0,
        box.maxY - box.minY,
        box.minX,
        box.minY,
      ];
    }
    const shading = (
      space: "DeviceRGB" | "DeviceGray",
      colour: (s: Stop) => string,
    ) => {
      const pieces = stops.slice(1).map((to, i) =>
        `<< /FunctionType 2 /Domain [0 1] /C0 [${colour(stops[i])}] /C1 [${
          colour(to)
        }] /N 1 >>`
      );
      const fn = pieces.length === 1
        ? pieces[0]
        : `<< /FunctionType 3 /Domain [0 1] /Functions [${
          pieces.join(" ")
        }] /Bounds [${
          stops.slice(1, -1).map((s) => num(s.at)).join(" ")
        }] /Encode [${pieces.map(() => "0 1").join(" ")}] >>`;
      return this.#file.add(
        `<< /ShadingType ${radial ? 3 : 2} /ColorSpace /${space} /Coords [${
          coords.map(num).join(" ")
        }] /Function ${fn} /Extend [true true] >>`,
      );
    };
    const patternOf = (sh: number, matrix: Matrix) =>
      this.#file.add(
        `<< /Type /Pattern /PatternType 2 /Shading ${ref(sh)} /Matrix [${
          matrix.map(num).join(" ")
        }] >>`,
      );
    const colour = patternOf(
      shading("DeviceRGB", (s) => s.rgb),
      multiply(unit, where.ctm),
    );
    const name = `P${this.#res.pattern.size}`;
    this.#res.pattern.set(name, ref(colour));
    const alphas = stops.map((s) => s.alpha);
    if (alphas.every((v) => v === alphas[0])) return { name, alpha: alphas[0] };
    // The mask is drawn in the element's own space (the gs is set after its
    // transform), so its pattern needs only the box.
    const grey = patternOf(shading("DeviceGray", (s) => num(s.alpha)), unit);
    const m = where.margin + 1;
    const bbox = [box.minX - m, box.minY - m, box.maxX + m, box.maxY + m];
    const form = this.#file.addStream(
      `/Type /XObject /Subtype /Form /BBox [${bbox.map(num).join(" ")}] ` +
        "/Group << /S /Transparency /CS /DeviceGray >> " +
        `/Resources << /Pattern << /M ${ref(grey)} >> >>`,
      new TextEncoder().encode(
        `/Pattern cs /M scn ${num(bbox[0])} ${num(bbox[1])} ${
          num(bbox[2] - bbox[0])
        } ${num(bbox[3] - bbox[1])} re f`,
      ),
    );
    const mask = `GS${this.#res.extGState.size}`;
    this.#res.extGState.set(
      mask,
      `<< /SMask << /Type /Mask /S /Luminosity /G ${ref(form)} >> >>`,
    );
    return { name, alpha: 1, mask };
  }

  #text(node: SvgNode, attrs: Record<string, string>, ctm: Matrix): void {
    const content = attrs["xml:space"] === "preserve"
      ? node.text
      : node.text.replace(/\s+/g, " ").trim();
    if (!content) return;
    const font = fontOf(attrs.style ?? "");
    if (!(font.size > 0)) return;
    const opacity = clamp01(Number(attrs.opacity ?? 1));
    // A gradient on text is drawn in its first colour: no box to span.
    const where = { box: undefined, ctm, margin: 0 };
    const fill = this.#paint(
      attrs.fill ?? "#000",
      attrs["fill-opacity"],
      opacity,
      where,
      false,
    );
    const strokeWidth = Number(attrs["stroke-width"] ?? 1);
    const stroke = strokeWidth > 0
      ? this.#paint(
        attrs.stroke ?? "none",
        attrs["stroke-opacity"],
        opacity,
        where,
        true,
      )
      : undefined;
    if (!fill && !stroke) return;
    const runs = this.#fonts.runs(content, font.bold);
    const width = runs.reduce((sum, r) => sum + r.width, 0) * font.size;
    const anchor = attrs["text-anchor"];
    let x = Number(attrs.x ?? 0) || 0;
    if (anchor === "middle") x -= width / 2;
    else if (anchor === "end") x -= width;
    const y = (Number(attrs.y ?? 0) || 0) +
      baselineShift(attrs["dominant-baseline"]) * font.size;
    const transform = parseTransform(attrs.transform);
    this.out.push("q");
    if (attrs.transform) this.out.push(matrixOps(transform));
    this.#alpha(fill, stroke);
    if (fill) this.out.push(fill.ops);
    if (stroke) {
      this.out.push(stroke.ops, `${num(strokeWidth)} w`);
      this.#strokeStyle(attrs);
    }
    // The text matrix flips y back, since the page's y points down.
    // Italic is slanted 0.2 (no italic face is shipped).
    const show = (mode: number) => {
      this.out.push(
        "BT",
        `${mode} Tr`,
        `1 0 ${font.italic ? "0.2" : "0"} -1 ${num(x)} ${num(y)} Tm`,
      );
      for (const run of runs) {
        this.out.push(`/${run.font} ${num(font.size)} Tf [${run.tj}] TJ`);
      }
      this.out.push("ET");
    };
    if (fill && stroke && attrs["paint-order"] === "stroke") {
      show(1);
      show(0);
    } else show(fill && stroke ? 2 : fill ? 0 : 1);
    this.out.push("Q");
  }
}

/** Where a paint is used: the element's box, matrix and stroke margin. */
interface Where {
  /** Undefined for text: its gradients take their first colour. */
  box: Box | undefined;
  ctm: Matrix;
  margin: number;
}

/** A gradient stop: offset 0–1, colour as PDF operands, alpha. */
interface Stop {
  at: number;
  rgb: string;
  alpha: number;
}

/** Returns a gradient's stops, ordered, spanning 0 to 1. */
function gradientStops(gradient: SvgNode): Stop[] {
  const stops = gradient.children.filter((c) => c.tag === "stop").map(
    (stop) => {
      const offset = stop.attrs.offset ?? "0";
      const at = offset.endsWith("%")
        ? Number(offset.slice(0, -1)) / 100
        : Number(offset);
      const color = parseColor(stop.attrs["stop-color"] ?? "#000") ??
        { rgb: "0 0 0", alpha: 1 };
      const alpha = clamp01(Number(stop.attrs["stop-opacity"] ?? 1)) *
        color.alpha;
      return { at: clamp01(at), rgb: color.rgb, alpha };
    },
  );
  if (stops.length === 0) return stops;
  for (let i = 1; i < stops.length; i++) {
    if (stops[i].at < stops[i - 1].at) stops[i].at = stops[i - 1].at;
  }
  if (stops[0].at > 0) stops.unshift({ ...stops[0], at: 0 });
  if (stops[stops.length - 1].at < 1) {
    stops.push({ ...stops[stops.length - 1], at: 1 });
  }
  return stops;
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}

/** DejaVu Sans' ascender and descender (hhea), in em: where baselines sit. */
const ASCENT = 1901 / 2048;
const DESCENT = -483 / 2048;

/**
 * How far below `y` the alphabetic baseline sits for a dominant-baseline,
 * in em, as resvg places it (so the PDF matches the PNG).
 */
function baselineShift(baseline: string | undefined): number {
  switch (baseline) {
    case "central":
      return (ASCENT + DESCENT) / 2;
    case "middle":
      return 0.2735; // half DejaVu Sans' x-height (1120 / 2048)
    case "hanging":
    case "text-before-edge":
    case "before-edge":
      return ASCENT;
    case "text-after-edge":
    case "after-edge":
    case "ideographic":
      return DESCENT;
    default:
      return 0;
  }
}

/** Reads size, weight and style from a text's style attribute. */
function fontOf(
  style: string,
): { size: number; bold: boolean; italic: boolean } {
  const get = (key: string) =>
    style.match(new RegExp(`(?:^|;)\\s*${key}\\s*:\\s*([^;]+)`))?.[1].trim();
  // zrender writes "font: bold 12px sans-serif" when no part is separate.
  const shorthand = get("font") ?? "";
  const size = Number(
    (get("font-size") ?? shorthand.match(/([\d.]+)px/)?.[0] ?? "12")
      .replace("px", ""),
  );
  const weight = get("font-weight") ?? shorthand;
  const bold = /\b(bold|bolder|[6-9]00)\b/.test(weight);
  const italic = /\b(italic|oblique)\b/.test(get("font-style") ?? shorthand);
  return { size, bold, italic };
}
