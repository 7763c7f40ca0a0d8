import assert from "node:assert/strict";
import { runSandboxedSql } from "@/lib/data/sandbox.ts";
import type { StoredSource } from "@/lib/data/query.ts";
import { DataError } from "@/lib/data/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

function source(id: string): StoredSource {
  const rows = [
    ["North", 10, "2024-01-01"],
    ["South", 20, "2024-01-02"],
    ["North", 5, "2024-01-03"],
  ];
  return {
    id,
    columns: [
      { name: "region", type: "text" },
      { name: "amount", type: "integer" },
      { name: "day", type: "date" },
    ],
    rowCount: rows.length,
    rows: async function* () {
      yield rows;
    },
  };
}

async function refused(
  sql: string,
  code: string,
  pattern?: RegExp,
  timeoutMs = 2000,
) {
  await assert.rejects(
    runSandboxedSql(source("sandbox:t"), sql, { maxRows: 1000, timeoutMs }),
    (e: unknown) => {
      assert.ok(e instanceof DataError, `${sql}: ${e}`);
      assert.equal(e.code, code, `${sql}: ${e.message}`);
      if (pattern) assert.match(e.message, pattern, sql);
      return true;
    },
    sql,
  );
}

Deno.test("sandbox: a read-only query runs and returns its rows", async () => {
  const r = await runSandboxedSql(
    source("sandbox:t"),
    "SELECT region, SUM(amount) AS total FROM data GROUP BY region ORDER BY region",
    { maxRows: 100 },
  );
  assert.deepEqual(r.names, ["region", "total"]);
  assert.deepEqual(r.rows, [["North", 15], ["South", 20]]);
});

Deno.test("sandbox: ATTACH is refused", async () => {
  await refused(
    "ATTACH DATABASE '/tmp/chartroom-sandbox.db' AS x",
    "sql_refused",
    /ATTACH/,
  );
  await refused("ATTACH ':memory:' AS x", "sql_refused");
});

Deno.test("sandbox: load_extension does not exist in the sandbox", async () => {
  await refused(
    "SELECT load_extension('/usr/lib/x.so')",
    "sql_error",
    /load_extension/,
  );
});

Deno.test("sandbox: writes, schema changes and pragmas are refused", async () => {
  for (
    const sql of [
      "DELETE FROM data",
      "INSERT INTO data VALUES ('x', 1, '2024-01-01')",
      "UPDATE data SET amount = 0",
      "DROP TABLE data",
      "CREATE TABLE t (a)",
      "PRAGMA writable_schema = 1",
      "PRAGMA table_info(data)",
      "VACUUM",
    ]
  ) await refused(sql, "sql_refused", undefined);
});

Deno.test("sandbox: more than one statement is refused", async () => {
  await refused("SELECT 1; DROP TABLE data", "sql_refused", /one statement/);
  await refused("SELECT 1; SELECT 2", "sql_refused", /one statement/);
  // A trailing semicolon or comment is still one statement.
  const r = await runSandboxedSql(
    source("sandbox:t"),
    "SELECT COUNT(*) FROM data; -- done",
    { maxRows: 10 },
  );
  assert.deepEqual(r.rows, [[3]]);
});

Deno.test("sandbox: an endless recursive CTE is stopped at the deadline", async () => {
  // An endless statement can only end by the deadline; how soon is a bench figure.
  await refused(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c",
    "sql_timeout",
    /longer than 0.3 s/,
    300,
  );
});

Deno.test("sandbox: a result over the row cap is refused", async () => {
  await assert.rejects(
    runSandboxedSql(
      source("sandbox:t"),
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c",
      { maxRows: 50, timeoutMs: 5000 },
    ),
    (e: DataError) => e.code === "too_many_rows" && statusOf(e) === 413,
  );
});

Deno.test("sandbox: a syntax error says what SQLite said", async () => {
  await refused("SELEC 1", "sql_error", /syntax error/);
  await refused("SELECT nope FROM data", "sql_error", /no such column: nope/);
});
