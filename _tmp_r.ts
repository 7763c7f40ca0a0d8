import { compileOption } from "./lib/charts/compile.ts";
import { renderPng } from "./lib/charts/png.ts";
import { renderSvg } from "./lib/charts/svg.ts";
const n = 1000;
const rows = Array.from({ length: n }, (_, i) => {
  const d = new Date(Date.UTC(2022, 0, 1) + i * 86400000).toISOString().slice(0, 10);
  return [d, 100 + Math.sin(i / 30) * 20 + (i % 7), i % 50 === 0 ? null : 80 + Math.cos(i / 40) * 10];
});
const snap = { columns: [{ name: "date", type: "date" as const, label: "Date" }, { name: "value", type: "number" as const, label: "Value (units)" }, { name: "other", type: "number" as const, label: "Other" }], rows };
const specs = {
  line: { type: "line" as const, title: "Daily value <&> \"quoted\"", subtitle: "1,000 points", x: "date", series: ["value", "other"] },
  bar: { type: "bar" as const, title: "Sales by region", x: "cat", series: ["n", "s", "w"] },
  hbar: { type: "bar" as const, horizontal: true, stacked: true, title: "Horizontal stacked", x: "cat", series: ["n", "s", "w"] },
  pie: { type: "pie" as const, title: "Share", x: "cat", series: ["n"] },
  area: { type: "area" as const, stacked: true, title: "Stacked area", x: "cat", series: ["n", "s", "w"] },
  scatter: { type: "scatter" as const, title: "Scatter by group", x: "n", series: ["s"], group: "g" },
};
const cats = ["Alpha", "Bravo", "Charlie", "Delta", "Echo Foxtrot Golf long name", "Hotel", "India", "Juliet"];
const snap2 = { columns: [{ name: "cat", type: "string" as const, label: "Category" }, { name: "n", type: "number" as const, label: "North" }, { name: "s", type: "number" as const, label: "South" }, { name: "w", type: "number" as const, label: "West" }, { name: "g", type: "string" as const }], rows: cats.map((c, i) => [c, 10 + i * 3, 1200 + i * 250 * (i % 3), -5 + i, i % 2 ? "odd" : "even"]) };
for (const [k, spec] of Object.entries(specs)) {
  const s = k === "line" ? snap : snap2;
  const opt = compileOption(spec, s);
  const t = performance.now();
  const png = await renderPng(opt, { width: 800, height: 400, scale: 1 });
  console.log(k, (performance.now() - t).toFixed(0), "ms", png.length);
  await Deno.writeFile(`/tmp/out/${k}.png`, png);
  if (k === "line") await Deno.writeTextFile(`/tmp/out/${k}.svg`, renderSvg(opt, { width: 800, height: 400 }));
}
const p = compileOption(specs.bar, snap2, { preview: true });
await Deno.writeFile(`/tmp/out/preview.png`, await renderPng(p, { width: 240, height: 140, scale: 2 }));
