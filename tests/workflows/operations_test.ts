/** Each workflow operation against results computed by hand from a five-row table. */
import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import { createSession } from "@/lib/kv/sessions.ts";
import {
  type Dataset,
  readDatasetDetail,
  storedSourceOf,
  uploadDataset,
} from "@/lib/kv/datasets.ts";
import { runStep, type StepSource } from "@/lib/workflows/operations/mod.ts";
import { runSandboxedSql } from "@/lib/data/sandbox.ts";
import { Step } from "@/lib/workflows/schema.ts";
import type { RawCell } from "@/lib/data/infer.ts";
import { DataError } from "@/lib/data/errors.ts";

const CUSTOMERS = [
  "id,name,postal_code,region,spend,visits",
  "1,Ann,02134,North,10.5,3",
  "2,Bob,10001,South,20,",
  "3,Cy,02134,North,5,1",
  "4,Di,94105,West,,4",
  "5,Ann,02134,North,10.5,3",
].join("\n") + "\n";
const REGIONS = "region,manager\nNorth,Nia\nSouth,Sam\nEast,Eve\n";

async function upload(
  kv: Deno.Kv,
  sessionId: string,
  filename: string,
  text: string,
) {
  return await uploadDataset(kv, {
    sessionId,
    ownerId: "owner",
    filename,
    body: new Blob([text]).stream(),
    ttlMs: 60_000,
    maxRows: 1000,
    maxColumns: 50,
  });
}

async function sourceOf(kv: Deno.Kv, d: Dataset): Promise<StepSource> {
  const detail = await readDatasetDetail(kv, d);
  return {
    id: d.id,
    name: d.name,
    columns: detail.columns.map((c) => ({ name: c.name, type: c.type })),
    source: storedSourceOf(kv, d, detail),
  };
}

async function withData(
  fn: (
    run: (
      step: unknown,
    ) => Promise<
      { names: string[]; rows: RawCell[][]; format: string; sql: string | null }
    >,
  ) => Promise<void>,
) {
  await using store = await tempKv();
  const kv = store.kv;
  const session = await createSession(kv, { ownerId: "owner", ttlMs: 60_000 });
  const customers = await upload(kv, session.id, "customers.csv", CUSTOMERS);
  const regions = await upload(kv, session.id, "regions.csv", REGIONS);
  const run = async (raw: unknown) => {
    const step = Step.parse(raw);
    const result = await runStep({
      step: 1,
      input: await sourceOf(kv, customers),
      findDataset: async (ref) =>
        ref === regions.id || ref === "regions.csv"
          ? await sourceOf(kv, regions)
          : null,
      runSql: (source, sql) =>
        runSandboxedSql(source, sql, { timeoutMs: 2000, maxRows: 1000 }),
      maxRows: 1000,
    }, step);
    const rows: RawCell[][] = [];
    for await (const batch of result.batches) rows.push(...batch);
    return {
      names: result.names,
      rows,
      format: result.format,
      sql: result.sql,
    };
  };
  await fn(run);
}

const ids = (rows: RawCell[][]) => rows.map((r) => r[0]);

Deno.test("workflow select_columns: keeps the named columns in the order given", () =>
  withData(async (run) => {
    const r = await run({
      operation: "select_columns",
      arguments: { columns: ["spend", "name"] },
    });
    assert.deepEqual(r.names, ["spend", "name"]);
    assert.deepEqual(r.rows, [[10.5, "Ann"], [20, "Bob"], [5, "Cy"], [
      null,
      "Di",
    ], [10.5, "Ann"]]);
  }));

Deno.test("workflow rename_columns: renames and refuses a clash", () =>
  withData(async (run) => {
    const r = await run({
      operation: "rename_columns",
      arguments: { mapping: { spend: "amount", Region: "area" } },
    });
    assert.deepEqual(r.names, [
      "id",
      "name",
      "postal_code",
      "area",
      "amount",
      "visits",
    ]);
    assert.equal(r.rows.length, 5);
    await assert.rejects(
      run({
        operation: "rename_columns",
        arguments: { mapping: { spend: "name" } },
      }),
      (e: DataError) =>
        e.code === "invalid_step" &&
        /two columns would be called "name"/.test(e.message),
    );
  }));

