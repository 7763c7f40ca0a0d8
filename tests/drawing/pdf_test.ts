/**
 * The PDF writer, checked by poppler (what most Linux PDF viewers are built
 * on): a page it reads without a complaint, rasterised, looks like the PNG
 * resvg draws of the same chart (gradients fading out, clipping, dashes,
 * rotated and outlined labels, accented and Greek text); and the parts on
 * their own: a font subset that is a well-formed TrueType file, arcs that
 * stay on their circle.
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { renderSvg } from "@/lib/drawing/svg.ts";
import { pdfFromSvg } from "@/lib/drawing/pdf.ts";
import { referencePng } from "@/lib/drawing/raster.ts";
import { loadFonts } from "@/lib/drawing/fonts.ts";
import { openFace, TrueTypeSubset } from "@/lib/drawing/font_subset.ts";
import { pathData } from "@/lib/drawing/svg_path.ts";
import { getFontSet, glyphOf, parseFont } from "@/lib/drawing/fonts.ts";
import { svgToPdfContent } from "@/lib/drawing/svg_pdf.ts";
import { PageFonts } from "@/lib/drawing/pdf_fonts.ts";
import { PdfFile } from "@/lib/drawing/pdf_file.ts";
import { simpleInput, tempFile } from "@/tests/exports/_inputs.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import { run, tool } from "@/tests/exports/_tools.ts";

const poppler = tool("poppler", "pdfinfo", ["-v"], "poppler-utils");

const SIZE = { width: 800, height: 450 };

/** An ECharts linear gradient from the top of a shape to its bottom. */
function downwards(top: string, bottom: string) {
  return {
    type: "linear",
    x: 0,
    y: 0,
    x2: 0,
    y2: 1,
    colorStops: [{ offset: 0, color: top }, { offset: 1, color: bottom }],
  };
}

/** A chart that uses every part of ECharts' SVG the PDF writer reads. */
const OPTION = {
  animation: false,
  title: {
    text: "Ελλάδα — café & crème <ok>",
    subtext: "fading area, rounded bars, radial slice",
    left: "center",
  },
  legend: { top: 50 },
  grid: { left: 60, right: 300, top: 90, bottom: 50 },
  dataZoom: [{ type: "inside" }],
  xAxis: {
    type: "category",
    data: ["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
    axisLabel: { rotate: 30 },
  },
  // Three points are above max: the grid clips the line and area.
  yAxis: {
    type: "value",
    max: 5,
    splitLine: { lineStyle: { type: "dashed" } },
  },
  series: [
    {
      name: "Area",
      type: "line",
      smooth: true,
      data: [3, 7, 4, 9, 6, 8],
      label: { show: true, textBorderColor: "#ffffff", textBorderWidth: 3 },
      // Fades out: a soft mask carries its alpha.
      areaStyle: {
        color: downwards("rgba(84,112,198,0.9)", "rgba(84,112,198,0)"),
      },
    },
    {
      name: "Bars",
      type: "bar",
      data: [2, 3, 5, 4, 3, 6],
      itemStyle: {
        borderRadius: [6, 6, 0, 0],
        color: downwards("#fac858", "#ee6666"),
      },
    },
    {
      name: "Share",
      type: "pie",
      center: ["82%", "58%"],
      radius: ["20%", "40%"],
      data: [
        { value: 3, name: "Ärger" },
        {
          value: 5,
          name: "Radial",
          itemStyle: {
            color: {
              type: "radial",
              x: 0.5,
              y: 0.5,
              r: 0.5,
              colorStops: [
                { offset: 0, color: "#ffffff" },
                { offset: 1, color: "#91cc75" },
              ],
            },
          },
        },
        { value: 2, name: "Half", itemStyle: { opacity: 0.5 } },
      ],
    },
  ],
};

/** Share of pixels whose colour differs by more than 64 in some channel. */
function differing(a: Uint8Array, b: Uint8Array, pixels: number): number {
  const ca = a.length / pixels, cb = b.length / pixels;
  let count = 0;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(a[p * ca + c] - b[p * cb + c]) > 64) {
        count++;
        break;
      }
    }
  }
  return count / pixels;
}

