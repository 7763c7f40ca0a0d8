import assert from "node:assert/strict";
import {
  BLANK_LABEL,
  type ChartOption,
  compileOption,
  PALETTE,
} from "@/lib/charts/compile.ts";
import {
  CHART_TYPES,
  type ChartSpec,
  ChartSpecSchema,
  type Snapshot,
} from "@/lib/charts/spec.ts";
import { AppError } from "@/lib/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

type Obj = Record<string, unknown>;
const seriesOf = (o: ChartOption) => o.series as Obj[];
const obj = (v: unknown) => v as Obj;

const sales: Snapshot = {
  columns: [
    { name: "month", type: "date", label: "Month" },
    { name: "north", type: "number", label: "North" },
    { name: "south", type: "number" },
  ],
  rows: [
    ["2024-01", 10, -3.5],
    ["2024-02", null, 4],
    [null, 12.25, 0],
  ],
};

function spec(overrides: Partial<ChartSpec>): ChartSpec {
  return {
    type: "line",
    title: "Sales",
    x: "month",
    series: ["north", "south"],
    ...overrides,
  };
}

function manyRows(n: number): Snapshot {
  return {
    columns: [
      { name: "i", type: "number" },
      { name: "v", type: "number" },
      { name: "g", type: "string" },
    ],
    rows: Array.from({ length: n }, (_, i) => [i, i * 2, i % 3 ? "a" : "b"]),
  };
}

Deno.test("compile: line series carry exactly the snapshot values, null as a gap", () => {
  const option = compileOption(spec({}), sales);
  const series = seriesOf(option);
  assert.equal(series.length, 2);
  assert.deepEqual(series[0].data, [10, null, 12.25]);
  assert.deepEqual(series[1].data, [-3.5, 4, 0]);
  assert.equal(series[0].type, "line");
  assert.equal(series[0].connectNulls, false);
  assert.deepEqual(obj(option.xAxis).data, ["2024-01", "2024-02", BLANK_LABEL]);
});

Deno.test("compile: series are named by column label, else column name", () => {
  const names = seriesOf(compileOption(spec({}), sales)).map((s) => s.name);
  assert.deepEqual(names, ["North", "south"]);
});

Deno.test("compile: a static chart has no animation, tooltip or dataZoom and a white background", () => {
  const option = compileOption(spec({ x: "i", series: ["v"] }), manyRows(50));
  assert.equal(option.animation, false);
  assert.equal(option.backgroundColor, "#ffffff");
  assert.equal(option.tooltip, undefined);
  assert.equal(option.dataZoom, undefined);
  assert.deepEqual(option.color, [...PALETTE]);
});

Deno.test("compile: title and subtitle sit at the top centre", () => {
  const option = compileOption(spec({ subtitle: "FY 2024" }), sales);
  const title = obj(option.title);
  assert.equal(title.text, "Sales");
  assert.equal(title.subtext, "FY 2024");
  assert.equal(title.left, "center");
  assert.equal(typeof title.top, "number");
});

Deno.test("compile: a legend appears only with more than one series", () => {
  const two = compileOption(spec({}), sales);
  assert.deepEqual(obj(two.legend).data, ["North", "south"]);
  const one = compileOption(spec({ series: ["north"] }), sales);
  assert.equal(one.legend, undefined);
});

Deno.test("compile: the grid leaves room below the title and legend", () => {
  const option = compileOption(spec({ subtitle: "sub" }), sales);
  const grid = obj(option.grid);
  const legendTop = obj(option.legend).top as number;
  assert.ok((grid.top as number) > legendTop);
  assert.ok(grid.outerBounds, "labels are kept inside the chart");
});

Deno.test("compile: axis names come from xLabel/yLabel, else column labels", () => {
  const named = compileOption(
    spec({ series: ["north"], xLabel: "When", yLabel: "Units" }),
    sales,
  );
  assert.equal(obj(named.xAxis).name, "When");
  assert.equal(obj(named.yAxis).name, "Units");
  const fallback = compileOption(spec({ series: ["north"] }), sales);
  assert.equal(obj(fallback.xAxis).name, "Month");
  assert.equal(obj(fallback.yAxis).name, "North");
});

Deno.test("compile: category labels never overlap (overlapping ones hide)", () => {
  const option = compileOption(
    spec({ type: "bar", x: "i", series: ["v"] }),
    manyRows(30),
  );
  assert.equal(obj(obj(option.xAxis).axisLabel).hideOverlap, true);
});

