/** Reading workflows out of chat messages, and leaving chart requests to the chart planner. */
import assert from "node:assert/strict";
import { planRequest } from "@/lib/agent/planner/mod.ts";
import type { DatasetProfile } from "@/lib/data/table.ts";
import { demoChatDatasets } from "@/lib/agent/datasets.ts";

const customers: DatasetProfile = {
  id: "01CUSTOMERS000000000000000",
  name: "customers.xlsx",
  rowCount: 6,
  columns: [
    { name: "customer_id", type: "integer", distinctCount: 6, min: 1, max: 6 },
    { name: "name", type: "text", distinct: ["Ann", "Bob"], distinctCount: 6 },
    {
      name: "postal_code",
      type: "text",
      distinct: ["02134", "10001"],
      distinctCount: 4,
    },
    {
      name: "region",
      type: "text",
      distinct: ["North", "South", "West"],
      distinctCount: 3,
    },
    { name: "spend", type: "number", distinctCount: 6, min: 5, max: 300 },
  ],
};
const regions: DatasetProfile = {
  id: "01REGIONS00000000000000000",
  name: "regions.csv",
  rowCount: 3,
  columns: [
    {
      name: "region",
      type: "text",
      distinct: ["North", "South", "East"],
      distinctCount: 3,
    },
    {
      name: "manager",
      type: "text",
      distinct: ["Nia", "Sam", "Eve"],
      distinctCount: 3,
    },
  ],
};

function plan(text: string, datasets = [customers]) {
  return planRequest(text, {
    datasets: [...datasets, ...demoChatDatasets().map((d) => d.profile)],
  });
}

function steps(text: string, datasets = [customers]) {
  const p = plan(text, datasets);
  assert.equal(p.kind, "workflow", `${text}: ${JSON.stringify(p)}`);
  return p.kind === "workflow" ? p.request : null!;
}

Deno.test("workflow plan: dedupe postal codes and give an xlsx", () => {
  const r = steps(
    "remove duplicate postal codes from customers.xlsx and give me an xlsx",
  );
  assert.equal(r.input, customers.id);
  assert.deepEqual(r.steps, [
    {
      operation: "drop_duplicates",
      arguments: { columns: ["postal_code"], keep: "first" },
    },
    { operation: "convert", arguments: { format: "xlsx" } },
  ]);
});

Deno.test("workflow plan: steps follow the message's clauses", () => {
  const r = steps(
    "normalize spend with z-score, then sort by spend descending, then save as csv",
  );
  assert.deepEqual(r.steps, [
    {
      operation: "normalize",
      arguments: { columns: ["spend"], method: "z_score" },
    },
    {
      operation: "sort",
      arguments: { by: [{ column: "spend", direction: "desc" }] },
    },
    { operation: "convert", arguments: { format: "csv" } },
  ]);
});

Deno.test("workflow plan: fill, rename, filter, join and SQL", () => {
  assert.deepEqual(steps("fill missing spend with the median").steps, [
    {
      operation: "fill_missing",
      arguments: { columns: ["spend"], strategy: "median" },
    },
  ]);
  assert.deepEqual(steps("rename postal_code to zip").steps, [
    {
      operation: "rename_columns",
      arguments: { mapping: { postal_code: "zip" } },
    },
  ]);
  assert.deepEqual(
    steps(
      "from customers.xlsx keep rows where region is north, then give me a json file",
    ).steps,
    [
      {
        operation: "filter",
        arguments: {
          conditions: [{ column: "region", op: "eq", value: "North" }],
          match: "all",
        },
      },
      { operation: "convert", arguments: { format: "json" } },
    ],
  );
  assert.deepEqual(
    steps("join customers.xlsx with regions.csv on region", [
      customers,
      regions,
    ]).steps,
    [
      {
        operation: "join",
        arguments: { dataset: regions.id, on: ["region"], how: "inner" },
      },
    ],
  );
  assert.deepEqual(
    steps("SELECT region, COUNT(*) AS n FROM data GROUP BY region").steps,
    [
      {
        operation: "sql",
        arguments: {
          query: "SELECT region, COUNT(*) AS n FROM data GROUP BY region",
        },
      },
    ],
  );
});

Deno.test("workflow plan: chart requests and chart downloads are not workflows", () => {
  for (
    const text of [
      "bar chart of total spend by region",
      "top 3 regions by spend sorted",
      "export it as png",
      "descargar en Excel",
    ]
  ) {
    assert.notEqual(plan(text).kind, "workflow", text);
  }
  // A weak operation alone needs the dataset named and no chart word.
  assert.notEqual(plan("sort by spend").kind, "workflow");
  assert.equal(plan("sort customers.xlsx by spend").kind, "workflow");
});

Deno.test("workflow plan: with several uploads and none named, it asks which", () => {
  const p = plan("remove duplicates", [customers, regions]);
  assert.equal(p.kind, "clarify");
  assert.deepEqual(p.kind === "clarify" ? p.options : [], [
    "customers.xlsx",
    "regions.csv",
  ]);
});