Deno.test("workflow drop_duplicates: by some columns keeps the first (or last); by all columns keeps distinct rows", () =>
  withData(async (run) => {
    const first = await run({
      operation: "drop_duplicates",
      arguments: { columns: ["postal_code"] },
    });
    assert.deepEqual(ids(first.rows), [1, 2, 4]);
    const last = await run({
      operation: "drop_duplicates",
      arguments: { columns: ["postal_code"], keep: "last" },
    });
    assert.deepEqual(ids(last.rows), [2, 4, 5]);
    const all = await run({ operation: "drop_duplicates" });
    assert.deepEqual(ids(all.rows), [1, 2, 3, 4, 5]);
    const most = await run({
      operation: "drop_duplicates",
      arguments: {
        columns: ["name", "postal_code", "region", "spend", "visits"],
      },
    });
    assert.deepEqual(ids(most.rows), [1, 2, 3, 4]);
  }));

Deno.test("workflow filter: structured conditions with all / any", () =>
  withData(async (run) => {
    const f = (conditions: unknown[], match = "all") =>
      run({ operation: "filter", arguments: { conditions, match } });
    assert.deepEqual(
      ids(
        (await f([{ column: "region", op: "eq", value: "North" }, {
          column: "spend",
          op: "gt",
          value: 6,
        }])).rows,
      ),
      [1, 5],
    );
    assert.deepEqual(
      ids(
        (await f([{ column: "region", op: "eq", value: "West" }, {
          column: "spend",
          op: "gte",
          value: "20",
        }], "any")).rows,
      ),
      [2, 4],
    );
    assert.deepEqual(
      ids((await f([{ column: "region", op: "ne", value: "North" }])).rows),
      [2, 4],
    );
    assert.deepEqual(
      ids(
        (await f([{
          column: "postal_code",
          op: "in",
          values: ["10001", "94105"],
        }])).rows,
      ),
      [2, 4],
    );
    assert.deepEqual(
      ids(
        (await f([{ column: "postal_code", op: "not_in", values: ["02134"] }]))
          .rows,
      ),
      [2, 4],
    );
    assert.deepEqual(
      ids((await f([{ column: "name", op: "contains", value: "AN" }])).rows),
      [1, 5],
    );
    assert.deepEqual(
      ids(
        (await f([{ column: "name", op: "not_contains", value: "an" }])).rows,
      ),
      [2, 3, 4],
    );
    assert.deepEqual(
      ids((await f([{ column: "name", op: "starts_with", value: "b" }])).rows),
      [2],
    );
    assert.deepEqual(
      ids((await f([{ column: "name", op: "ends_with", value: "N" }])).rows),
      [1, 5],
    );
    assert.deepEqual(
      ids((await f([{ column: "spend", op: "is_null" }])).rows),
      [4],
    );
    assert.deepEqual(
      ids(
        (await f([{ column: "visits", op: "not_null" }, {
          column: "visits",
          op: "lte",
          value: 3,
        }])).rows,
      ),
      [1, 3, 5],
    );
    assert.deepEqual(
      ids((await f([{ column: "spend", op: "lt", value: 10.5 }])).rows),
      [3],
    );
    await assert.rejects(
      f([{ column: "spend", op: "gt", value: "lots" }]),
      (e: DataError) => /"lots" is not a number/.test(e.message),
    );
    await assert.rejects(
      f([{ column: "nope", op: "eq", value: 1 }]),
      (e: DataError) =>
        e.code === "invalid_step" && /no column "nope"/.test(e.message),
    );
  }));

Deno.test("workflow sort: by several columns, empty cells last, ties in input order", () =>
  withData(async (run) => {
    const r = await run({
      operation: "sort",
      arguments: { by: [{ column: "spend", direction: "desc" }] },
    });
    assert.deepEqual(ids(r.rows), [2, 1, 5, 3, 4]);
    const two = await run({
      operation: "sort",
      arguments: {
        by: [{ column: "region" }, { column: "id", direction: "desc" }],
      },
    });
    assert.deepEqual(ids(two.rows), [5, 3, 1, 2, 4]);
  }));

Deno.test("workflow normalize: min-max and z-score (sample standard deviation)", () =>
  withData(async (run) => {
    const mm = await run({
      operation: "normalize",
      arguments: { columns: ["spend"], method: "min_max" },
    });
    const spend = mm.rows.map((r) => r[4]);
    const expected = [5.5 / 15, 1, 0, null, 5.5 / 15];
    spend.forEach((v, i) =>
      expected[i] === null
        ? assert.equal(v, null)
        : assert.ok(Math.abs((v as number) - expected[i]!) < 1e-12, `${v}`)
    );
    const z = await run({
      operation: "normalize",
      arguments: { columns: ["spend"], method: "z_score" },
    });
    const sd = Math.sqrt(116.5 / 3);
    const zs = [
      (10.5 - 11.5) / sd,
      (20 - 11.5) / sd,
      (5 - 11.5) / sd,
      null,
      (10.5 - 11.5) / sd,
    ];
    z.rows.map((r) => r[4]).forEach((v, i) =>
      zs[i] === null ? assert.equal(v, null) : assert.ok(
        Math.abs((v as number) - zs[i]!) < 1e-12,
        `${v} vs ${zs[i]}`,
      )
    );
    await assert.rejects(
      run({ operation: "normalize", arguments: { columns: ["name"] } }),
      (e: DataError) => /"name" is text, not numeric/.test(e.message),
    );
  }));

