import assert from "node:assert/strict";
import { decode } from "fast-png";
import { rasterPng, referencePng } from "@/lib/drawing/raster.ts";
import { planScene } from "@/lib/drawing/scene.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import { simpleInput } from "@/tests/exports/_inputs.ts";
import {
  barOption,
  lineOption,
  pieOption,
  scatterOption,
  seeded,
} from "@/tests/charts/_chart_options.ts";

type Option = Record<string, unknown>;
const SIZE = { width: 800, height: 400 };

interface Diff {
  /** Mean of each pixel's largest channel difference (0..255). */
  mean: number;
  /** Share of pixels whose largest channel difference is over 40. */
  visible: number;
  max: number;
}

function pixelDiff(a: Uint8Array, b: Uint8Array): Diff {
  const x = decode(a), y = decode(b);
  assert.deepEqual([x.width, x.height], [y.width, y.height]);
  assert.equal(x.channels, 4);
  assert.equal(y.channels, 4);
  const p = x.data as Uint8Array, q = y.data as Uint8Array;
  let sum = 0, visible = 0, max = 0;
  for (let i = 0; i < p.length; i += 4) {
    // Compared premultiplied: what shows over any background. (Straight
    // colours of nearly transparent pixels amplify rounding noise.)
    const pa = p[i + 3] / 255, qa = q[i + 3] / 255;
    const d = Math.round(Math.max(
      Math.abs(p[i] * pa - q[i] * qa),
      Math.abs(p[i + 1] * pa - q[i + 1] * qa),
      Math.abs(p[i + 2] * pa - q[i + 2] * qa),
      Math.abs(p[i + 3] - q[i + 3]),
    ));
    sum += d;
    if (d > 40) visible++;
    if (d > max) max = d;
  }
  const n = p.length / 4;
  return { mean: sum / n, visible: visible / n, max };
}

/** The fast path against ECharts' whole SVG through resvg (the slow path). */
async function assertLooksTheSame(
  option: Option,
  { scale = 2, background = "#ffffff" } = {},
): Promise<Diff> {
  const options = { ...SIZE, scale, background };
  const fast = await rasterPng(option, options);
  const slow = await referencePng(option, options);
  const diff = pixelDiff(fast.value, slow);
  // Rectangles are drawn with exact edge coverage and scatter symbols at
  // 1/8-px positions: edge pixels may differ a little, nothing else.
  assert.ok(diff.mean < 0.3, `mean difference ${diff.mean}`);
  assert.ok(diff.visible < 0.0002, `visibly different share ${diff.visible}`);
  return diff;
}

Deno.test("raster: a line chart looks the same without its needless clip", async () => {
  const scene = planScene(lineOption(), SIZE);
  assert.ok(!scene.svg.includes("clip-path"), "the grid clip is dropped");
  const diff = await assertLooksTheSame(lineOption());
  assert.ok(diff.max <= 2, `max ${diff.max}`);
});

Deno.test("raster: a clip that cuts something is kept", async () => {
  const option = lineOption(200);
  (option.yAxis as Option).max = 105; // the line sticks out of the grid
  (option.yAxis as Option).scale = false;
  const scene = planScene(option, SIZE);
  assert.ok(scene.svg.includes("clip-path"));
  const diff = await assertLooksTheSame(option);
  assert.equal(diff.max, 0);
});

Deno.test("raster: bars are overlays and look the same", async () => {
  const scene = planScene(barOption(), SIZE);
  assert.equal(scene.overlays.filter((o) => o.kind === "rect").length, 150);
  const diff = await assertLooksTheSame(barOption());
  assert.ok(diff.max <= 4, `max ${diff.max}`);
});

