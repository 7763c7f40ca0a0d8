/**
 * Text in a chart's PDF: each character set in the first server font that
 * has it (DejaVu Sans regular or bold, then the `FONT_PATHS` fonts), each
 * font embedded as a subset of the glyphs the page uses, as a CID font with
 * a ToUnicode map so the text can be selected, searched and copied.
 *
 * TrueType fonts are subset here (font_subset.ts); a font with CFF outlines
 * (Noto CJK, most .otf) by fontkit, which is loaded only for such a font.
 */
import {
  covers,
  type FontSet,
  glyphOf,
  isInvisible,
  type LoadedFont,
} from "./fonts.ts";
import {
  type FaceMetrics,
  faceMetrics,
  type FontFace,
  glyphAdvance,
  hasGlyfOutlines,
  kerningPairs,
  openFace,
  TrueTypeSubset,
} from "./font_subset.ts";
import { name, num, type PdfFile, ref } from "./pdf_file.ts";

/** A stretch of text in one font, as the operand of a TJ operator. */
export interface TextRun {
  /** The font's resource name on the page (e.g. "F0"). */
  font: string;
  /** Two-byte glyph codes as hex strings, with kerning between them. */
  tj: string;
  /** Advance of the run in em, kerning included. */
  width: number;
}

/** One font of the page: the glyphs used so far, in first-use order. */
class PageFont {
  readonly face: FontFace;
  readonly metrics: FaceMetrics;
  /** Original glyph ids by code (the code is the index). */
  readonly glyphs: number[] = [0];
  readonly #codes = new Map<number, number>([[0, 0]]);
  /** The text each code stands for, for the ToUnicode map. */
  readonly unicode = new Map<number, string>();
  readonly #kerning: Map<number, number>;

  constructor(readonly loaded: LoadedFont, readonly resource: string) {
    this.face = openFace(loaded.bytes);
    this.metrics = faceMetrics(this.face);
    this.#kerning = kerningPairs(this.face);
  }

  /** Returns the kerning between two codes in em (negative: closer). */
  kern(left: number, right: number): number {
    const k = this.#kerning.get(this.glyphs[left] * 65536 + this.glyphs[right]);
    return k ? k / this.metrics.unitsPerEm : 0;
  }

  /** Returns the code of `ch` (code point `cp`) and its advance in em. */
  code(cp: number, ch: string): { code: number; width: number } {
    const gid = glyphOf(this.loaded, cp);
    let code = this.#codes.get(gid);
    if (code === undefined) {
      code = this.glyphs.length;
      this.glyphs.push(gid);
      this.#codes.set(gid, code);
    }
    if (gid !== 0 && !this.unicode.has(code)) this.unicode.set(code, ch);
    return {
      code,
      width: glyphAdvance(this.face, gid) / this.metrics.unitsPerEm,
    };
  }
}

/** The fonts of one PDF page; see the module comment. */
export class PageFonts {
  readonly #set: FontSet;
  readonly #used = new Map<LoadedFont, PageFont>();

  constructor(set: FontSet) {
    this.#set = set;
  }

  #fontFor(cp: number, bold: boolean): LoadedFont {
    const set = this.#set;
    const first = bold ? set.bold : set.regular;
    if (isInvisible(cp) || covers(first, cp)) return first;
    const other = bold ? set.regular : set.bold;
    if (covers(other, cp)) return other;
    const candidates = set.extra.filter((font) => covers(font, cp));
    // A bold text prefers a bold fallback font when one is configured.
    return candidates.find((font) => (font.weight >= 600) === bold) ??
      candidates[0] ?? first;
  }

  #pageFont(loaded: LoadedFont): PageFont {
    let font = this.#used.get(loaded);
    if (!font) {
      font = new PageFont(loaded, `F${this.#used.size}`);
      this.#used.set(loaded, font);
    }
    return font;
  }

  /** Splits `text` into runs, each in the first font that has its characters. */
  runs(text: string, bold: boolean): TextRun[] {
    const runs: TextRun[] = [];
    let current: TextRun | undefined;
    let previous = -1;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const loaded = this.#fontFor(cp, bold);
      // A joiner, selector or control without a glyph draws nothing.
      if (isInvisible(cp) && !covers(loaded, cp)) continue;
      const font = this.#pageFont(loaded);
      const { code, width } = font.code(cp, ch);
      const hex = code.toString(16).padStart(4, "0");
      if (current?.font !== font.resource) {
        current = { font: font.resource, tj: `<${hex}>`, width };
        runs.push(current);
      } else {
        const kern = font.kern(previous, code);
        // TJ numbers are thousandths of the size, subtracted from the advance.
        current.tj += kern
          ? ` ${Math.round(-kern * 1000)} <${hex}>`
          : `<${hex}>`;
        current.width += width + kern;
      }
      previous = code;
    }
    return runs;
  }

  /** Embeds every font used; returns the page's /Font resource entries. */
  async embed(file: PdfFile): Promise<string> {
    const entries: string[] = [];
    for (const font of this.#used.values()) {
      entries.push(`/${font.resource} ${ref(await embedFont(file, font))}`);
    }
    return entries.join(" ");
  }
}

