/**
 * The server's font set: DejaVu Sans (regular and bold, shipped in
 * `static/fonts/`) plus any TTF/OTF/TTC files configured with `FONT_PATHS`.
 * Each font's character map and advance widths are read once, so text can be
 * measured for ECharts' layout, and a character no font has is known (and
 * logged) before resvg would silently draw nothing for it.
 *
 * Module state is per isolate: the render workers call `configureFonts` with
 * the same paths as the main thread.
 */
import { log } from "@/lib/log.ts";

/** One loaded font file: its bytes, what it covers and how wide each glyph is. */
export interface LoadedFont {
  /** Where it came from: a path, or "DejaVu Sans" for the built-ins. */
  source: string;
  bytes: Uint8Array;
  /** usWeightClass of the first face (400 regular, 700 bold). */
  weight: number;
  /** Bit per code point (0..0x10FFFF): whether the first face maps it. */
  coverage: Uint8Array;
  /** Advance widths in em of the BMP (-1: no glyph). */
  bmpWidths: Float32Array;
  /** Advance widths in em above the BMP. */
  astralWidths: Map<number, number>;
  /** Glyph of each BMP code point (0: none), for embedding in a PDF. */
  bmpGlyphs: Uint16Array;
  /** Glyphs above the BMP. */
  astralGlyphs: Map<number, number>;
}

/** The DejaVu Sans TTF bytes, regular and bold. */
export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}

let builtIn: FontFiles | undefined;

/**
 * Returns the DejaVu Sans TTFs from `static/fonts/`, read once. They ship with
 * the repo because npm files outside the module graph are not reliably in
 * Deno's cache on a fresh machine.
 */
export function loadFonts(): FontFiles {
  builtIn ??= {
    regular: Deno.readFileSync(
      new URL("../../static/fonts/DejaVuSans.ttf", import.meta.url),
    ),
    bold: Deno.readFileSync(
      new URL("../../static/fonts/DejaVuSans-Bold.ttf", import.meta.url),
    ),
  };
  return builtIn;
}

/** The fonts every render uses, in fallback order. */
export interface FontSet {
  regular: LoadedFont;
  bold: LoadedFont;
  /** Configured extra fonts (FONT_PATHS), in the order given. */
  extra: LoadedFont[];
  /** The configured paths, as given. */
  paths: readonly string[];
}

let configuredPaths: readonly string[] = [];
let extraFonts: LoadedFont[] = [];
let builtInParsed: { regular: LoadedFont; bold: LoadedFont } | undefined;
let fontSet: FontSet | undefined;

/**
 * Sets the extra font files (TTF, OTF or TTC) used after DejaVu Sans. Throws
 * when a file cannot be read or is not a font; takes effect on the next render.
 */
export function configureFonts(paths: readonly string[]): void {
  const same = paths.length === configuredPaths.length &&
    paths.every((p, i) => p === configuredPaths[i]);
  if (same) return;
  extraFonts = paths.map((path) => parseFont(path, Deno.readFileSync(path)));
  configuredPaths = [...paths];
  fontSet = undefined;
}

/** Returns the font set, loading and parsing the built-in fonts on first use. */
export function getFontSet(): FontSet {
  if (!fontSet) {
    if (!builtInParsed) {
      const { regular, bold } = loadFonts();
      builtInParsed = {
        regular: parseFont("DejaVu Sans", regular),
        bold: parseFont("DejaVu Sans Bold", bold),
      };
    }
    fontSet = { ...builtInParsed, extra: extraFonts, paths: configuredPaths };
  }
  return fontSet;
}

/** Returns the configured extra font paths. */
export function configuredFontPaths(): readonly string[] {
  return configuredPaths;
}

/** Returns whether `font` has a glyph for code point `cp`. */
export function covers(font: LoadedFont, cp: number): boolean {
  return (font.coverage[cp >> 3] & (1 << (cp & 7))) !== 0;
}

/** Returns the advance of `cp` in em in `font`, or -1 when it has no glyph. */
export function advanceOf(font: LoadedFont, cp: number): number {
  if (cp < 0x10000) return font.bmpWidths[cp];
  return font.astralWidths.get(cp) ?? -1;
}

/** Returns the glyph of code point `cp` in `font`'s first face (0: none). */
export function glyphOf(font: LoadedFont, cp: number): number {
  if (cp < 0x10000) return font.bmpGlyphs[cp];
  return font.astralGlyphs.get(cp) ?? 0;
}

/** Characters that never need a glyph (spaces, controls, joiners, selectors). */
export function isInvisible(cp: number): boolean {
  return cp < 0x21 || (cp >= 0x7f && cp <= 0xa0) ||
    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff ||
    (cp >= 0xe0100 && cp <= 0xe01ef);
}

/**
 * Returns which extra fonts `texts` need (indexes into `set.extra`) and the
 * characters no font covers, each listed once.
 */
