/**
 * PNG encoding of an RGBA pixel buffer. Measured on the peer charts
 * (1600×800): resvg's own `asPng()` deflates inside wasm (~40 ms);
 * CompressionStream at its default level takes 7–21 ms; zlib level 2 on
 * unfiltered rows takes 2–3 ms for files about 10% larger than level 6
 * (level 3 searches longer hash chains and is erratic on long white runs).
 * Per-row filters (Sub, Up) cost more time in JS than they save in deflate
 * on charts' flat colours, so every row is stored unfiltered.
 */
import { crc32, deflateSync } from "node:zlib";
import { concatBytes } from "@/lib/bytes.ts";

/** zlib level: 2 is 2–3× faster than the default 6 for files ~10% larger. */
const DEFLATE_LEVEL = 2;

/**
 * Returns the PNG of `rgba` (width × height, 8-bit RGBA). `premultiplied`
 * pixels (resvg's output over a transparent background) are turned back into
 * straight alpha; pixels over an opaque background already are.
 */
export function encodePng(
  rgba: Uint8Array,
  width: number,
  height: number,
  premultiplied: boolean,
): Uint8Array<ArrayBuffer> {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  if (premultiplied) unpremultiply(raw, stride);
  const idat = deflateSync(raw, { level: DEFLATE_LEVEL });
  // Freed now rather than at the next GC (see raster.ts `release`).
  raw.buffer.transfer(0);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter tricks, no interlace
  return concatBytes([
    PNG_SIGNATURE,
    ...chunk("IHDR", header),
    ...chunk("IDAT", idat),
    ...chunk("IEND", new Uint8Array(0)),
  ]);
}

const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Uint8Array): Uint8Array[] {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(new TextEncoder().encode(type), 4);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc32(data, crc32(head.subarray(4))));
  return [head, data, tail];
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