Deno.test({
  name:
    "pdf: poppler reads the page without complaint and draws what the PNG shows",
  ignore: poppler.ignore,
  async fn() {
    const { svg } = renderSvg(
      { ...OPTION, backgroundColor: "#ffffff" },
      SIZE,
    );
    const pdf = await pdfFromSvg(svg, { ...SIZE, title: "Every part" });
    await using file = await tempFile("chart.pdf", pdf);
    for (
      const [program, args] of [
        ["pdfinfo", [file.path]],
        ["pdffonts", [file.path]],
        ["pdftoppm", ["-png", "-r", "96", file.path, `${file.dir}/page`]],
      ] as const
    ) {
      const result = await run(program, [...args]);
      assert.equal(result.code, 0, result.stderr);
      // poppler reports a damaged xref, object or font on stderr.
      assert.equal(result.stderr.trim(), "", `${program}: ${result.stderr}`);
    }
    const page = decode(await Deno.readFile(`${file.dir}/page-1.png`));
    assert.deepEqual([page.width, page.height], [800, 450]);
    const png = decode(
      await referencePng(OPTION, { ...SIZE, scale: 1, background: "#ffffff" }),
    );
    const share = differing(
      page.data as Uint8Array,
      png.data as Uint8Array,
      800 * 450,
    );
    // Measured 0.25%: anti-aliasing at edges. Text a third of a line off
    // its baseline makes it 1.5%, the grid's clip left out 4%, gradients
    // drawn without their fade or left out 14–16%.
    assert.ok(share < 0.008, `${(share * 100).toFixed(2)}% of pixels differ`);

    const text = (await run("pdftotext", [file.path, "-"])).stdout;
    for (const word of ["Ελλάδα", "café", "crème", "<ok>", "Ärger", "Radial"]) {
      assert.ok(text.includes(word), `${word} not in: ${text}`);
    }
  },
});

/**
 * Share of pixels of `a` unlike every pixel of `b` in their 3×3
 * neighbourhood: what differs beyond a thin line or edge anti-aliased a
 * pixel apart (poppler snaps hairlines to the pixel grid; resvg does not).
 */
function differingBeyondEdges(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
): number {
  const ca = a.length / (width * height), cb = b.length / (width * height);
  const near = (p: number, q: number) =>
    Math.abs(a[p * ca] - b[q * cb]) <= 64 &&
    Math.abs(a[p * ca + 1] - b[q * cb + 1]) <= 64 &&
    Math.abs(a[p * ca + 2] - b[q * cb + 2]) <= 64;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let matched = false;
      for (let dy = -1; dy <= 1 && !matched; dy++) {
        for (let dx = -1; dx <= 1 && !matched; dx++) {
          const [qx, qy] = [x + dx, y + dy];
          if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
          matched = near(y * width + x, qy * width + qx);
        }
      }
      if (!matched) count++;
    }
  }
  return count / (width * height);
}

/** Rasterises a one-page PDF with poppler at 96 dpi; asserts it complains of nothing. */
async function popplerPage(pdf: Uint8Array, dir: string, name: string) {
  const path = `${dir}/${name}.pdf`;
  await Deno.writeFile(path, pdf);
  const result = await run("pdftoppm", [
    "-png",
    "-r",
    "96",
    "-singlefile",
    path,
    `${dir}/${name}`,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr.trim(), "", `${name}: ${result.stderr}`);
  return decode(await Deno.readFile(`${dir}/${name}.png`));
}

Deno.test({
  name:
    "pdf: histogram, donut, heatmap (cells and colour scale) and stacked horizontal bars look as in the PNG",
  ignore: poppler.ignore,
  async fn() {
    await using dir = await tempFile("README", new Uint8Array());
    const charts = {
      histogram: simpleInput("histogram"),
      donut: simpleInput("donut"),
      heatmap: simpleInput("heatmap"),
      bars: simpleInput("bar"),
    };
    charts.bars.spec = { ...charts.bars.spec, horizontal: true, stacked: true };
    // Enough cells that the heatmap's values are not printed over them.
    const big = simpleInput("heatmap");
    big.snapshot = {
      columns: [
        { name: "day", type: "string" },
        ...Array.from({ length: 8 }, (_, i) => ({
          name: `h${i}`,
          type: "number" as const,
        })),
      ],
      rows: Array.from({ length: 20 }, (_, d) => [
        `d${d}`,
        ...Array.from(
          { length: 8 },
          (_, h) => d === h ? null : (d * 7 + h * 3) % 17,
        ),
      ]),
    };
    big.spec = {
      ...big.spec,
      x: "day",
      series: big.snapshot.columns.slice(1).map((c) => c.name),
    };
    const all = { ...charts, big };
    for (const [name, input] of Object.entries(all)) {
      const option = compileOption(input.spec, input.snapshot);
      const { svg } = renderSvg(option, SIZE);
      const page = await popplerPage(
        await pdfFromSvg(svg, { ...SIZE, title: name }),
        dir.dir,
        name,
      );
      const png = decode(
        await referencePng(option, {
          ...SIZE,
          scale: 1,
          background: "#ffffff",
        }),
      );
      const share = differingBeyondEdges(
        page.data as Uint8Array,
        png.data as Uint8Array,
        SIZE.width,
        SIZE.height,
      );
      // Measured 0.002–0.016%, and 0.23% for the 160 outlined cells, where
      // poppler puts some 1 px white gaps a pixel wider. A colour scale left
      // out would be ~0.5%, one cell in the wrong colour ~0.35%.
      assert.ok(share < 0.003, `${name}: ${(share * 100).toFixed(3)}% differ`);
    }
  },
});

Deno.test("pdf: a font subset is a well-formed TrueType file", () => {
  const { regular } = loadFonts();
  const font = parseFont("DejaVu Sans", regular);
  const face = openFace(regular);
  const subset = new TrueTypeSubset(face);
  // "é" and "Ä" are composite glyphs in DejaVu: their parts come along.
  const wanted = [..."Aé€Ä"].map((ch) => glyphOf(font, ch.codePointAt(0)!));
  const ids = wanted.map((gid) => subset.include(gid));
  assert.deepEqual(ids, [1, 2, 3, 4]);
  const bytes = subset.encode();
  const out = openFace(bytes);
  const view = out.view;
  const count = view.getUint16(out.tables.get("maxp")!.offset + 4);
  assert.ok(count > 5, `components were added: ${count} glyphs`);
  assert.equal(subset.glyphs.length, count);
  // Every table's checksum, and the whole file's adjustment, add up.
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 4) {
    sum = (sum + view.getUint32(i)) >>> 0;
  }
  assert.equal(sum, 0xb1b0afba);
  // loca rises, and every component points inside the subset.
  const loca = out.tables.get("loca")!.offset;
  const glyf = out.tables.get("glyf")!.offset;
  for (let g = 0; g < count; g++) {
    const from = view.getUint32(loca + g * 4);
    const to = view.getUint32(loca + g * 4 + 4);
    assert.ok(to >= from);
    if (to - from >= 10 && view.getInt16(glyf + from) < 0) {
      assert.ok(view.getUint16(glyf + from + 12) < count);
    }
  }
  assert.ok(bytes.length < regular.length / 20, `${bytes.length} bytes`);
});