Deno.test("compile: area is a line with an area fill", () => {
  const series = seriesOf(compileOption(spec({ type: "area" }), sales));
  assert.equal(series[0].type, "line");
  assert.ok(series[0].areaStyle);
  assert.equal(series[0].stack, undefined);
});

Deno.test("compile: stacked bars and areas share one stack; stacked lines do not", () => {
  for (const type of ["bar", "area"] as const) {
    const series = seriesOf(
      compileOption(spec({ type, stacked: true }), sales),
    );
    assert.ok(series[0].stack);
    assert.equal(series[0].stack, series[1].stack, type);
  }
  const lines = seriesOf(
    compileOption(spec({ type: "line", stacked: true }), sales),
  );
  assert.equal(lines[0].stack, undefined);
});

Deno.test("compile: horizontal bars put categories on the y axis, first row on top", () => {
  const option = compileOption(spec({ type: "bar", horizontal: true }), sales);
  const y = obj(option.yAxis);
  assert.equal(y.type, "category");
  assert.deepEqual(y.data, ["2024-01", "2024-02", BLANK_LABEL]);
  assert.equal(y.inverse, true);
  assert.equal(obj(option.xAxis).type, "value");
  assert.deepEqual(seriesOf(option)[0].data, [10, null, 12.25]);
});

Deno.test("compile: pie takes names from x and values from the first series", () => {
  const option = compileOption(spec({ type: "pie", series: ["north"] }), sales);
  const series = seriesOf(option);
  assert.equal(series.length, 1);
  assert.equal(series[0].type, "pie");
  assert.deepEqual(series[0].data, [
    { name: "2024-01", value: 10 },
    { name: "2024-02", value: null },
    { name: BLANK_LABEL, value: 12.25 },
  ]);
  assert.deepEqual(obj(option.legend).data, [
    "2024-01",
    "2024-02",
    BLANK_LABEL,
  ]);
  assert.equal(option.xAxis, undefined);
});

Deno.test("compile: a static pie with many slices drops the legend its labels repeat", () => {
  const pie = spec({ type: "pie", x: "i", series: ["v"] });
  assert.equal(compileOption(pie, manyRows(13)).legend, undefined);
  const legend = obj(
    compileOption(pie, manyRows(13), { interactive: true }).legend,
  );
  assert.equal((legend.data as string[]).length, 13);
});

Deno.test("compile: scatter plots x against the first series on numeric axes", () => {
  const snapshot: Snapshot = {
    columns: [
      { name: "w", type: "number", label: "Weight" },
      { name: "h", type: "number", label: "Height" },
    ],
    rows: [[1, 2], [3.5, -4], [null, 5], [6, null]],
  };
  const option = compileOption(
    { type: "scatter", title: "S", x: "w", series: ["h"] },
    snapshot,
  );
  for (const axis of [obj(option.xAxis), obj(option.yAxis)]) {
    assert.equal(axis.type, "value");
    assert.equal(axis.scale, true);
  }
  assert.equal(obj(option.xAxis).name, "Weight");
  assert.equal(obj(option.yAxis).name, "Height");
  const series = seriesOf(option);
  assert.equal(series.length, 1);
  // A point missing a coordinate cannot be placed, so it is left out.
  assert.deepEqual(series[0].data, [[1, 2], [3.5, -4]]);
  assert.equal(series[0].progressive, 0);
  assert.equal(option.legend, undefined);
});

Deno.test("compile: scatter group splits points into one series per value, first seen first", () => {
  const option = compileOption(
    { type: "scatter", title: "S", x: "i", series: ["v"], group: "g" },
    manyRows(5),
  );
  const series = seriesOf(option);
  assert.deepEqual(series.map((s) => s.name), ["b", "a"]);
  assert.deepEqual(series[0].data, [[0, 0], [3, 6]]);
  assert.deepEqual(series[1].data, [[1, 2], [2, 4], [4, 8]]);
  assert.deepEqual(obj(option.legend).data, ["b", "a"]);
});

Deno.test("compile: a big scatter draws in large mode", () => {
  const small = seriesOf(
    compileOption(
      { type: "scatter", title: "S", x: "i", series: ["v"] },
      manyRows(100),
    ),
  );
  assert.notEqual(small[0].large, true);
  const big = seriesOf(
    compileOption(
      { type: "scatter", title: "S", x: "i", series: ["v"] },
      manyRows(10_000),
    ),
  );
  assert.equal(big[0].large, true);
  assert.equal((big[0].data as unknown[]).length, 10_000);
});

