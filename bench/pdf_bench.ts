/**
 * PDF page benchmark: the four peer charts of shared/bench at 800×400, each
 * drawn once as ECharts SVG, then written as a PDF page (pdf.ts: SVG to PDF
 * operators, font subsets, deflate) in this isolate, as a render worker does
 * for the PDF export and every chart of a ZIP. Prints the page sizes too.
 * Run: deno task bench (or deno bench -A bench/pdf_bench.ts).
 */
import { renderSvg } from "@/lib/drawing/svg.ts";
import { pdfFromSvg } from "@/lib/drawing/pdf.ts";
import { loadPeerCharts, PEER_SIZE } from "./_peer_charts.ts";

const peers = await loadPeerCharts();
if (peers === null) {
  console.warn("pdf_bench: peer-charts.json not found; skipping");
} else {
  const page = { width: PEER_SIZE.width, height: PEER_SIZE.height };
  for (const [name, option] of Object.entries(peers)) {
    const { svg } = renderSvg({ ...option, backgroundColor: "#ffffff" }, page);
    const pdf = await pdfFromSvg(svg, { ...page, title: name });
    console.log(`pdf: peer ${name}: ${Math.round(pdf.length / 1024)} KB`);
    Deno.bench({
      name: `pdf page: peer ${name} 800×400`,
      group: "pdf",
      warmup: 5,
      n: name === "scatter" ? 10 : 40,
      async fn() {
        await pdfFromSvg(svg, { ...page, title: name });
      },
    });
  }
}
