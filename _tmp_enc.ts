import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { loadFonts, renderSvg } from "./lib/charts/svg.ts";
const peers = JSON.parse(Deno.readTextFileSync("/work/shared/bench/peer-charts.json")).charts;
await initWasm(Deno.readFileSync(new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"))));
const { regular, bold } = loadFonts();
const CRC = new Int32Array(256); for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; CRC[n] = c; }
function crc32(parts: Uint8Array[]) { let c = -1; for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC[(c ^ p[i]) & 0xff] ^ (c >>> 8); return (c ^ -1) >>> 0; }
async function encode(px: Uint8Array, w: number, h: number, mode: string) {
  const stride = w * 4; const raw = new Uint8Array((stride + 1) * h);
  for (let y = 0; y < h; y++) {
    const o = y * (stride + 1); const s = y * stride;
    if (mode === "none" || y === 0) { raw[o] = 0; raw.set(px.subarray(s, s + stride), o + 1); }
    else { raw[o] = 2; for (let i = 0; i < stride; i++) raw[o + 1 + i] = (px[s + i] - px[s - stride + i]) & 0xff; }
  }
  const z = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
  return z.length;
}
for (const [name, opt] of Object.entries(peers)) {
  const svg = renderSvg(opt as Record<string, unknown>, { width: 800, height: 400 });
  const r = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "#fff", font: { fontBuffers: [regular, bold], defaultFontFamily: "DejaVu Sans" } });
  const img = r.render();
  for (let i = 0; i < 4; i++) {
    let t0 = performance.now(); const a = img.asPng(); let t1 = performance.now();
    const px = img.pixels; let t2 = performance.now();
    const up = await encode(px, img.width, img.height, "up"); let t3 = performance.now();
    const none = await encode(px, img.width, img.height, "none"); let t4 = performance.now();
    if (i === 3) console.log(name, `asPng ${(t1-t0).toFixed(1)}ms ${a.length}B | pixels ${(t2-t1).toFixed(1)} | up ${(t3-t2).toFixed(1)}ms ${up}B | none ${(t4-t3).toFixed(1)}ms ${none}B`);
  }
}