Deno.test("compile: interactive charts get the right tooltip trigger", () => {
  const cases: [ChartSpec["type"], string][] = [
    ["line", "axis"],
    ["bar", "axis"],
    ["area", "axis"],
    ["pie", "item"],
    ["scatter", "item"],
  ];
  for (const [type, trigger] of cases) {
    const s = type === "pie" || type === "scatter"
      ? spec({ type, x: "north", series: ["south"] })
      : spec({ type });
    const option = compileOption(s, sales, { interactive: true });
    assert.equal(obj(option.tooltip).trigger, trigger, type);
  }
});

Deno.test("compile: dataZoom appears only when interactive with more than 20 x values", () => {
  const line = spec({ x: "i", series: ["v"] });
  assert.equal(
    compileOption(line, manyRows(20), { interactive: true }).dataZoom,
    undefined,
  );
  const zoom = compileOption(line, manyRows(21), { interactive: true })
    .dataZoom as Obj[];
  assert.deepEqual(zoom.map((z) => z.type), ["inside", "slider"]);
  const scatter = compileOption(
    { type: "scatter", title: "S", x: "i", series: ["v"] },
    manyRows(50),
    { interactive: true },
  );
  assert.ok(scatter.dataZoom);
  const pie = compileOption(
    spec({ type: "pie", x: "i", series: ["v"] }),
    manyRows(50),
    { interactive: true },
  );
  assert.equal(pie.dataZoom, undefined);
});

Deno.test("compile: horizontal bars zoom along the category (y) axis", () => {
  const option = compileOption(
    spec({ type: "bar", horizontal: true, x: "i", series: ["v"] }),
    manyRows(30),
    { interactive: true },
  );
  for (const z of option.dataZoom as Obj[]) assert.equal(z.yAxisIndex, 0);
});

Deno.test("compile: a preview has no title, legend or dataZoom and a tight grid", () => {
  const option = compileOption(
    spec({ x: "i", series: ["v", "i"] }),
    manyRows(40),
    {
      preview: true,
      interactive: true,
    },
  );
  assert.equal(option.title, undefined);
  assert.equal(option.legend, undefined);
  assert.equal(option.dataZoom, undefined);
  const grid = obj(option.grid);
  for (const side of ["left", "right", "top", "bottom"]) {
    assert.ok((grid[side] as number) <= 8, side);
  }
});

Deno.test("compile: a column the snapshot lacks is a 400 naming it", () => {
  assert.throws(
    () => compileOption(spec({ series: ["west"] }), sales),
    (err) =>
      err instanceof AppError && statusOf(err) === 400 &&
      err.message.includes('"west"'),
  );
});

Deno.test("compile: the option is plain JSON", () => {
  const option = compileOption(spec({}), sales, { interactive: true });
  assert.deepEqual(JSON.parse(JSON.stringify(option)), option);
});

const bins: Snapshot = {
  columns: [
    { name: "edge", type: "number" },
    { name: "n", type: "number", label: "Penguins" },
  ],
  // Out of order, with the 0.3 bin missing and float-error edges.
  rows: [[0.1 + 0.2 + 0.1, 2], [0, 4], [0.1, 7], [0.1 + 0.1, 1]],
};

Deno.test("compile: a histogram draws touching bars labelled with bin edges, gaps filled", () => {
  const option = compileOption(
    { type: "histogram", title: "H", x: "edge", series: ["n"], binWidth: 0.1 },
    bins,
    { interactive: true },
  );
  const x = obj(option.xAxis);
  assert.equal(x.type, "category");
  assert.deepEqual(x.data, [
    "0\u20130.1",
    "0.1\u20130.2",
    "0.2\u20130.3",
    "0.3\u20130.4",
    "0.4\u20130.5",
  ]);
  const [series] = seriesOf(option);
  assert.equal(series.type, "bar");
  assert.deepEqual(series.data, [4, 7, 1, 0, 2]);
  assert.equal(series.barCategoryGap, "0%");
  assert.equal(obj(option.yAxis).name, "Penguins");
  assert.equal(obj(option.tooltip).trigger, "axis");
});

Deno.test("compile: histogram labels of integer bins; a histogram without binWidth is a 400", () => {
  const snapshot: Snapshot = {
    columns: [{ name: "e", type: "number" }, { name: "c", type: "number" }],
    rows: [[-10, 1], [0, 3], [10, 2]],
  };
  const option = compileOption(
    { type: "histogram", title: "H", x: "e", series: ["c"], binWidth: 10 },
    snapshot,
  );
  assert.deepEqual(obj(option.xAxis).data, [
    "-10\u20130",
    "0\u201310",
    "10\u201320",
  ]);
  assert.throws(
    () =>
      compileOption(
        { type: "histogram", title: "H", x: "e", series: ["c"] },
        snapshot,
      ),
    (err) => err instanceof AppError && statusOf(err) === 400,
  );
});

