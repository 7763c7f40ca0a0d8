/**
 * TrueType font programs for PDF embedding: the face's metrics for the font
 * descriptor, and a subset holding only the glyphs a page uses (renumbered
 * 0..n-1, composite glyphs' components included and re-pointed). The subset
 * keeps the tables a PDF viewer reads (head, hhea, maxp, hmtx, loca, glyf
 * and the hinting programs), as PDF 32000 §9.9 asks of an embedded
 * TrueType font; no cmap, since the PDF selects glyphs by number.
 *
 * Fonts with CFF outlines (most OpenType .otf/.ttc, e.g. Noto CJK) have no
 * glyf table; pdf_fonts.ts subsets those with fontkit instead.
 */
import { concatBytes } from "@/lib/bytes.ts";

/** One face of a font file: its bytes and where its tables are. */
export interface FontFace {
  bytes: Uint8Array;
  view: DataView;
  tables: Map<string, { offset: number; length: number }>;
}

/** Opens a TTF/OTF, or the first face of a TTC. Throws when it is not a font. */
export function openFace(bytes: Uint8Array): FontFace {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new Error("not a font file");
  // "ttcf": a collection; its first face's table directory.
  const start = view.getUint32(0) === 0x74746366 ? view.getUint32(12) : 0;
  const tables = new Map<string, { offset: number; length: number }>();
  const count = view.getUint16(start + 4);
  for (let i = 0; i < count; i++) {
    const record = start + 12 + i * 16;
    const tag = String.fromCharCode(...bytes.subarray(record, record + 4));
    tables.set(tag, {
      offset: view.getUint32(record + 8),
      length: view.getUint32(record + 12),
    });
  }
  return { bytes, view, tables };
}

function table(
  face: FontFace,
  tag: string,
): { offset: number; length: number } {
  const found = face.tables.get(tag);
  if (!found) throw new Error(`font has no ${tag} table`);
  return found;
}

/** Whether the face has TrueType (glyf) outlines, which this module subsets. */
export function hasGlyfOutlines(face: FontFace): boolean {
  return face.tables.has("glyf") && face.tables.has("loca");
}

/** What a PDF font descriptor says about a face, in 1/1000 em. */
export interface FaceMetrics {
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  bbox: [number, number, number, number];
  /** usWeightClass (400 regular, 700 bold). */
  weight: number;
}

/** Reads the face's metrics (head, hhea, OS/2, post, name). */
export function faceMetrics(face: FontFace): FaceMetrics {
  const { view } = face;
  const head = table(face, "head").offset;
  const hhea = table(face, "hhea").offset;
  const unitsPerEm = view.getUint16(head + 18);
  const em = (v: number) => Math.round((v * 1000) / unitsPerEm);
  const os2 = face.tables.get("OS/2");
  const post = face.tables.get("post");
  const ascent = view.getInt16(hhea + 4);
  return {
    postscriptName: postscriptName(face) ?? "Font",
    unitsPerEm,
    ascent: em(ascent),
    descent: em(view.getInt16(hhea + 6)),
    // sCapHeight exists from OS/2 version 2; else the ascent stands in.
    capHeight: em(
      os2 && view.getUint16(os2.offset) >= 2 && os2.length >= 90
        ? view.getInt16(os2.offset + 88)
        : ascent,
    ),
    italicAngle: post ? view.getInt32(post.offset + 4) / 65536 : 0,
    bbox: [
      em(view.getInt16(head + 36)),
      em(view.getInt16(head + 38)),
      em(view.getInt16(head + 40)),
      em(view.getInt16(head + 42)),
    ],
    weight: os2 ? view.getUint16(os2.offset + 4) : 400,
  };
}

/** Returns the face's PostScript name (name ID 6), if it has one. */
export function postscriptName(face: FontFace): string | undefined {
  const name = face.tables.get("name");
  if (!name) return undefined;
  const { view, bytes } = face;
  const count = view.getUint16(name.offset + 2);
  const strings = name.offset + view.getUint16(name.offset + 4);
  for (let r = 0; r < count; r++) {
    const at = name.offset + 6 + r * 12;
    if (view.getUint16(at + 6) !== 6) continue;
    const platform = view.getUint16(at);
    const length = view.getUint16(at + 8);
    const start = strings + view.getUint16(at + 10);
    const raw = bytes.subarray(start, start + length);
    const text = platform === 3 || platform === 0
      ? new TextDecoder("utf-16be").decode(raw)
      : new TextDecoder("latin1").decode(raw);
    // A PDF name: printable ASCII without delimiters.
    return text.replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, "") || undefined;
  }
  return undefined;
}

