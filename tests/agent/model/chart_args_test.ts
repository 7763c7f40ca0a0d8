/** A model's chart arguments: checked against the dataset's columns, compiled by our own SQL builder, and refined from the current chart. */
import assert from "node:assert/strict";
import {
  argsOf,
  type ChartArgs,
  chartArgSchemas,
  checkChartArgs,
  refinedArgs,
  toChartQuery,
} from "@/lib/agent/model/chart_args.ts";
import { demoChatDatasets } from "@/lib/agent/datasets.ts";
import { chartPlan } from "@/lib/agent/planner/describe.ts";
import { toSnapshot } from "@/lib/agent/planner/snapshot.ts";

const air = demoChatDatasets().find((d) => d.id === "demo:air_quality")!;
const schemas = chartArgSchemas(demoChatDatasets().map((d) => d.profile));

async function draw(args: ChartArgs) {
  const parsed = schemas.make.parse(args);
  assert.deepEqual(checkChartArgs(parsed, air.profile), []);
  const plan = chartPlan(toChartQuery(parsed, air.profile, "en"), air.profile);
  const result = await air.query(plan.sql, plan.params);
  return { plan, snapshot: toSnapshot(plan, result) };
}

Deno.test("chart args: scatter, histogram and a monthly line compile to SQL that runs", async () => {
  const scatter = await draw({
    dataset: air.id,
    chart_type: "scatter",
    measures: [{ column: "pm10", agg: "avg" }],
    x: { column: "pm25" },
    split: { column: "city" },
  });
  assert.equal(scatter.plan.query.x.kind, "value");
  assert.equal(scatter.plan.spec.group, "city");
  assert.equal(scatter.snapshot.rows.length, air.rowCount);

  const histogram = await draw({
    dataset: air.id,
    chart_type: "histogram",
    measures: [{ column: null, agg: "count" }],
    x: { column: "no2", bin_width: 5 },
  });
  assert.equal(histogram.plan.spec.binWidth, 5);
  const counted = histogram.snapshot.rows.reduce(
    (n, r) => n + (r[1] as number),
    0,
  );
  assert.equal(counted, air.rowCount);

  const line = await draw({
    dataset: air.id,
    measures: [{ column: "pm25", agg: "max" }],
    x: { column: "date", bucket: "month" },
    filters: [{ column: "date", op: "range", gte: "2025" }, {
      column: "city",
      op: "in",
      values: ["KAMPALA"],
    }],
  });
  assert.equal(line.plan.spec.type, "line", "a time axis draws a line");
  assert.deepEqual(line.plan.query.filters[1], {
    column: "city",
    op: "in",
    values: ["Kampala"],
  });
  assert.deepEqual(
    line.snapshot.rows.map((r) => r[0]),
    ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"],
  );
});

Deno.test("chart args: arguments that do not fit the columns are refused with what to do", () => {
  const base: ChartArgs = {
    dataset: air.id,
    measures: [{ column: "no2", agg: "avg" }],
    x: { column: "city" },
  };
  const problems = (change: Partial<ChartArgs>) =>
    checkChartArgs({ ...base, ...change }, air.profile).map((i) =>
      `${i.path.join(".")}: ${i.message}`
    );
  assert.deepEqual(problems({ x: { column: "city", kind: "time" } }), [
    'x.kind: "city" holds text values, not dates or years',
  ]);
  assert.deepEqual(
    problems({ filters: [{ column: "no2", op: "range", gte: "2024" }] }),
    [
      'filters.0.op: range filters dates or years; "no2" is number (use gt, gte, lt, lte)',
    ],
  );
  assert.deepEqual(problems({ chart_type: "heatmap" }), [
    "split: a heatmap needs split: the column whose values are its rows",
  ]);
  assert.deepEqual(
    problems({ chart_type: "pie", split: { column: "date" } }),
    ["split: a pie has no split; set split to null"],
  );
  assert.deepEqual(
    problems({
      x: { column: "date" },
      split: { column: "pm25" },
    }),
    [
      `split.values: "pm25" has ${
        air.profile.columns.find((c) => c.name === "pm25")!.distinctCount
      } values: name at most 20 in split.values`,
    ],
  );
  // Unknown columns never get past the schema: it lists the real ones.
  const parsed = schemas.make.safeParse({ ...base, x: { column: "nope" } });
  assert.equal(parsed.success, false);
});

Deno.test("chart args: a refinement keeps the current chart and changes what it names", () => {
  const current = toChartQuery(
    schemas.make.parse({
      dataset: air.id,
      chart_type: "bar",
      measures: [{ column: "no2", agg: "avg" }],
      x: { column: "city" },
      filters: [{ column: "city", op: "not_in", values: ["Lagos"] }],
    }),
    air.profile,
    "en",
  );
  const next = refinedArgs(argsOf(current), { chart_type: "pie" });
  assert.equal(next.x.kind, undefined, "the axis kind follows the new type");
  const query = toChartQuery(schemas.make.parse(next), air.profile, "en");
  assert.equal(query.chartType, "pie");
  assert.deepEqual(query.filters, current.filters);
  assert.deepEqual(query.measures, current.measures);
});
