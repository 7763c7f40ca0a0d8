import assert from "node:assert/strict";
import { decode } from "fast-png";
import { PNG_LIMITS, renderPng } from "@/lib/drawing/png.ts";
import { renderSvg } from "@/lib/drawing/svg.ts";
import {
  compileOption,
  HEATMAP_COLORS,
  PALETTE,
} from "@/lib/charts/compile.ts";
import type { ChartType, Snapshot } from "@/lib/charts/spec.ts";
import { simpleInput } from "@/tests/exports/_inputs.ts";
import { AppError } from "@/lib/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

const snapshot: Snapshot = {
  columns: [
    { name: "region", type: "string", label: "Region" },
    { name: "units", type: "number", label: "Units" },
  ],
  rows: [["North", 120], ["South", 80], ["East", 150], ["West", -20]],
};
const barOption = compileOption(
  { type: "bar", title: "Units by region", x: "region", series: ["units"] },
  snapshot,
);

/** Width and height from the IHDR chunk, which must come first. */
function ihdrSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  return [view.getUint32(16), view.getUint32(20)];
}

interface Pixels {
  width: number;
  height: number;
  at(x: number, y: number): [number, number, number, number];
}

function pixels(png: Uint8Array): Pixels {
  const image = decode(png, { checkCrc: true });
  assert.equal(image.depth, 8);
  const channels = image.channels;
  const data = image.data as Uint8Array;
  return {
    width: image.width,
    height: image.height,
    at(x, y) {
      const i = (y * image.width + x) * channels;
      return channels === 4
        ? [data[i], data[i + 1], data[i + 2], data[i + 3]]
        : [data[i], data[i + 1], data[i + 2], 255];
    },
  };
}

/** Number of pixels that differ from pure white. */
function inkedPixels(png: Uint8Array): number {
  const image = pixels(png);
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.at(x, y);
      if (r < 250 || g < 250 || b < 250) count++;
    }
  }
  return count;
}

Deno.test("png: the image is exactly width*scale × height*scale", async () => {
  for (const [width, height, scale] of [[800, 400, 2], [333, 101, 1]]) {
    const png = await renderPng(barOption, { width, height, scale });
    assert.deepEqual(ihdrSize(png), [width * scale, height * scale]);
    const image = pixels(png);
    assert.deepEqual([image.width, image.height], [
      width * scale,
      height * scale,
    ]);
  }
});

Deno.test("png: a chart is drawn, not one flat colour", async () => {
  const png = await renderPng(barOption, { width: 400, height: 300 });
  const image = pixels(png);
  assert.deepEqual(image.at(0, 0), [255, 255, 255, 255], "white corner");
  const colours = new Set<string>();
  for (let y = 0; y < image.height; y += 3) {
    for (let x = 0; x < image.width; x += 3) {
      colours.add(image.at(x, y).join());
    }
  }
  assert.ok(colours.size > 10, `only ${colours.size} colours`);
  // Bars are drawn in the first palette colour, #4e79a7.
  let bar = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.at(x, y);
      if (r === 0x4e && g === 0x79 && b === 0xa7) bar++;
    }
  }
  assert.ok(bar > 1000, `only ${bar} bar pixels`);
});

Deno.test("png: text is drawn (the fonts load)", async () => {
  const size = { width: 400, height: 200 };
  const empty = await renderPng({}, size);
  const titled = await renderPng({
    title: { text: "Quarterly", textStyle: { fontSize: 48 } },
  }, size);
  assert.equal(inkedPixels(empty), 0);
  assert.ok(
    inkedPixels(titled) > 2000,
    `title inked ${inkedPixels(titled)} pixels`,
  );
});

Deno.test("png: background colour fills the image; transparent leaves it clear", async () => {
  const size = { width: 200, height: 120 };
  const red = pixels(await renderPng({}, { ...size, background: "#ff0000" }));
  assert.deepEqual(red.at(5, 5), [255, 0, 0, 255]);
  const clear = pixels(
    await renderPng(barOption, { ...size, background: "transparent" }),
  );
  assert.equal(clear.at(0, 0)[3], 0);
});