Deno.test("pdf: arcs become Béziers that stay on their circle", () => {
  // A half circle of radius 10 around (10, 0), drawn clockwise on screen.
  const { ops, box } = pathData("M0 0A10 10 0 0 1 20 0");
  const curves = ops.split("\n").filter((op) => op.endsWith(" c"));
  assert.equal(curves.length, 2);
  let [x0, y0] = [0, 0];
  for (const curve of curves) {
    const [x1, y1, x2, y2, x3, y3] = curve.split(" ").slice(0, 6).map(Number);
    // The curve's midpoint lies on the circle.
    const mx = (x0 + 3 * x1 + 3 * x2 + x3) / 8;
    const my = (y0 + 3 * y1 + 3 * y2 + y3) / 8;
    assert.ok(Math.abs(Math.hypot(mx - 10, my) - 10) < 0.05, `${mx},${my}`);
    [x0, y0] = [x3, y3];
  }
  assert.deepEqual([x0, y0], [20, 0]);
  // Screen y points down: a clockwise arc from left to right bulges up.
  assert.ok(box.minY <= -10 && box.maxY <= 0.001, JSON.stringify(box));
  // Relative commands and implicit lines after a move.
  assert.equal(
    pathData("m10 10 5 0 0 5z").ops,
    "10 10 m\n15 10 l\n15 15 l\nh",
  );
});

Deno.test("pdf: a clip path's own transform moves its outline, inside the path", () => {
  const svg = `<svg width="40" height="40"><defs><clipPath id="c">` +
    `<rect width="10" height="10" transform="translate(5 5)"/></clipPath>` +
    `</defs><g clip-path="url(#c)"><rect width="40" height="40" fill="#f00"/>` +
    `</g></svg>`;
  const { content } = svgToPdfContent(
    svg,
    40,
    new PageFonts(getFontSet()),
    new PdfFile(),
  );
  const lines = content.split("\n");
  const clip = lines.indexOf("W n");
  // PDF allows no `cm` between a path's first point and its W n.
  assert.deepEqual(lines.slice(clip - 5, clip), [
    "5 5 m",
    "15 5 l",
    "15 15 l",
    "5 15 l",
    "h",
  ]);
  assert.ok(lines.includes("1 0 0 rg"), content);
});

Deno.test("pdf: text runs kern like resvg and skip invisible characters", () => {
  const fonts = new PageFonts(getFontSet());
  // A variation selector DejaVu has no glyph for: no .notdef box for it.
  const [joined] = fonts.runs("A\u{e0100}V", false);
  assert.equal(joined.tj.match(/<[0-9a-f]{4}>/g)?.length, 2);
  // "AV" is a kerning pair in DejaVu Sans: closer than its two advances.
  const [pair] = fonts.runs("AV", false);
  const [a] = fonts.runs("A", false);
  const [v] = fonts.runs("V", false);
  assert.match(pair.tj, /^<[0-9a-f]{4}> \d+ <[0-9a-f]{4}>$/);
  assert.ok(pair.width < a.width + v.width, `${pair.width}`);
});