/** The subset font program: TrueType here, CFF by fontkit. */
async function subsetProgram(
  font: PageFont,
): Promise<{ bytes: Uint8Array; cff: boolean }> {
  if (hasGlyfOutlines(font.face)) {
    const subset = new TrueTypeSubset(font.face);
    for (const gid of font.glyphs) subset.include(gid);
    return { bytes: subset.encode(), cff: false };
  }
  const fontkit = await import("fontkit") as unknown as {
    create(bytes: Uint8Array, postscriptName?: string): {
      createSubset(): {
        includeGlyph(gid: number): number;
        encode(): Uint8Array;
      };
    };
  };
  const collection = font.face.view.getUint32(0) === 0x74746366; // "ttcf"
  const parsed = fontkit.create(
    font.face.bytes,
    collection ? font.metrics.postscriptName : undefined,
  );
  const subset = parsed.createSubset();
  // Included in code order, so each glyph's subset id is its code.
  for (const gid of font.glyphs.slice(1)) subset.includeGlyph(gid);
  return { bytes: subset.encode(), cff: true };
}

/** A six-letter subset tag derived from the glyphs (PDF 32000 §9.6.4). */
function subsetTag(glyphs: readonly number[]): string {
  let hash = 2166136261;
  for (const g of glyphs) hash = Math.imul(hash ^ g, 16777619) >>> 0;
  let tag = "";
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.floor(hash / 26) + i * 7919;
  }
  return tag;
}

async function embedFont(file: PdfFile, font: PageFont): Promise<number> {
  const { bytes, cff } = await subsetProgram(font);
  const m = font.metrics;
  const baseFont = name(`${subsetTag(font.glyphs)}+${m.postscriptName}`);
  const program = cff
    ? file.addStream("/Subtype /CIDFontType0C", bytes)
    : file.addStream(`/Length1 ${bytes.length}`, bytes);
  // Flags: symbolic (4); italic (64) when the face slants.
  const flags = 4 | (m.italicAngle !== 0 ? 64 : 0);
  const descriptor = file.add(
    `<< /Type /FontDescriptor /FontName ${baseFont} /Flags ${flags} ` +
      `/FontBBox [${m.bbox.join(" ")}] /ItalicAngle ${num(m.italicAngle)} ` +
      `/Ascent ${m.ascent} /Descent ${m.descent} /CapHeight ${m.capHeight} ` +
      `/StemV ${m.weight >= 600 ? 120 : 80} ` +
      `/${cff ? "FontFile3" : "FontFile2"} ${ref(program)} >>`,
  );
  const widths = font.glyphs.map((gid) =>
    Math.round((glyphAdvance(font.face, gid) * 1000) / m.unitsPerEm)
  );
  const cidFont = file.add(
    `<< /Type /Font /Subtype /${
      cff ? "CIDFontType0" : "CIDFontType2"
    } /BaseFont ${baseFont} ` +
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> " +
      `/FontDescriptor ${ref(descriptor)} /W [0 [${widths.join(" ")}]]` +
      (cff ? "" : " /CIDToGIDMap /Identity") + " >>",
  );
  const toUnicode = file.addStream("", new TextEncoder().encode(cmap(font)));
  return file.add(
    `<< /Type /Font /Subtype /Type0 /BaseFont ${baseFont} ` +
      `/Encoding /Identity-H /DescendantFonts [${ref(cidFont)}] ` +
      `/ToUnicode ${ref(toUnicode)} >>`,
  );
}

/** The ToUnicode CMap: each two-byte code to the text it stands for. */
function cmap(font: PageFont): string {
  const utf16 = (text: string) => {
    let hex = "";
    for (let i = 0; i < text.length; i++) {
      hex += text.charCodeAt(i).toString(16).padStart(4, "0");
    }
    return hex;
  };
  const pairs = [...font.unicode].map(([code, text]) =>
    `<${code.toString(16).padStart(4, "0")}> <${utf16(text)}>`
  );
  const blocks: string[] = [];
  // At most 100 entries per bfchar block.
  for (let i = 0; i < pairs.length; i += 100) {
    const block = pairs.slice(i, i + 100);
    blocks.push(
      `${block.length} beginbfchar\n${block.join("\n")}\nendbfchar`,
    );
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <ffff>",
    "endcodespacerange",
    ...blocks,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
}
