/**
 * PDF pages: an SVG drawn by ECharts (text as text in DejaVu Sans) written
 * as a one-page PDF, sized to the chart (CSS px at 96 dpi, so an 800×450
 * chart is 600×337.5 pt). svg_pdf.ts turns the drawing into page content;
 * the fonts the text uses are embedded as subsets (pdf_fonts.ts), so text
 * stays text: selectable, searchable and sharp at any zoom. A character
 * DejaVu lacks (Chinese, Japanese…) is set in the first `FONT_PATHS` font
 * that has it, embedded the same way.
 *
 * Runs in the render workers (render_pool.ts, job kind "vector"). It was
 * PDFKit with svg-to-pdfkit until the session ZIP's memory was measured:
 * they cost a worker ~50 MB (module code, and a general SVG DOM per page)
 * where this costs a few, and ~28 ms per page where this takes a few.
 */
import { getFontSet } from "./fonts.ts";
import { PageFonts } from "./pdf_fonts.ts";
import { PdfFile, ref, text } from "./pdf_file.ts";
import { svgToPdfContent } from "./svg_pdf.ts";

/** PDF points per CSS pixel (72 / 96). */
const PT_PER_PX = 0.75;

/** What to put on the page: its CSS size and the document's metadata. */
export interface PdfPage {
  /** CSS px; the page is width × 0.75 pt wide. */
  width: number;
  height: number;
  title: string;
  /** The document's Subject (e.g. where the data came from). */
  subject?: string;
}

/** A PDF date: D:YYYYMMDDHHmmSSZ. */
function pdfDate(date: Date): string {
  return `D:${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

/**
 * Returns a one-page vector PDF of `svg` (an SVG whose text is text in
 * DejaVu Sans, e.g. chartSvg's `fonts: "reference"`).
 */
export async function pdfFromSvg(
  svg: string,
  page: PdfPage,
  now = new Date(),
): Promise<Uint8Array<ArrayBuffer>> {
  const file = new PdfFile();
  const fonts = new PageFonts(getFontSet());
  const { content, resources } = svgToPdfContent(
    svg,
    page.height,
    fonts,
    file,
  );
  const contents = file.addStream("", new TextEncoder().encode(content));
  const fontEntries = await fonts.embed(file);
  const pages = file.reserve();
  const pageId = file.add(
    `<< /Type /Page /Parent ${ref(pages)} /MediaBox [0 0 ${
      page.width * PT_PER_PX
    } ${page.height * PT_PER_PX}] /Resources << ${
      fontEntries ? `/Font << ${fontEntries} >> ` : ""
    }${resources} >> /Contents ${ref(contents)} >>`,
  );
  file.set(pages, `<< /Type /Pages /Kids [${ref(pageId)}] /Count 1 >>`);
  // A title shown instead of the file name, and a language: PDF/UA basics.
  const catalog = file.add(
    `<< /Type /Catalog /Pages ${ref(pages)} /Lang ${text("en")} ` +
      "/ViewerPreferences << /DisplayDocTitle true >> >>",
  );
  const info = file.add(
    `<< /Title ${text(page.title)} /Creator ${text("Chartroom")} ` +
      `/Producer ${text("Chartroom")} /CreationDate (${pdfDate(now)})` +
      (page.subject ? ` /Subject ${text(page.subject)}` : "") + " >>",
  );
  const id = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${page.title}\n${content}`),
  );
  const hex = [...new Uint8Array(id).subarray(0, 16)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return file.bytes(catalog, info, hex);
}