/** Returns the advance width of glyph `gid` in font units. */
export function glyphAdvance(face: FontFace, gid: number): number {
  const metrics = face.view.getUint16(table(face, "hhea").offset + 34);
  const hmtx = table(face, "hmtx").offset;
  return face.view.getUint16(hmtx + 4 * Math.min(gid, metrics - 1));
}

/**
 * Returns the kerning pairs of the face's `kern` table (horizontal, format
 * 0) in font units, keyed by left glyph × 65536 + right glyph; empty when
 * it has none. resvg kerns text, so the PDF does too, to set it alike.
 */
export function kerningPairs(face: FontFace): Map<number, number> {
  const pairs = new Map<number, number>();
  const kern = face.tables.get("kern");
  if (!kern) return pairs;
  const { view } = face;
  if (view.getUint16(kern.offset) !== 0) return pairs; // Apple's version 1
  let at = kern.offset + 4;
  const end = kern.offset + kern.length;
  for (let t = view.getUint16(kern.offset + 2); t > 0 && at + 6 <= end; t--) {
    const length = view.getUint16(at + 2);
    const coverage = view.getUint16(at + 4);
    // Horizontal (bit 0), not minimum or cross-stream (bits 1, 2), format 0.
    if ((coverage & 0x7) === 1 && coverage >> 8 === 0) {
      const count = view.getUint16(at + 6);
      for (let i = 0; i < count; i++) {
        const pair = at + 14 + i * 6;
        if (pair + 6 > end) break;
        pairs.set(
          view.getUint16(pair) * 65536 + view.getUint16(pair + 2),
          view.getInt16(pair + 4),
        );
      }
    }
    // A large table's 16-bit length may have wrapped: one subtable is all.
    if (length < 6) break;
    at += length;
  }
  return pairs;
}

// Composite glyph component flags (OpenType glyf table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/**
 * The glyphs of one face a document uses. `include` gives each original
 * glyph its number in the subset (glyph 0, .notdef, is always 0).
 */
export class TrueTypeSubset {
  readonly #face: FontFace;
  readonly #long: boolean;
  readonly #glyphs: number[] = [];
  readonly #ids = new Map<number, number>();

  constructor(face: FontFace) {
    this.#face = face;
    this.#long = face.view.getInt16(table(face, "head").offset + 50) === 1;
    this.include(0);
  }

  /** Returns the subset's number for original glyph `gid`, adding it. */
  include(gid: number): number {
    let id = this.#ids.get(gid);
    if (id === undefined) {
      id = this.#glyphs.length;
      this.#glyphs.push(gid);
      this.#ids.set(gid, id);
    }
    return id;
  }

  /** Glyphs in the subset so far, by subset number: their original ids. */
  get glyphs(): readonly number[] {
    return this.#glyphs;
  }

  #glyphRange(gid: number): [number, number] {
    const { view } = this.#face;
    const loca = table(this.#face, "loca").offset;
    return this.#long
      ? [view.getUint32(loca + gid * 4), view.getUint32(loca + gid * 4 + 4)]
      : [
        view.getUint16(loca + gid * 2) * 2,
        view.getUint16(loca + gid * 2 + 2) * 2,
      ];
  }

