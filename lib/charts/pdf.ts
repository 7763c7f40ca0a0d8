/**
 * PDF pages: an SVG drawn by ECharts (text as text in DejaVu Sans) replayed
 * onto a one-page PDFKit document by svg-to-pdfkit, sized to the chart (CSS
 * px at 96 dpi, so an 800×450 chart is 600×337.5 pt). The DejaVu Sans TTFs
 * are embedded as subsets, so text stays text: selectable, searchable and
 * sharp at any zoom. A text that needs a glyph DejaVu lacks (Chinese,
 * Japanese…) is set in the first `FONT_PATHS` font that has it, embedded the
 * same way.
 *
 * Runs in the render workers (render_pool.ts, job kind "vector"): PDFKit and
 * fontkit are only ever loaded there, never on the request thread.
 */
import PDFDocument from "pdfkit";
import * as fontkit from "fontkit";
import SVGtoPDF from "svg-to-pdfkit";
import {
  covers,
  type FontSet,
  getFontSet,
  isInvisible,
  loadFonts,
} from "./fonts.ts";

/** PDF points per CSS pixel (72 / 96). */
const PT_PER_PX = 0.75;

const REGULAR = "DejaVuSans";
const BOLD = "DejaVuSans-Bold";

/** Font name prefix of the `FONT_PATHS` fonts inside a PDF. */
const EXTRA = "chartroom-extra-";

const ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

function unescapeXml(text: string): string {
  return text.replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi,
    (whole, name: string) => {
      if (name[0] !== "#") return ENTITIES[name] ?? whole;
      const cp = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return String.fromCodePoint(cp);
    },
  );
}

/**
 * Returns the SVG with each `<text>` that needs a glyph DejaVu Sans lacks set
 * in the first configured extra font that has one, and which extra fonts
 * (indexes into `set.extra`) it now uses. svg-to-pdfkit picks one font per
 * text element, so the choice is made per element here.
 */
