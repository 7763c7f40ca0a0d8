import assert from "node:assert/strict";
import {
  cachedCellCount,
  clearQueryCache,
  quoteIdent,
  runQuery,
} from "@/lib/data/query.ts";
import { profileTable, type Table } from "@/lib/data/table.ts";
import { detectDelimiter, inferTable, parseCsvText } from "./_csv.ts";

function sample(): Table {
  return inferTable(
    [
      ["2024-01-01", "Kampala", "10.5", "3", "true"],
      ["2024-01-02", "Kampala", "12", "4", "false"],
      ["2024-01-01", 'O\'Brien "town"', "7", "", "TRUE"],
    ],
    ["date", "city", "pm25", "count", "ok"],
  );
}

Deno.test("query: runs a parameterised aggregate and types the columns", () => {
  const source = { id: "test:sample", table: sample() };
  const r = runQuery(
    source,
    'SELECT "city" AS "city", AVG("pm25") AS "pm25" FROM data WHERE "city" = ? GROUP BY 1',
    ["Kampala"],
  );
  assert.deepEqual(r.columns, [{ name: "city", type: "string" }, {
    name: "pm25",
    type: "number",
  }]);
  assert.deepEqual(r.rows, [["Kampala", 11.25]]);
});

Deno.test("query: values with quotes travel as parameters", () => {
  const source = { id: "test:sample", table: sample() };
  const r = runQuery(
    source,
    'SELECT COUNT(*) AS n FROM data WHERE "city" = ?',
    [
      'O\'Brien "town"',
    ],
  );
  assert.deepEqual(r.rows, [[1]]);
});

Deno.test("query: nulls, booleans and integers load as SQLite values", () => {
  const source = { id: "test:sample", table: sample() };
  const r = runQuery(source, 'SELECT "count", "ok" FROM data ORDER BY rowid');
  assert.deepEqual(r.rows, [[3, "true"], [4, "false"], [null, "true"]]);
});

Deno.test("query: ATTACH, writes, schema changes and PRAGMA are refused", () => {
  const source = { id: "test:sample", table: sample() };
  for (
    const sql of [
      "ATTACH DATABASE ':memory:' AS other",
      "ATTACH DATABASE '/tmp/chartroom-attack.db' AS other",
      "DELETE FROM data",
      "INSERT INTO data VALUES (1, 2, 3, 4, 5)",
      "UPDATE data SET pm25 = 0",
      "DROP TABLE data",
      "CREATE TABLE t (a)",
      "PRAGMA table_info(data)",
    ]
  ) {
    assert.throws(() => runQuery(source, sql), /not authorized|authoriz/i, sql);
  }
  assert.deepEqual(runQuery(source, "SELECT COUNT(*) FROM data").rows, [[3]]);
});

Deno.test("query: quoteIdent doubles inner quotes", () => {
  assert.equal(quoteIdent('we"ird'), '"we""ird"');
  const table: Table = {
    columns: [{ name: 'we"ird', type: "integer" }, {
      name: "a b",
      type: "text",
    }],
    rows: [[1, "x"], [2, "y"]],
  };
  const r = runQuery(
    { id: "test:weird", table },
    `SELECT SUM(${quoteIdent('we"ird')}) AS ${
      quoteIdent("total")
    } FROM data WHERE ${quoteIdent("a b")} IN (?, ?)`,
    ["x", "y"],
  );
  assert.deepEqual(r.rows, [[3]]);
});

Deno.test("query: a dataset is loaded once and reloaded when its table changes", () => {
  clearQueryCache();
  const table = sample();
  runQuery({ id: "test:cache", table }, "SELECT 1");
  assert.equal(cachedCellCount(), 15);
  runQuery({ id: "test:cache", table }, "SELECT 1");
  assert.equal(cachedCellCount(), 15);
  const bigger = inferTable([["1"], ["2"], ["3"], ["4"]], ["n"]);
  const r = runQuery(
    { id: "test:cache", table: bigger },
    "SELECT SUM(n) FROM data",
  );
  assert.deepEqual(r.rows, [[10]]);
  assert.equal(cachedCellCount(), 4);
  clearQueryCache("test:cache");
  assert.equal(cachedCellCount(), 0);
});

