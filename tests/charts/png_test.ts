import assert from "node:assert/strict";
import { decode } from "fast-png";
import { PNG_LIMITS, renderPng } from "../../lib/charts/png.ts";
import { renderSvg } from "../../lib/charts/svg.ts";
import { compileOption } from "../../lib/charts/compile.ts";
import type { Snapshot } from "../../lib/charts/spec.ts";
import { HttpError } from "../../lib/errors.ts";

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
        err instanceof HttpError && err.status === 400 &&
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