export function withFallbackFonts(
  svg: string,
  set: FontSet,
): { svg: string; used: Set<number> } {
  const used = new Set<number>();
  if (set.extra.length === 0) return { svg, used };
  const out = svg.replace(
    /<text\b([^>]*)>([^<]*)<\/text>/g,
    (whole, attrs: string, content: string) => {
      let pick = -1;
      for (const ch of unescapeXml(content)) {
        const cp = ch.codePointAt(0)!;
        if (
          isInvisible(cp) || covers(set.regular, cp) || covers(set.bold, cp)
        ) continue;
        // A bold text prefers a bold fallback font when one is configured.
        const bold = /font-weight:\s*(?:bold|[6-9]00)/.test(attrs);
        const candidates = set.extra.map((font, i) => ({ font, i }))
          .filter(({ font }) => covers(font, cp));
        pick = (candidates.find(({ font }) => (font.weight >= 600) === bold) ??
          candidates[0])?.i ?? -1;
        if (pick >= 0) break;
      }
      if (pick < 0) return whole;
      used.add(pick);
      const family = `font-family:${EXTRA}${pick};`;
      const styled = /font-family:[^;"]*;?/.test(attrs)
        ? attrs.replace(/font-family:[^;"]*;?/, family)
        : attrs.replace(/style="/, `style="${family}`);
      return `<text${
        styled === attrs ? `${attrs} style="${family}"` : styled
      }>${content}</text>`;
    },
  );
  return { svg: out, used };
}

/**
 * Returns the PostScript name of the first face of a font collection (TTC),
 * which PDFKit needs to pick a face; undefined for a single font.
 */
export function collectionFaceName(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 16 || view.getUint32(0) !== 0x74746366) return undefined; // "ttcf"
  const face = view.getUint32(12);
  const tables = view.getUint16(face + 4);
  for (let i = 0; i < tables; i++) {
    const record = face + 12 + i * 16;
    if (view.getUint32(record) !== 0x6e616d65) continue; // "name"
    const name = view.getUint32(record + 8);
    const count = view.getUint16(name + 2);
    const strings = name + view.getUint16(name + 4);
    for (let r = 0; r < count; r++) {
      const at = name + 6 + r * 12;
      const platform = view.getUint16(at);
      if (view.getUint16(at + 6) !== 6) continue; // PostScript name
      const length = view.getUint16(at + 8);
      const start = strings + view.getUint16(at + 10);
      const raw = bytes.subarray(start, start + length);
      return platform === 3 || platform === 0
        ? new TextDecoder("utf-16be").decode(raw)
        : new TextDecoder("latin1").decode(raw);
    }
  }
  return undefined;
}

/** A font parsed by fontkit; PDFKit takes it in place of the font's bytes. */
interface ParsedFont {
  layout(...args: unknown[]): unknown;
}

/** The part of PDFKit's API used here (it ships no types). */
interface PdfDoc {
  registerFont(name: string, src: ParsedFont, family?: string): PdfDoc;
  on(event: "data", listener: (chunk: Uint8Array) => void): PdfDoc;
  on(event: "end", listener: () => void): PdfDoc;
  on(event: "error", listener: (error: unknown) => void): PdfDoc;
  end(): void;
}

type PdfDocConstructor = new (options: Record<string, unknown>) => PdfDoc;
type SvgToPdf = (
  doc: PdfDoc,
  svg: string,
  x: number,
  y: number,
  options: Record<string, unknown>,
) => void;

/**
 * Fonts parsed once per process and shared by every document: PDFKit would
 * otherwise run fontkit over each font's bytes again for each PDF (~2 MB of
 * DejaVu per document, most of it garbage right after). Each document still
 * makes its own subset.
 */
const parsed = new WeakMap<Uint8Array, ParsedFont>();

function parsedFont(bytes: Uint8Array, face?: string): ParsedFont {
  let font = parsed.get(bytes);
  if (!font) {
    font = (fontkit as unknown as {
      create(bytes: Uint8Array, postscriptName?: string): ParsedFont;
    }).create(bytes, face);
    parsed.set(bytes, font);
  }
  return font;
}

/** What to put on the page: its CSS size and the document's metadata. */
export interface PdfPage {
  /** CSS px; the page is width × 0.75 pt wide. */
  width: number;
  height: number;
  title: string;
  /** The document's Subject (e.g. where the data came from). */
  subject?: string;
}

/**
 * Returns a one-page vector PDF of `svg` (an SVG whose text is text in
 * DejaVu Sans, e.g. chartSvg's `fonts: "reference"`), streamed as PDFKit
 * writes it; a text DejaVu lacks is set in a `FONT_PATHS` font that has it.
 */
export function pdfFromSvg(
  svgText: string,
  page: PdfPage,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const fonts = getFontSet();
  const fallback = withFallbackFonts(svgText, fonts);
  const svg = fallback.svg;
  const width = page.width * PT_PER_PX;
  const height = page.height * PT_PER_PX;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      const doc = new (PDFDocument as unknown as PdfDocConstructor)({
        size: [width, height],
        margin: 0,
        compress: true,
        // PDF/UA-ish basics: a title shown instead of the file name, a language.
        displayTitle: true,
        lang: "en",
        info: {
          Title: page.title,
          Creator: "Chartroom",
          Producer: "Chartroom (PDFKit)",
          ...(page.subject ? { Subject: page.subject } : {}),
        },
      });
      const { regular, bold } = loadFonts();
      doc.registerFont(REGULAR, parsedFont(regular))
        .registerFont(BOLD, parsedFont(bold));
      for (const index of fallback.used) {
        const font = fonts.extra[index];
        doc.registerFont(
          `${EXTRA}${index}`,
          parsedFont(font.bytes, collectionFaceName(font.bytes)),
        );
      }
      doc.on("data", (chunk) => controller.enqueue(new Uint8Array(chunk)));
      doc.on("end", () => controller.close());
      doc.on("error", (error) => controller.error(error));
      (SVGtoPDF as unknown as SvgToPdf)(doc, svg, 0, 0, {
        width,
        height,
        preserveAspectRatio: "xMinYMin meet",
        fontCallback: (family: string, isBold: boolean) => {
          const extra = new RegExp(`${EXTRA}\\d+`).exec(family ?? "");
          return extra ? extra[0] : isBold ? BOLD : REGULAR;
        },
      });
      doc.end();
    },
  });
}
