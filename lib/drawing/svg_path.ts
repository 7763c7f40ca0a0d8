/**
 * SVG path data (the `d` attribute, and the shapes ECharts writes as
 * elements) as PDF path operators: every command made absolute, smooth
 * curves given their reflected control point, quadratics raised to cubics
 * and elliptical arcs split into cubic Béziers of at most 90°. The bounding
 * box of the points (control points included, so it may be a little large)
 * is kept for gradients in `objectBoundingBox` units.
 */
import { num } from "./pdf_file.ts";

/** A path as PDF operators, and the box around its points. */
export interface PdfPath {
  ops: string;
  box: Box;
}

/** An axis-aligned box; empty when minX > maxX. */
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const ARGS: Record<string, number> = {
  M: 2,
  L: 2,
  H: 1,
  V: 1,
  C: 6,
  S: 4,
  Q: 4,
  T: 2,
  A: 7,
  Z: 0,
};

/** An affine matrix [a b c d e f] applied to every point, as in SVG. */
export type PointMatrix = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
];

class PathBuilder {
  readonly parts: string[] = [];
  readonly #m: PointMatrix | undefined;

  constructor(matrix?: PointMatrix) {
    this.#m = matrix;
  }
  readonly box: Box = {
    minX: Infinity,
    minY: Infinity,
    maxX: -Infinity,
    maxY: -Infinity,
  };

  #add(x: number, y: number): void {
    const b = this.box;
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
  }

  /** A point as PDF operands, through the matrix if any. */
  #point(x: number, y: number): string {
    const m = this.#m;
    if (m) [x, y] = [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
    this.#add(x, y);
    return `${num(x)} ${num(y)}`;
  }

  move(x: number, y: number): void {
    this.parts.push(`${this.#point(x, y)} m`);
  }

  line(x: number, y: number): void {
    this.parts.push(`${this.#point(x, y)} l`);
  }

  curve(x1: number, y1: number, x2: number, y2: number, x: number, y: number) {
    this.parts.push(
      `${this.#point(x1, y1)} ${this.#point(x2, y2)} ${this.#point(x, y)} c`,
    );
  }

  close(): void {
    this.parts.push("h");
  }

  result(): PdfPath {
    return { ops: this.parts.join("\n"), box: this.box };
  }
}

/**
 * Returns the PDF operators of SVG path data, its points through `matrix`
 * when given; stops at the first error.
 */