export function fontsForTexts(
  set: FontSet,
  texts: Iterable<string>,
): { extra: number[]; missing: string[] } {
  const needed = new Set<number>();
  const missing = new Set<string>();
  const seen = new Set<number>();
  for (const text of texts) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80 || seen.has(cp)) continue;
      seen.add(cp);
      if (isInvisible(cp)) continue;
      if (covers(set.regular, cp) || covers(set.bold, cp)) continue;
      const index = set.extra.findIndex((font) => covers(font, cp));
      if (index >= 0) needed.add(index);
      else missing.add(ch);
    }
  }
  return { extra: [...needed].sort((a, b) => a - b), missing: [...missing] };
}

/** Returns a "U+XXXX" label for each character. */
export function codePointLabels(chars: Iterable<string>): string[] {
  return [...chars].map((ch) =>
    "U+" + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")
  );
}

/** How long the same set of missing characters is not logged again. */
const MISSING_LOG_INTERVAL_MS = 10 * 60_000;
const missingLogged = new Map<string, number>();

/**
 * Logs characters that no server font can draw (they would render as
 * nothing); the same set is logged at most once per ten minutes.
 */
export function logMissingGlyphs(
  missing: readonly string[],
  renderer: string,
  now = Date.now(),
): void {
  if (missing.length === 0) return;
  const chars = missing.join("");
  const last = missingLogged.get(chars);
  if (last !== undefined && now - last < MISSING_LOG_INTERVAL_MS) return;
  if (missingLogged.size >= 1000) missingLogged.clear();
  missingLogged.set(chars, now);
  log.warn("missing glyphs", {
    renderer,
    chars,
    code_points: codePointLabels(missing),
    hint: "configure a font that has them in FONT_PATHS",
  });
}

/**
 * Reads a TTF, OTF or the first face of a TTC: coverage from the cmap
 * (formats 4 and 12), widths from hmtx. Throws when it is not a font.
 */
export function parseFont(source: string, bytes: Uint8Array): LoadedFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string) => new Error(`${source}: ${why}`);
  if (bytes.length < 12) throw fail("not a font file");
  let face = 0;
  const tag0 = view.getUint32(0);
  if (tag0 === 0x74746366) { // "ttcf"
    if (view.getUint32(8) < 1) throw fail("empty font collection");
    face = view.getUint32(12);
  } else if (
    tag0 !== 0x00010000 && tag0 !== 0x4f54544f && tag0 !== 0x74727565 // "OTTO", "true"
  ) {
    throw fail("not a TrueType/OpenType font");
  }
  const tables = new Map<string, number>();
  const numTables = view.getUint16(face + 4);
  for (let i = 0; i < numTables; i++) {
    const record = face + 12 + i * 16;
    const tag = String.fromCharCode(...bytes.subarray(record, record + 4));
    tables.set(tag, view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw fail(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table("head") + 18);
  const hMetrics = view.getUint16(table("hhea") + 34);
  const hmtx = table("hmtx");
  const advance = (glyph: number) =>
    view.getUint16(hmtx + 4 * Math.min(glyph, hMetrics - 1)) / unitsPerEm;
  const os2 = tables.get("OS/2");
  const weight = os2 === undefined ? 400 : view.getUint16(os2 + 4);

  const coverage = new Uint8Array(0x110000 >> 3);
  const bmpWidths = new Float32Array(0x10000).fill(-1);
  const astralWidths = new Map<number, number>();
  const bmpGlyphs = new Uint16Array(0x10000);
  const astralGlyphs = new Map<number, number>();
  const map = (cp: number, glyph: number) => {
    if (glyph === 0 || cp > 0x10ffff) return;
    coverage[cp >> 3] |= 1 << (cp & 7);
    const w = advance(glyph);
    if (cp < 0x10000) {
      bmpWidths[cp] = w;
      bmpGlyphs[cp] = glyph;
    } else {
      astralWidths.set(cp, w);
      astralGlyphs.set(cp, glyph);
    }
  };

  const cmap = table("cmap");
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const record = cmap + 4 + i * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const offset = cmap + view.getUint32(record + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 ||
      (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 < 0) format12 = offset;
    if (format === 4 && format4 < 0) format4 = offset;
  }
  if (format12 >= 0) {
    const groups = view.getUint32(format12 + 12);
    for (let g = 0; g < groups; g++) {
      const at = format12 + 16 + g * 12;
      const start = view.getUint32(at);
      const end = Math.min(view.getUint32(at + 4), 0x10ffff);
      const glyph = view.getUint32(at + 8);
      for (let cp = start; cp <= end; cp++) map(cp, glyph + cp - start);
    }
  } else if (format4 >= 0) {
    const sub = format4;
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
        map(cp, glyph);
      }
    }
  } else {
    throw fail("font has no Unicode cmap");
  }
  return {
    source,
    bytes,
    weight,
    coverage,
    bmpWidths,
    astralWidths,
    bmpGlyphs,
    astralGlyphs,
  };
}