  /** Returns the subset font program (a TTF). */
  encode(): Uint8Array<ArrayBuffer> {
    const face = this.#face;
    const glyf = table(face, "glyf").offset;
    const parts: Uint8Array[] = [];
    const offsets: number[] = [];
    let size = 0;
    // Components found on the way are appended to #glyphs, so no for-of.
    for (let i = 0; i < this.#glyphs.length; i++) {
      const [from, to] = this.#glyphRange(this.#glyphs[i]);
      const data = face.bytes.slice(glyf + from, glyf + to);
      if (data.length >= 10) this.#repointComponents(data);
      offsets.push(size);
      const padded = (data.length + 3) & ~3;
      const out = new Uint8Array(padded);
      out.set(data);
      parts.push(out);
      size += padded;
    }
    offsets.push(size);
    const count = this.#glyphs.length;

    const loca = new Uint8Array(offsets.length * 4);
    const locaView = new DataView(loca.buffer);
    offsets.forEach((o, i) => locaView.setUint32(i * 4, o));

    const hmtx = new Uint8Array(count * 4);
    const hmtxView = new DataView(hmtx.buffer);
    const hhea = table(face, "hhea").offset;
    const metrics = face.view.getUint16(hhea + 34);
    const source = table(face, "hmtx").offset;
    this.#glyphs.forEach((gid, i) => {
      hmtxView.setUint16(i * 4, glyphAdvance(face, gid));
      const bearing = gid < metrics
        ? source + gid * 4 + 2
        : source + metrics * 4 + (gid - metrics) * 2;
      hmtxView.setInt16(i * 4 + 2, face.view.getInt16(bearing));
    });

    const copy = (tag: string) => {
      const t = table(face, tag);
      return face.bytes.slice(t.offset, t.offset + t.length);
    };
    const head = copy("head");
    const headView = new DataView(head.buffer);
    headView.setUint32(8, 0); // checkSumAdjustment, set below
    headView.setInt16(50, 1); // long loca
    const hheaOut = copy("hhea");
    new DataView(hheaOut.buffer).setUint16(34, count);
    const maxp = copy("maxp");
    new DataView(maxp.buffer).setUint16(4, count);
    // post version 3: no glyph names.
    const post = face.tables.has("post")
      ? copy("post").slice(0, 32)
      : new Uint8Array(32);
    new DataView(post.buffer).setUint32(0, 0x00030000);

    const tables: [string, Uint8Array][] = [
      ["glyf", concatBytes(parts, size)],
      ["head", head],
      ["hhea", hheaOut],
      ["hmtx", hmtx],
      ["loca", loca],
      ["maxp", maxp],
      ["post", post],
    ];
    for (const tag of ["cvt ", "fpgm", "prep"]) {
      if (face.tables.has(tag)) tables.push([tag, copy(tag)]);
    }
    tables.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const font = sfnt(tables);
    // checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
    const headAt = 12 + 16 * tables.length +
      tables.slice(0, tables.findIndex(([t]) => t === "head"))
        .reduce((n, [, d]) => n + ((d.length + 3) & ~3), 0);
    new DataView(font.buffer).setUint32(
      headAt + 8,
      (0xb1b0afba - checksum(font)) >>> 0,
    );
    return font;
  }

  /** Points a composite glyph's components at their subset numbers. */
  #repointComponents(data: Uint8Array): void {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (view.getInt16(0) >= 0) return; // a simple glyph
    let at = 10;
    while (at + 4 <= data.length) {
      const flags = view.getUint16(at);
      view.setUint16(at + 2, this.include(view.getUint16(at + 2)));
      at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & WE_HAVE_A_SCALE) at += 2;
      else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
      else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
      if (!(flags & MORE_COMPONENTS)) break;
    }
  }
}

function checksum(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sum = 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < data.length) {
    const tail = new Uint8Array(4);
    tail.set(data.subarray(whole));
    sum = (sum + new DataView(tail.buffer).getUint32(0)) >>> 0;
  }
  return sum;
}

/** Writes an sfnt (TrueType) file of `tables`, sorted by tag. */
function sfnt(tables: [string, Uint8Array][]): Uint8Array<ArrayBuffer> {
  const count = tables.length;
  const header = 12 + 16 * count;
  const total = tables.reduce((n, [, d]) => n + ((d.length + 3) & ~3), header);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const log2 = Math.floor(Math.log2(count));
  view.setUint32(0, 0x00010000);
  view.setUint16(4, count);
  view.setUint16(6, 16 * 2 ** log2);
  view.setUint16(8, log2);
  view.setUint16(10, 16 * count - 16 * 2 ** log2);
  let at = header;
  tables.forEach(([tag, data], i) => {
    const record = 12 + 16 * i;
    for (let c = 0; c < 4; c++) view.setUint8(record + c, tag.charCodeAt(c));
    view.setUint32(record + 4, checksum(data));
    view.setUint32(record + 8, at);
    view.setUint32(record + 12, data.length);
    out.set(data, at);
    at += (data.length + 3) & ~3;
  });
  return out;
}