Deno.test("png: semi-transparent colours keep their hue on a transparent background", async () => {
  const png = await renderPng({
    graphic: [{
      type: "rect",
      shape: { x: 0, y: 0, width: 200, height: 120 },
      style: { fill: "rgba(255, 128, 64, 0.5)" },
    }],
  }, { width: 200, height: 120, background: "transparent" });
  const [r, g, b, a] = pixels(png).at(100, 60);
  assert.ok(Math.abs(a - 128) <= 1, `alpha ${a}`);
  assert.ok(
    r >= 253 && Math.abs(g - 128) <= 2 && Math.abs(b - 64) <= 2,
    [
      r,
      g,
      b,
    ].join(),
  );
});

Deno.test("png: sizes, scale and background out of bounds are a 400 naming the option", async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ width: PNG_LIMITS.minWidth - 1, height: 400 }, "width"],
    [{ width: PNG_LIMITS.maxWidth + 1, height: 400 }, "width"],
    [{ width: 800.5, height: 400 }, "width"],
    [{ width: 800, height: PNG_LIMITS.maxHeight + 1 }, "height"],
    [{ width: 800, height: 400, scale: PNG_LIMITS.maxScale + 1 }, "scale"],
    [{ width: 800, height: 400, scale: 0 }, "scale"],
    [{ width: 800, height: 400, background: 'red"/><script>' }, "background"],
  ];
  for (const [options, name] of cases) {
    await assert.rejects(
      renderPng(barOption, options as never),
      (err) =>
        err instanceof AppError && statusOf(err) === 400 &&
        err.message.startsWith(name),
      JSON.stringify(options),
    );
  }
});

Deno.test("svg: the title is in the SVG, escaped", () => {
  const { svg } = renderSvg(
    { title: { text: 'Sales <script>alert("x")</script> & more' } },
    { width: 400, height: 200 },
  );
  assert.ok(svg.startsWith("<svg"));
  assert.ok(!svg.includes("<script>"));
  assert.ok(svg.includes("&lt;script&gt;"), svg);
  assert.ok(svg.includes("&amp; more"));
});

Deno.test("svg: text is set in DejaVu Sans and the size is as asked", () => {
  const { svg } = renderSvg(barOption, { width: 640, height: 360 });
  assert.match(svg, /<svg width="640" height="360"/);
  assert.match(svg, /font-family:DejaVu Sans/);
  assert.ok(svg.includes("Units by region"));
});

/** The compiled chart of a per-type fixture as an 800×450 PNG. */
async function fixturePng(type: ChartType): Promise<Pixels> {
  const { spec, snapshot } = simpleInput(type);
  return pixels(
    await renderPng(compileOption(spec, snapshot), { width: 800, height: 450 }),
  );
}

/** Every pixel of exactly `hex`, as [x, y] pairs. */
function pixelsOf(image: Pixels, hex: string): [number, number][] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const found: [number, number][] = [];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const p = image.at(x, y);
      if (p[0] === r && p[1] === g && p[2] === b) found.push([x, y]);
    }
  }
  return found;
}

/** Runs of `hex` along row `y`, joining gaps of up to 3 px (bin borders). */
function runsAlong(image: Pixels, y: number, hex: string): [number, number][] {
  const xs = pixelsOf(image, hex).filter(([, py]) => py === y).map(([x]) => x);
  const runs: [number, number][] = [];
  for (const x of xs) {
    const last = runs[runs.length - 1];
    if (last && x - last[1] <= 4) last[1] = x;
    else runs.push([x, x]);
  }
  return runs;
}