export function pathData(d: string, matrix?: PointMatrix): PdfPath {
  const out = new PathBuilder(matrix);
  const tokens = d.match(
    /[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g,
  ) ?? [];
  let x = 0, y = 0; // current point
  let sx = 0, sy = 0; // start of the subpath
  let cx = 0, cy = 0; // last control point, for S and T
  let previous = "";
  let i = 0;
  let command = "";
  while (i < tokens.length) {
    if (/[a-z]/i.test(tokens[i])) command = tokens[i++];
    else if (!command) break;
    const upper = command.toUpperCase();
    const relative = command !== upper;
    const count = ARGS[upper];
    if (i + count > tokens.length) break;
    const a = tokens.slice(i, i + count).map(Number);
    if (a.some((v) => !Number.isFinite(v))) break;
    i += count;
    const ox = relative ? x : 0, oy = relative ? y : 0;
    switch (upper) {
      case "M":
        x = a[0] + ox;
        y = a[1] + oy;
        sx = x;
        sy = y;
        out.move(x, y);
        // Further pairs after M are lines.
        command = relative ? "l" : "L";
        break;
      case "L":
        x = a[0] + ox;
        y = a[1] + oy;
        out.line(x, y);
        break;
      case "H":
        x = a[0] + ox;
        out.line(x, y);
        break;
      case "V":
        y = a[0] + oy;
        out.line(x, y);
        break;
      case "C":
        out.curve(
          a[0] + ox,
          a[1] + oy,
          a[2] + ox,
          a[3] + oy,
          a[4] + ox,
          a[5] + oy,
        );
        cx = a[2] + ox;
        cy = a[3] + oy;
        x = a[4] + ox;
        y = a[5] + oy;
        break;
      case "S": {
        const smooth = previous === "C" || previous === "S";
        const x1 = smooth ? 2 * x - cx : x, y1 = smooth ? 2 * y - cy : y;
        out.curve(x1, y1, a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy);
        cx = a[0] + ox;
        cy = a[1] + oy;
        x = a[2] + ox;
        y = a[3] + oy;
        break;
      }
      case "Q":
      case "T": {
        let qx: number, qy: number, ex: number, ey: number;
        if (upper === "Q") {
          [qx, qy, ex, ey] = [a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy];
        } else {
          const smooth = previous === "Q" || previous === "T";
          qx = smooth ? 2 * x - cx : x;
          qy = smooth ? 2 * y - cy : y;
          [ex, ey] = [a[0] + ox, a[1] + oy];
        }
        out.curve(
          x + (2 / 3) * (qx - x),
          y + (2 / 3) * (qy - y),
          ex + (2 / 3) * (qx - ex),
          ey + (2 / 3) * (qy - ey),
          ex,
          ey,
        );
        cx = qx;
        cy = qy;
        x = ex;
        y = ey;
        break;
      }
      case "A": {
        const ex = a[5] + ox, ey = a[6] + oy;
        arc(out, x, y, a[0], a[1], a[2], a[3] !== 0, a[4] !== 0, ex, ey);
        x = ex;
        y = ey;
        break;
      }
      case "Z":
        out.close();
        x = sx;
        y = sy;
        break;
    }
    previous = upper;
  }
  return out.result();
}

/** Appends an SVG elliptical arc (endpoint form) as cubic Béziers. */
function arc(
  out: PathBuilder,
  x1: number,
  y1: number,
  rxIn: number,
  ryIn: number,
  rotation: number,
  large: boolean,
  sweep: boolean,
  x2: number,
  y2: number,
): void {
  if (x1 === x2 && y1 === y2) return;
  let rx = Math.abs(rxIn), ry = Math.abs(ryIn);
  if (rx === 0 || ry === 0) return out.line(x2, y2);
  // SVG 1.1 appendix F.6.5: from endpoints to centre.
  const phi = (rotation * Math.PI) / 180;
  const cos = Math.cos(phi), sin = Math.sin(phi);
  const dx = (x1 - x2) / 2, dy = (y1 - y2) / 2;
  const px = cos * dx + sin * dy, py = -sin * dx + cos * dy;
  const lambda = (px * px) / (rx * rx) + (py * py) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num2 = rx * rx * ry * ry - rx * rx * py * py - ry * ry * px * px;
  const den = rx * rx * py * py + ry * ry * px * px;
  let k = Math.sqrt(Math.max(0, num2 / den));
  if (large === sweep) k = -k;
  const cxp = (k * rx * py) / ry, cyp = (-k * ry * px) / rx;
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2;
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2;
  const angle = (ux: number, uy: number, vx: number, vy: number) =>
    Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  const theta = angle(1, 0, (px - cxp) / rx, (py - cyp) / ry);
  let delta = angle(
    (px - cxp) / rx,
    (py - cyp) / ry,
    (-px - cxp) / rx,
    (-py - cyp) / ry,
  );
  if (!sweep && delta > 0) delta -= 2 * Math.PI;
  if (sweep && delta < 0) delta += 2 * Math.PI;
  const segments = Math.ceil(Math.abs(delta) / (Math.PI / 2) - 1e-9);
  const step = delta / segments;
  const t = (4 / 3) * Math.tan(step / 4);
  const point = (a: number): [number, number] => {
    const ex = rx * Math.cos(a), ey = ry * Math.sin(a);
    return [cos * ex - sin * ey + cx, sin * ex + cos * ey + cy];
  };
  const tangent = (a: number): [number, number] => {
    const ex = -rx * Math.sin(a), ey = ry * Math.cos(a);
    return [cos * ex - sin * ey, sin * ex + cos * ey];
  };
  let a0 = theta;
  for (let s = 0; s < segments; s++) {
    const a1 = a0 + step;
    const [p0x, p0y] = point(a0), [p1x, p1y] = point(a1);
    const [t0x, t0y] = tangent(a0), [t1x, t1y] = tangent(a1);
    const end = s === segments - 1;
    out.curve(
      p0x + t * t0x,
      p0y + t * t0y,
      p1x - t * t1x,
      p1y - t * t1y,
      end ? x2 : p1x,
      end ? y2 : p1y,
    );
    a0 = a1;
  }
}

/** A circle as four Béziers. */
export function circlePath(
  cx: number,
  cy: number,
  r: number,
  matrix?: PointMatrix,
): PdfPath {
  return pathData(
    `M${cx + r} ${cy}A${r} ${r} 0 0 1 ${cx - r} ${cy}` +
      `A${r} ${r} 0 0 1 ${cx + r} ${cy}Z`,
    matrix,
  );
}

/** A rectangle. */
export function rectPath(
  x: number,
  y: number,
  w: number,
  h: number,
  matrix?: PointMatrix,
): PdfPath {
  if (matrix) return pathData(`M${x} ${y}h${w}v${h}h${-w}Z`, matrix);
  return {
    ops: `${num(x)} ${num(y)} ${num(w)} ${num(h)} re`,
    box: { minX: x, minY: y, maxX: x + w, maxY: y + h },
  };
}

/** A polyline (and, closed, a polygon) from its `points` attribute. */
export function polyPath(
  points: string,
  closed: boolean,
  matrix?: PointMatrix,
): PdfPath {
  const values = points.trim().split(/[\s,]+/).map(Number);
  let d = "";
  for (let i = 0; i + 1 < values.length; i += 2) {
    d += `${i === 0 ? "M" : "L"}${values[i]} ${values[i + 1]}`;
  }
  return pathData(closed && d ? `${d}Z` : d, matrix);
}