Deno.test("workflow fill_missing: a value, the mean, the median and the mode", () =>
  withData(async (run) => {
    const value = await run({
      operation: "fill_missing",
      arguments: { columns: ["visits"], value: 0 },
    });
    assert.deepEqual(value.rows.map((r) => r[5]), [3, 0, 1, 4, 3]);
    const mean = await run({
      operation: "fill_missing",
      arguments: { strategy: "mean" },
    });
    assert.deepEqual(mean.rows.map((r) => [r[4], r[5]]), [
      [10.5, 3],
      [20, 2.75],
      [5, 1],
      [11.5, 4],
      [10.5, 3],
    ]);
    const median = await run({
      operation: "fill_missing",
      arguments: { columns: ["visits", "spend"], strategy: "median" },
    });
    assert.deepEqual(median.rows.map((r) => [r[4], r[5]]), [
      [10.5, 3],
      [20, 3],
      [5, 1],
      [10.5, 4],
      [10.5, 3],
    ]);
    const mode = await run({
      operation: "fill_missing",
      arguments: { columns: ["visits"], strategy: "mode" },
    });
    assert.deepEqual(mode.rows.map((r) => r[5]), [3, 3, 1, 4, 3]);
    await assert.rejects(
      run({
        operation: "fill_missing",
        arguments: { columns: ["spend"], value: "none" },
      }),
      (e: DataError) => /"none" is not a number/.test(e.message),
    );
  }));

Deno.test("workflow sql: the person's query runs in the sandbox over `data`", () =>
  withData(async (run) => {
    const r = await run({
      operation: "sql",
      arguments: {
        query:
          "SELECT region, COUNT(*) AS n FROM data GROUP BY region ORDER BY n DESC, region",
      },
    });
    assert.deepEqual(r.names, ["region", "n"]);
    assert.deepEqual(r.rows, [["North", 3], ["South", 1], ["West", 1]]);
    await assert.rejects(
      run({ operation: "sql", arguments: { query: "DELETE FROM data" } }),
      (e: DataError) => e.code === "sql_refused",
    );
  }));

Deno.test("workflow join: inner, left and full joins with another dataset of the session", () =>
  withData(async (run) => {
    const inner = await run({
      operation: "join",
      arguments: { dataset: "regions.csv", on: ["region"] },
    });
    assert.deepEqual(inner.names, [
      "id",
      "name",
      "postal_code",
      "region",
      "spend",
      "visits",
      "manager",
    ]);
    assert.deepEqual(inner.rows.map((r) => [r[0], r[6]]), [
      [1, "Nia"],
      [2, "Sam"],
      [3, "Nia"],
      [5, "Nia"],
    ]);
    const left = await run({
      operation: "join",
      arguments: { dataset: "regions.csv", on: ["region"], how: "left" },
    });
    assert.deepEqual(left.rows.map((r) => [r[0], r[6]]), [
      [1, "Nia"],
      [2, "Sam"],
      [3, "Nia"],
      [4, null],
      [5, "Nia"],
    ]);
    const full = await run({
      operation: "join",
      arguments: {
        dataset: "regions.csv",
        on: [{ left: "region", right: "region" }],
        how: "full",
      },
    });
    assert.equal(full.rows.length, 6);
    assert.deepEqual(full.rows.at(-1), [
      null,
      null,
      null,
      "East",
      null,
      null,
      "Eve",
    ]);
  }));

Deno.test("workflow convert: the rows pass through unchanged and the output downloads in the format", () =>
  withData(async (run) => {
    const r = await run({
      operation: "convert",
      arguments: { format: "xlsx" },
    });
    assert.equal(r.format, "xlsx");
    assert.equal(r.sql, null);
    assert.deepEqual(ids(r.rows), [1, 2, 3, 4, 5]);
    assert.deepEqual(r.rows[1], [2, "Bob", "10001", "South", 20, null]);
  }));
