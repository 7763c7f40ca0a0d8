/**
 * The query engine and the planner on the demo tables, as `deno bench`
 * measures them (these figures were timing checks in the unit tests).
 * Targets: 3,000 rows loaded and aggregated in well under 150 ms; a chat turn
 * (plan + query) on the 2,735-row air-quality table in under 25 ms.
 */
import { planRequest } from "@/lib/agent/planner/mod.ts";
import { getDemoDatasets } from "@/lib/data/demo.ts";
import { clearQueryCache, runQuery } from "@/lib/data/query.ts";
import { profileTable, type Table } from "@/lib/data/table.ts";

const rows3000: Table = {
  columns: [
    { name: "date", type: "date" },
    { name: "city", type: "text" },
    { name: "v", type: "number" },
  ],
  rows: Array.from({ length: 3000 }, (_, i) => [
    `2024-${String(1 + (i % 12)).padStart(2, "0")}-01`,
    `city${i % 5}`,
    i / 7,
  ]),
};

Deno.bench(
  "query: 3,000 rows load and aggregate by month (target < 150 ms)",
  () => {
    clearQueryCache();
    const r = runQuery(
      { id: "bench:3000", table: rows3000 },
      'SELECT substr("date", 1, 7), AVG("v") FROM data GROUP BY 1',
    );
    if (r.rows.length !== 12) throw new Error("wrong result");
  },
);

const demos = getDemoDatasets();
const tables = new Map(demos.map((d) => [d.id, d.table]));
const profiles = demos.map((d) => profileTable(d.id, d.name, d.table));

Deno.bench(
  "planner + query: a chat turn on the demo air-quality table (target < 25 ms)",
  () => {
    const plan = planRequest("average pm25 by month for Kampala", {
      datasets: profiles,
      current: null,
    });
    if (plan.kind !== "chart") throw new Error(plan.kind);
    runQuery(
      { id: plan.datasetId, table: tables.get(plan.datasetId)! },
      plan.sql,
      plan.params,
    );
  },
);
