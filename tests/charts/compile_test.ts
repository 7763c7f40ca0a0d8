import assert from "node:assert/strict";
import {
  BLANK_LABEL,
  type ChartOption,
  compileOption,
  PALETTE,
} from "../../lib/charts/compile.ts";
import type { ChartSpec, Snapshot } from "../../lib/charts/spec.ts";
import { HttpError } from "../../lib/errors.ts";

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
      err instanceof HttpError && err.status === 400 &&
      err.message.includes('"west"'),
  );
});

Deno.test("compile: the option is plain JSON", () => {
  const option = compileOption(spec({}), sales, { interactive: true });
  assert.deepEqual(JSON.parse(JSON.stringify(option)), option);
});