Deno.test("png: a histogram's bars touch, equal in width, an empty bin left as a gap", async () => {
  const image = await fixturePng("histogram");
  const bar = PALETTE[0];
  // The lowest row crossing every bar: just above the x axis.
  const rows = new Map<number, number>();
  for (const [, y] of pixelsOf(image, bar)) rows.set(y, (rows.get(y) ?? 0) + 1);
  const base = Math.max(...rows.keys()) - 2;
  // Bins 0–0.75 touch, 0.75–1 is empty, 1–1.5 touch.
  const runs = runsAlong(image, base, bar);
  assert.equal(runs.length, 2, JSON.stringify(runs));
  const [first, second] = runs.map(([a, b]) => b - a + 1);
  const gap = runs[1][0] - runs[0][1] - 1;
  assert.ok(Math.abs(first / second - 1.5) < 0.05, `${first} vs ${second}`);
  assert.ok(Math.abs(gap / (second / 2) - 1) < 0.1, `gap ${gap}`);
  assert.ok(first > 250, `the bars span the plot: ${first} px`);
});

Deno.test("png: a donut is a ring (its centre is white) where a pie is filled", async () => {
  const donut = await fixturePng("donut");
  const pie = await fixturePng("pie");
  // Centre at (50%, 60%); radius 60% of 225 px, the ring's inner edge 36%.
  const [cx, cy] = [400, 270];
  assert.deepEqual(donut.at(cx, cy), [255, 255, 255, 255]);
  assert.notDeepEqual(pie.at(cx, cy), [255, 255, 255, 255]);
  const palette = new Set(PALETTE.map((hex) => hex.slice(1)));
  const hexAt = (image: Pixels, x: number, y: number) =>
    image.at(x, y).slice(0, 3).map((v) => v.toString(16).padStart(2, "0"))
      .join("");
  // Midway across the ring, inside each of the four slices (clockwise from
  // the top: 21%, 27%, 16% and 36% of the circle), each in its own colour.
  const colours = [40, 120, 200, 300].map((degrees) => {
    const angle = degrees * Math.PI / 180;
    const [x, y] = [
      Math.round(cx + 108 * Math.sin(angle)),
      Math.round(cy - 108 * Math.cos(angle)),
    ];
    const hex = hexAt(donut, x, y);
    assert.ok(palette.has(hex), `ring at ${degrees}°: ${hex}`);
    return hex;
  });
  assert.equal(new Set(colours).size, 4);
});

Deno.test("png: a heatmap colours each cell on its scale and draws the scale", async () => {
  const image = await fixturePng("heatmap");
  const centre = (points: [number, number][]) => {
    const inPlot = points.filter(([x]) => x < 700);
    const sum = inPlot.reduce((s, [x, y]) => [s[0] + x, s[1] + y], [0, 0]);
    return {
      n: inPlot.length,
      x: sum[0] / inPlot.length,
      y: sum[1] / inPlot.length,
    };
  };
  // Highest value: Revenue (top row) in 2024-04 (last column).
  const high = centre(pixelsOf(image, HEATMAP_COLORS.at(-1)!));
  assert.ok(
    high.n > 5000 && high.x > 450 && high.y < 200,
    JSON.stringify(high),
  );
  // Lowest value: Cost (bottom row) in 2024-01 (first column).
  const low = centre(pixelsOf(image, HEATMAP_COLORS[0]));
  assert.ok(low.n > 5000 && low.x < 300 && low.y > 220, JSON.stringify(low));
  // The colour scale right of the plot: dark at the top, light at the bottom.
  const scale: [number, number][] = [];
  for (let y = 0; y < image.height; y++) {
    for (let x = 740; x < image.width; x++) {
      const [r, , b] = image.at(x, y);
      if (b - r > 25) scale.push([x, y]);
    }
  }
  assert.ok(scale.length > 1000, `${scale.length} scale pixels`);
  const ys = scale.map(([, y]) => y);
  const [top, bottom] = [Math.min(...ys), Math.max(...ys)];
  const x = scale[0][0] + 3;
  const lightness = (y: number) =>
    image.at(x, y).slice(0, 3).reduce((a, v) => a + v);
  assert.ok(lightness(top + 2) < lightness(bottom - 2), "dark end on top");
});
