import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { loadFonts, renderSvg } from "./lib/charts/svg.ts";
const peers = JSON.parse(Deno.readTextFileSync("/work/shared/bench/peer-charts.json")).charts;
await initWasm(Deno.readFileSync(new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"))));
const { regular, bold } = loadFonts();
function med(a: number[]) { a.sort((x, y) => x - y); return a[a.length >> 1].toFixed(1); }
for (const [name, opt] of Object.entries(peers)) {
  const t = { svg: [] as number[], parse: [] as number[], render: [] as number[], png: [] as number[], parseNoBold: [] as number[], parseNoFont: [] as number[] };
  for (let i = 0; i < 8; i++) {
    let t0 = performance.now();
    const svg = renderSvg(opt as Record<string, unknown>, { width: 800, height: 400 });
    let t1 = performance.now(); t.svg.push(t1 - t0);
    const r = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "#fff", font: { fontBuffers: [regular, bold], defaultFontFamily: "DejaVu Sans" } });
    t0 = performance.now(); t.parse.push(t0 - t1);
    const img = r.render();
    t1 = performance.now(); t.render.push(t1 - t0);
    img.asPng();
    t0 = performance.now(); t.png.push(t0 - t1);
    img.free(); r.free();
    t1 = performance.now();
    new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { fontBuffers: [regular], defaultFontFamily: "DejaVu Sans" } }).free();
    t.parseNoBold.push(performance.now() - t1);
    t1 = performance.now();
    new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { fontBuffers: [], defaultFontFamily: "DejaVu Sans" } }).free();
    t.parseNoFont.push(performance.now() - t1);
  }
  console.log(name, Object.entries(t).map(([k, v]) => `${k}=${med(v)}`).join(" "));
}
