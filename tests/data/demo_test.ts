import assert from "node:assert/strict";
import {
  buildDemoTable,
  DEMO_DATASETS,
  getDemoDataset,
  getDemoDatasets,
  mulberry32,
} from "@/lib/data/demo.ts";
import { profileTable } from "@/lib/data/table.ts";

Deno.test("demo: mulberry32 repeats its sequence for a seed", () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 5 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, mulberry32(43)));
});

Deno.test("demo: two builds of every dataset are identical", () => {
  for (const d of DEMO_DATASETS) {
    assert.deepEqual(buildDemoTable(d.id), buildDemoTable(d.id), d.id);
    assert.deepEqual(d.table, buildDemoTable(d.id), d.id);
  }
});

Deno.test("demo: tables are built once and kept", () => {
  const first = getDemoDatasets();
  const again = getDemoDatasets();
  for (let i = 0; i < first.length; i++) {
    assert.equal(first[i].table, again[i].table);
  }
  assert.equal(getDemoDataset("demo:sales")?.name, "sales");
  assert.equal(getDemoDataset("demo:nope"), undefined);
});

Deno.test("demo: air_quality is daily per city over 2024-01-01..2025-06-30", () => {
  const t = getDemoDataset("demo:air_quality")!.table;
  assert.deepEqual(t.columns.map((c) => c.name), [
    "date",
    "city",
    "pm25",
    "pm10",
    "no2",
  ]);
  assert.equal(t.rows.length, 547 * 5);
  const p = profileTable("demo:air_quality", "air_quality", t);
  assert.equal(p.columns[0].min, "2024-01-01");
  assert.equal(p.columns[0].max, "2025-06-30");
  assert.equal(p.columns[0].grain, "day");
  assert.equal(p.columns[1].distinctCount, 5);
  for (const row of t.rows) {
    for (const v of row.slice(2)) {
      assert.equal(typeof v, "number");
      assert.equal(Math.round((v as number) * 10) / 10, v, "rounded to 0.1");
      assert.ok((v as number) > 0);
    }
    assert.ok((row[3] as number) >= (row[2] as number), "pm10 includes pm25");
  }
});

Deno.test("demo: bank_ratios is monthly per bank over 2022-01..2025-06", () => {
  const t = getDemoDataset("demo:bank_ratios")!.table;
  assert.deepEqual(t.columns.map((c) => c.name), [
    "month",
    "bank",
    "imor",
    "icor",
    "roe",
  ]);
  assert.equal(t.rows.length, 42 * 5);
  const p = profileTable("demo:bank_ratios", "bank_ratios", t);
  assert.equal(p.columns[0].grain, "month");
  assert.equal(p.columns[0].min, "2022-01-01");
  assert.equal(p.columns[0].max, "2025-06-01");
  assert.deepEqual([...p.columns[1].distinct!].sort(), [
    "BBVA",
    "Banorte",
    "INVEX",
    "Santander",
    "Sistema",
  ]);
});

Deno.test("demo: sales has 4 regions × 5 products × 36 months", () => {
  const t = getDemoDataset("demo:sales")!.table;
  assert.deepEqual(t.columns.map((c) => c.type), [
    "date",
    "text",
    "text",
    "integer",
    "number",
  ]);
  assert.equal(t.rows.length, 4 * 5 * 36);
  const p = profileTable("demo:sales", "sales", t);
  assert.equal(p.columns[1].distinctCount, 4);
  assert.equal(p.columns[2].distinctCount, 5);
  assert.equal(p.columns[0].distinctCount, 36);
  assert.ok(
    t.rows.every((r) => Number.isInteger(r[3]) && (r[3] as number) >= 0),
  );
});

Deno.test("demo: descriptions say the data is synthetic", () => {
  for (const d of DEMO_DATASETS) assert.match(d.description, /synthetic/i);
});