Deno.test("raster: bars under labels, rounded or translucent still look the same", async () => {
  const option = barOption();
  const series = option.series as Option[];
  series[0].label = { show: true, position: "inside", color: "#000" };
  series[1].itemStyle = { borderRadius: [4, 4, 0, 0] };
  series[2].itemStyle = { color: "rgba(200, 40, 40, 0.5)", opacity: 0.8 };
  const scene = planScene(option, SIZE);
  const rects = scene.overlays.filter((o) => o.kind === "rect").length;
  assert.ok(rects > 0 && rects < 150, `${rects} overlays`);
  await assertLooksTheSame(option);
  await assertLooksTheSame(option, { scale: 1, background: "transparent" });
});

Deno.test("raster: horizontal stacked bars and a heatmap look the same", async () => {
  const random = seeded(3);
  const categories = Array.from({ length: 12 }, (_, i) => `Row ${i + 1}`);
  await assertLooksTheSame({
    animation: false,
    legend: {},
    xAxis: { type: "value" },
    yAxis: { type: "category", data: categories },
    series: ["a", "b", "c"].map((name) => ({
      name,
      type: "bar",
      stack: "total",
      data: categories.map(() => Math.round(random() * 50)),
    })),
  }, { scale: 3 });
  await assertLooksTheSame({
    animation: false,
    xAxis: { type: "category", data: categories },
    yAxis: { type: "category", data: categories },
    visualMap: { min: 0, max: 10, calculable: true, orient: "horizontal" },
    series: [{
      type: "heatmap",
      data: categories.flatMap((_, x) =>
        categories.map((_, y) => [x, y, Math.round(random() * 10)])
      ),
    }],
  });
});

Deno.test("raster: a pie looks identical", async () => {
  const diff = await assertLooksTheSame(pieOption());
  assert.equal(diff.max, 0);
});

Deno.test("raster: a large scatter is stamped and looks the same", async () => {
  const scene = planScene(scatterOption(), SIZE);
  const stamps = scene.overlays.filter((o) => o.kind === "stamp");
  assert.equal(stamps.length, 1);
  assert.ok(scene.svg.length < 20_000, `${scene.svg.length} chars of SVG`);
  await assertLooksTheSame(scatterOption());
  await assertLooksTheSame(scatterOption(800), {
    scale: 1,
    background: "transparent",
  });
});

Deno.test("raster: stamped symbols keep their shape, border, offset and colour", async () => {
  await assertLooksTheSame(scatterOption(1500, {
    symbol: "emptyCircle",
    symbolSize: 9,
    symbolOffset: [2, -3],
    itemStyle: { borderColor: "#222", borderWidth: 1.5, opacity: 0.7 },
  }));
  await assertLooksTheSame(scatterOption(1500, {
    symbol: "triangle",
    symbolSize: [10, 6],
    symbolRotate: 30,
    itemStyle: { color: "#e15759" },
  }));
});

Deno.test("raster: a stamped scatter on a category axis looks the same", async () => {
  const random = seeded(5);
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri"];
  const option = {
    animation: false,
    xAxis: { type: "category", data: days },
    yAxis: { type: "value" },
    series: [{
      type: "scatter",
      symbolSize: 5,
      data: Array.from({ length: 900 }, (_, i) => [
        days[i % 5],
        Math.round(random() * 1000) / 10,
      ]),
    }],
  };
  const scene = planScene(option, SIZE);
  assert.equal(scene.overlays.filter((o) => o.kind === "stamp").length, 1);
  await assertLooksTheSame(option);
});

Deno.test("raster: a scatter with something drawn over it is drawn as paths", async () => {
  const option = scatterOption(1200);
  option.title = { text: "Over the points", top: "middle", left: "center" };
  const scene = planScene(option, SIZE);
  assert.equal(scene.overlays.filter((o) => o.kind === "stamp").length, 0);
  const diff = await assertLooksTheSame(option);
  assert.equal(diff.max, 0);
});

Deno.test("raster: the compiler's histogram, donut and heatmap look the same", async () => {
  for (const type of ["histogram", "donut", "heatmap"] as const) {
    const { spec, snapshot } = simpleInput(type);
    await assertLooksTheSame(compileOption(spec, snapshot), { scale: 1 });
  }
});