Deno.test("spec: the schema requires binWidth for a histogram only", () => {
  const base = { title: "T", x: "a", series: ["b"] };
  assert.equal(
    ChartSpecSchema.safeParse({ ...base, type: "histogram" }).success,
    false,
  );
  assert.equal(
    ChartSpecSchema.safeParse({ ...base, type: "histogram", binWidth: 0 })
      .success,
    false,
  );
  assert.ok(
    ChartSpecSchema.safeParse({ ...base, type: "histogram", binWidth: 2.5 })
      .success,
  );
  for (const type of ["donut", "heatmap", "bar"]) {
    assert.ok(ChartSpecSchema.safeParse({ ...base, type }).success, type);
  }
  assert.equal(
    ChartSpecSchema.safeParse({ ...base, type: "radar" }).success,
    false,
  );
});

Deno.test("compile: a donut is a pie drawn as a ring", () => {
  const pie = seriesOf(
    compileOption(spec({ type: "pie", series: ["north"] }), sales),
  )[0];
  const donut = seriesOf(
    compileOption(spec({ type: "donut", series: ["north"] }), sales),
  )[0];
  assert.equal(donut.type, "pie");
  assert.deepEqual(donut.data, pie.data);
  const [inner, outer] = donut.radius as string[];
  assert.ok(parseFloat(inner) > 20, `inner radius ${inner}`);
  assert.equal(outer, (pie.radius as string[])[1]);
  assert.equal((pie.radius as string[])[0], "0%");
});

Deno.test("compile: a heatmap puts x on the x axis, one row per series, a colour scale over the values", () => {
  const option = compileOption(
    spec({ type: "heatmap", yLabel: "Region" }),
    sales,
    { interactive: true },
  );
  assert.deepEqual(obj(option.xAxis).data, ["2024-01", "2024-02", BLANK_LABEL]);
  const y = obj(option.yAxis);
  assert.equal(y.type, "category");
  assert.deepEqual(y.data, ["North", "south"]);
  assert.equal(y.name, "Region");
  const [series] = seriesOf(option);
  assert.equal(series.type, "heatmap");
  // The null cell (North, 2024-02) is left out: an empty cell.
  assert.deepEqual(series.data, [
    ["2024-01", "North", 10],
    ["2024-01", "south", -3.5],
    ["2024-02", "south", 4],
    [BLANK_LABEL, "North", 12.25],
    [BLANK_LABEL, "south", 0],
  ]);
  const scale = obj(option.visualMap);
  assert.equal(scale.min, -3.5);
  assert.equal(scale.max, 12.25);
  assert.equal(scale.dimension, 2);
  assert.equal(obj(option.tooltip).trigger, "item");
  assert.equal(option.legend, undefined);
  // Room for the scale right of the grid.
  assert.ok((obj(option.grid).right as number) > 60);
});

Deno.test("compile: heatmap rows and columns with the same name stay apart", () => {
  const snapshot: Snapshot = {
    columns: [
      { name: "x", type: "string" },
      { name: "a", type: "number", label: "Same" },
      { name: "b", type: "number", label: "Same" },
    ],
    rows: [["k", 1, 2], ["k", 3, 4]],
  };
  const option = compileOption(
    { type: "heatmap", title: "H", x: "x", series: ["a", "b"] },
    snapshot,
  );
  assert.deepEqual(obj(option.xAxis).data, ["k", "k (2)"]);
  assert.deepEqual(obj(option.yAxis).data, ["Same", "Same (2)"]);
  assert.equal((seriesOf(option)[0].data as unknown[]).length, 4);
});

Deno.test("compile: every chart type compiles to plain JSON, static, interactive and preview", () => {
  for (const type of CHART_TYPES) {
    const s: ChartSpec = type === "histogram"
      ? { type, title: "T", x: "i", series: ["v"], binWidth: 1 }
      : type === "pie" || type === "donut" || type === "scatter"
      ? { type, title: "T", x: "i", series: ["v"] }
      : { type, title: "T", x: "i", series: ["v", "i"] };
    for (const options of [{}, { interactive: true }, { preview: true }]) {
      const option = compileOption(s, manyRows(30), options);
      assert.deepEqual(JSON.parse(JSON.stringify(option)), option, type);
    }
  }
});
