/**
 * The built-in planner alone (text → plan, no query): a 500-column table and
 * the real tables of the eval, warm (the dataset view cached), as `deno bench`
 * measures it. Target: ≤ 5 ms median on the 500-column table.
 */
import { planRequest } from "@/lib/agent/planner/mod.ts";
import { getDemoDatasets } from "@/lib/data/demo.ts";
import { type DatasetProfile, profileTable } from "@/lib/data/table.ts";

const demos = getDemoDatasets().map((d) => profileTable(d.id, d.name, d.table));

/** A wide table like a database export: ids, codes, measures, dates, categories. */
function wideProfile(columns: number): DatasetProfile {
  const words = [
    "revenue",
    "cost",
    "units",
    "price",
    "discount",
    "tax",
    "margin",
    "weight",
    "height",
    "score",
    "rating",
    "visits",
    "clicks",
    "sessions",
    "duration",
  ];
  const cats = ["region", "channel", "segment", "product_line", "store_type"];
  const cols: DatasetProfile["columns"] = [
    {
      name: "order_id",
      type: "integer",
      distinctCount: 100_000,
      min: 1,
      max: 100_000,
    },
    {
      name: "order_date",
      type: "date",
      distinctCount: 900,
      min: "2022-01-01",
      max: "2024-06-30",
      grain: "day",
    },
  ];
  for (let i = 0; cols.length < columns; i++) {
    const cat = cats[i % cats.length];
    if (i % 7 === 0) {
      cols.push({
        name: `${cat}_${i}`,
        type: "text",
        distinctCount: 12,
        distinct: Array.from(
          { length: 12 },
          (_, k) => `${cat} value ${k} ${i}`,
        ),
      });
    } else {
      cols.push({
        name: `${words[i % words.length]}_${Math.floor(i / words.length)}_amt`,
        type: "number",
        distinctCount: 5000,
        min: 0,
        max: 1000 + i,
      });
    }
  }
  return {
    id: "upload:wide",
    name: "wide_export.csv",
    columns: cols,
    rowCount: 100_000,
  };
}

const wide = wideProfile(500);
const context = { datasets: [wide, ...demos], current: null };
const requests = [
  "average revenue_3_amt by region_7 over time",
  "top 5 channel_14 by total cost_1_amt",
  "precio medio por segmento en 2023",
  "weight_2_amt vs height_3_amt",
];
// Warm: the first request builds the dataset view.
planRequest(requests[0], context);

Deno.bench("planner: 500-column table, a request", () => {
  for (const r of requests) planRequest(r, context);
});
Deno.bench("planner: demo data only, a request", () => {
  planRequest("monthly average pm25 in Kampala and Lagos", { datasets: demos });
});
