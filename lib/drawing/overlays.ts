/**
 * Drawing straight into resvg's premultiplied RGBA output, for the two kinds
 * of shape that resvg-wasm draws slowly and that are simple to draw exactly:
 *
 * - axis-aligned rectangles (bars, heatmap cells): resvg's anti-aliasing
 *   costs ~1.6 µs per pixel row of a fractional edge, 40 ms for the peer bar
 *   chart; exact area coverage here costs ~2 ms;
 * - the symbols of a large scatter series: each point is a copy of one
 *   symbol image (rendered once by resvg at 8×8 sub-pixel offsets),
 *   composited point by point, so overlapping translucent points darken
 *   exactly as they do when each is its own SVG path.
 *
 * Colours are premultiplied RGBA in 0..255; compositing is source-over.
 */

/** A rectangle in device pixels with its premultiplied colour. */
export interface DeviceRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Premultiplied red, green, blue and alpha, 0..255. */
  color: [number, number, number, number];
}

/** A target image: premultiplied RGBA, `width` × `height` (writes round and clamp). */
export interface Canvas {
  pixels: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Composites a rectangle with anti-aliased (exact area coverage) edges onto `canvas`. */
export function fillRect(canvas: Canvas, rect: DeviceRect): void {
  const { pixels, width, height } = canvas;
  // Edges snap to the quarter pixel, as resvg's 4×4 supersampling does.
  const x0 = Math.max(0, quarter(rect.x0));
  const y0 = Math.max(0, quarter(rect.y0));
  const x1 = Math.min(width, quarter(rect.x1));
  const y1 = Math.min(height, quarter(rect.y1));
  if (x1 <= x0 || y1 <= y0) return;
  const [r, g, b, a] = rect.color;
  const colStart = Math.floor(x0);
  const colEnd = Math.ceil(x1);
  const rowStart = Math.floor(y0);
  const rowEnd = Math.ceil(y1);
  for (let row = rowStart; row < rowEnd; row++) {
    const cy = Math.min(row + 1, y1) - Math.max(row, y0);
    let at = (row * width + colStart) * 4;
    for (let col = colStart; col < colEnd; col++, at += 4) {
      const cx = Math.min(col + 1, x1) - Math.max(col, x0);
      const k = cx * cy;
      const inv = 1 - (a * k) / 255;
      pixels[at] = r * k + pixels[at] * inv;
      pixels[at + 1] = g * k + pixels[at + 1] * inv;
      pixels[at + 2] = b * k + pixels[at + 2] * inv;
      pixels[at + 3] = a * k + pixels[at + 3] * inv;
    }
  }
}

function quarter(v: number): number {
  return Math.round(v * 4) / 4;
}

/** Sub-pixel positions per axis at which a symbol image is prepared. */
export const SPRITE_STEPS = 8;

/**
 * One symbol drawn at SPRITE_STEPS² sub-pixel offsets. Variant (fx, fy) holds
 * the symbol centred at (`origin` + fx/STEPS, `origin` + fy/STEPS) inside a
 * `size` × `size` cell, as the premultiplied pixels that are not transparent.
 */
export interface Sprite {
  size: number;
  origin: number;
  variants: SpriteVariant[];
}

/** The visible pixels of one variant: positions in the cell and premultiplied RGBA. */
export interface SpriteVariant {
  /** dx, dy pairs. */
  offsets: Int16Array;
  /** r, g, b, a per pixel. */
  colors: Uint8Array;
}

/** Returns a sprite cut from a sheet of SPRITE_STEPS × SPRITE_STEPS cells of `size` px. */
export function cutSprite(
  sheet: Uint8Array,
  sheetWidth: number,
  size: number,
  origin: number,
): Sprite {
  const variants: SpriteVariant[] = [];
  for (let fy = 0; fy < SPRITE_STEPS; fy++) {
    for (let fx = 0; fx < SPRITE_STEPS; fx++) {
      const offsets: number[] = [];
      const colors: number[] = [];
      for (let dy = 0; dy < size; dy++) {
        for (let dx = 0; dx < size; dx++) {
          const at = ((fy * size + dy) * sheetWidth + fx * size + dx) * 4;
          if (sheet[at + 3] === 0) continue;
          offsets.push(dx, dy);
          colors.push(sheet[at], sheet[at + 1], sheet[at + 2], sheet[at + 3]);
        }
      }
      variants.push({
        offsets: Int16Array.from(offsets),
        colors: Uint8Array.from(colors),
      });
    }
  }
  return { size, origin, variants };
}

/**
 * Composites `sprite` at each point (CSS px, x/y pairs) times `scale`, in
 * order, skipping NaN points and those `keep` refuses.
 */
export function stampPoints(
  canvas: Canvas,
  sprite: Sprite,
  points: ArrayLike<number>,
  scale: number,
  keep: ((x: number, y: number) => boolean) | null,
): void {
  const { pixels, width, height } = canvas;
  const steps = SPRITE_STEPS;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i];
    const y = points[i + 1];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (keep && !keep(x, y)) continue;
    const qx = Math.round(x * scale * steps);
    const qy = Math.round(y * scale * steps);
    const ix = Math.floor(qx / steps);
    const iy = Math.floor(qy / steps);
    const variant =
      sprite.variants[(qy - iy * steps) * steps + qx - ix * steps];
    const left = ix - sprite.origin;
    const top = iy - sprite.origin;
    const { offsets, colors } = variant;
    const inside = left >= 0 && top >= 0 && left + sprite.size <= width &&
      top + sprite.size <= height;
    for (let p = 0, c = 0; p < offsets.length; p += 2, c += 4) {
      const px = left + offsets[p];
      const py = top + offsets[p + 1];
      if (!inside && (px < 0 || py < 0 || px >= width || py >= height)) {
        continue;
      }
      const at = (py * width + px) * 4;
      const sa = colors[c + 3];
      const inv = 1 - sa / 255;
      pixels[at] = colors[c] + pixels[at] * inv;
      pixels[at + 1] = colors[c + 1] + pixels[at + 1] * inv;
      pixels[at + 2] = colors[c + 2] + pixels[at + 2] * inv;
      pixels[at + 3] = sa + pixels[at + 3] * inv;
    }
  }
}