// Its time is bench/query_bench.ts's figure, not a check here.
Deno.test("query: 3,000 rows load and aggregate by month", () => {
  clearQueryCache();
  const records = Array.from({ length: 3000 }, (_, i) => [
    `2024-${String(1 + (i % 12)).padStart(2, "0")}-01`,
    `city${i % 5}`,
    String(i / 7),
  ]);
  const table = inferTable(records, ["date", "city", "v"]);
  const r = runQuery(
    { id: "test:perf", table },
    'SELECT substr("date", 1, 7), AVG("v") FROM data GROUP BY 1',
  );
  assert.equal(r.rows.length, 12);
});

Deno.test("table: infers integer, number, boolean, date, datetime and text", () => {
  const t = inferTable(
    [
      [
        "1",
        "1.5",
        "true",
        "2024-01-31",
        "2024-01-31T10:20:00Z",
        "007",
        "2024-03",
        "31/01/2024",
      ],
      [
        "-2",
        "2e3",
        "False",
        "2024/2/1",
        "2024-02-01 08:00",
        "x",
        "2024-04",
        "01/02/2024",
      ],
      ["", "NA", "", "", "", "", "", ""],
    ],
    ["i", "n", "b", "d", "dt", "t", "m", "dmy"],
  );
  assert.deepEqual(t.columns.map((c) => c.type), [
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "text",
    "date",
    "date",
  ]);
  assert.deepEqual(t.rows[0], [
    1,
    1.5,
    true,
    "2024-01-31",
    "2024-01-31T10:20:00Z",
    "007",
    "2024-03-01",
    "2024-01-31",
  ]);
  assert.deepEqual(t.rows[1], [
    -2,
    2000,
    false,
    "2024-02-01",
    "2024-02-01T08:00:00",
    "x",
    "2024-04-01",
    "2024-02-01",
  ]);
  assert.deepEqual(t.rows[2], [null, null, null, null, null, null, null, null]);
});

Deno.test("table: leading zeros stay text; impossible dates are text", () => {
  const t = inferTable([["01234", "2024-02-30"], ["12345", "2024-01-01"]], [
    "zip",
    "d",
  ]);
  assert.deepEqual(t.columns.map((c) => c.type), ["text", "text"]);
});

Deno.test("table: header names are made unique and non-empty", () => {
  const t = inferTable([["1", "2", "3", "4"]], ["a", "A", "", "a"]);
  assert.deepEqual(t.columns.map((c) => c.name), [
    "a",
    "A_2",
    "column_3",
    "a_3",
  ]);
});

Deno.test("table: profiles hold distinct text values, ranges and date grain", () => {
  const t = inferTable(
    [
      ["2024-01", "b", "3"],
      ["2024-02", "a", "1"],
      ["2024-03", "b", ""],
    ],
    ["month", "cat", "v"],
  );
  const p = profileTable("id", "name.csv", t);
  assert.equal(p.rowCount, 3);
  assert.deepEqual(p.columns[0], {
    name: "month",
    type: "date",
    distinctCount: 3,
    nulls: 0,
    min: "2024-01-01",
    max: "2024-03-01",
    grain: "month",
  });
  assert.deepEqual(p.columns[1].distinct, ["b", "a"]);
  assert.equal(p.columns[2].min, 1);
  assert.equal(p.columns[2].max, 3);
  assert.equal(p.columns[2].nulls, 1);
});

Deno.test("csv: detects comma, semicolon and tab delimiters", () => {
  assert.equal(detectDelimiter("a,b,c\n1,2,3\n"), ",");
  assert.equal(detectDelimiter("a;b;c\n1,5;2;3\n"), ";");
  assert.equal(detectDelimiter("a\tb\n1\t2\n"), "\t");
  assert.equal(detectDelimiter('"x;y",b\n"1;2",3\n'), ",");
});

Deno.test("csv: parses quotes, a BOM, blank lines and ragged rows", () => {
  const { header, records } = parseCsvText(
    '\uFEFFname; note ;n\n"Smith; J.";"said ""hi""";1\n\nShort\nLong;x;2;extra\n',
  );
  assert.deepEqual(header, ["name", "note", "n"]);
  assert.deepEqual(records, [
    ["Smith; J.", 'said "hi"', "1"],
    ["Short", "", ""],
    ["Long", "x", "2", "extra"],
  ]);
});

Deno.test("csv: maxRecords stops early", () => {
  const { records } = parseCsvText("a\n1\n2\n3\n", { maxRecords: 2 });
  assert.deepEqual(records, [["1"], ["2"]]);
});
