import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { neutraliseCell, renderCsv } from "@/lib/exports/csv.ts";
import type { ExportInput, ExportResult } from "@/lib/exports/types.ts";
import type { Cell, Snapshot } from "@/lib/charts/spec.ts";

const NASTY = [
  'say "hi"',
  "a,b,c",
  "line one\nline two",
  "cr\r\nlf",
  "emoji 📈🎉",
  "</script><script>alert(1)</script>",
  "=cmd|' /C calc'!A0",
  "+SUM(A1)",
  "-2+3",
  "@HYPERLINK(x)",
  "\tTAB",
  "-12.5",
  "plain",
  "",
];

function input(snapshot: Snapshot): ExportInput {
  return {
    title: "Export",
    spec: { type: "bar", title: "Export", x: "label", series: ["value"] },
    snapshot,
  };
}

async function text(body: ExportResult["body"]) {
  return await new Response(body).text();
}

/** What a cell reads back as: text, with formulas defused and null empty. */
function expected(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  return /^[=+\-@\t\r]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell)
    ? `'${cell}`
    : cell;
}

const snapshot: Snapshot = {
  columns: [
    { name: "label", type: "string" },
    { name: "value", type: "number" },
  ],
  rows: NASTY.map((label, i) => [label, i % 2 ? -i * 1.5 : i]),
};

Deno.test("csv: reads back as exactly the snapshot, nasty cells included", async () => {
  const result = renderCsv(input(snapshot));
  assert.equal(result.mime, "text/csv; charset=utf-8");
  assert.equal(result.extension, "csv");
  assert.ok(result.body instanceof ReadableStream);
  const records: string[][] = parse(await text(result.body));
  assert.deepEqual(records[0], ["label", "value"]);
  assert.deepEqual(
    records.slice(1),
    snapshot.rows.map((row) => row.map(expected)),
  );
});

Deno.test("csv: formula-like text is neutralised with a leading quote", async () => {
  const records: string[][] = parse(
    await text(renderCsv(input(snapshot)).body),
  );
  const labels = records.slice(1).map((r) => r[0]);
  assert.ok(labels.includes("'=cmd|' /C calc'!A0"));
  assert.ok(labels.includes("'+SUM(A1)"));
  assert.ok(labels.includes("'@HYPERLINK(x)"));
  assert.ok(labels.includes("'\tTAB"));
  assert.ok(labels.includes("'-2+3"));
  assert.ok(!labels.includes("=cmd|' /C calc'!A0"));
});

Deno.test("csv: negative numbers stay numbers", async () => {
  const csv = await text(renderCsv(input(snapshot)).body);
  assert.match(csv, /,-1\.5\r\n/);
  assert.match(csv, /^-12\.5,/m);
  assert.ok(!csv.includes("'-1.5"));
  assert.equal(neutraliseCell(-3), -3);
  assert.equal(neutraliseCell("-3"), "-3");
  assert.equal(neutraliseCell("-3e5"), "-3e5");
  assert.equal(neutraliseCell("-x"), "'-x");
});

Deno.test("csv: records end in CRLF and embedded newlines are quoted", async () => {
  const csv = await text(
    renderCsv(input({
      columns: [{ name: "a", type: "string" }, { name: "b", type: "number" }],
      rows: [["x\ny", 1], ["z", null]],
    })).body,
  );
  assert.equal(csv, 'a,b\r\n"x\ny",1\r\nz,\r\n');
});

Deno.test("csv: a header that looks like a formula is neutralised too", async () => {
  const csv = await text(
    renderCsv(input({
      columns: [{ name: "=1+1", type: "number" }],
      rows: [[2]],
    })).body,
  );
  assert.equal(csv, "'=1+1\r\n2\r\n");
});

Deno.test("csv: a scatter snapshot exports its raw columns, group included", async () => {
  const scatter: Snapshot = {
    columns: [
      { name: "x", type: "number" },
      { name: "y", type: "number" },
      { name: "species", type: "string" },
    ],
    rows: [[1.5, 2, "setosa"], [null, 3, "virginica"], [4, 5, null]],
  };
  const result = renderCsv({
    title: "Iris",
    spec: {
      type: "scatter",
      title: "Iris",
      x: "x",
      series: ["y"],
      group: "species",
    },
    snapshot: scatter,
  });
  assert.deepEqual(parse(await text(result.body)), [
    ["x", "y", "species"],
    ["1.5", "2", "setosa"],
    ["", "3", "virginica"],
    ["4", "5", ""],
  ]);
});

Deno.test("csv: a big snapshot streams in several chunks", async () => {
  const big: Snapshot = {
    columns: [{ name: "n", type: "number" }],
    rows: Array.from({ length: 2500 }, (_, i) => [i]),
  };
  const body = renderCsv(input(big)).body as ReadableStream<Uint8Array>;
  let chunks = 0;
  let all = "";
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    chunks++;
    all += decoder.decode(chunk, { stream: true });
  }
  assert.ok(chunks >= 3, `${chunks} chunks`);
  assert.equal(parse(all).length, 2501);
});

Deno.test("csv: UTF-8 without BOM by default, with one when asked", async () => {
  const plain = await new Response(renderCsv(input(snapshot)).body)
    .arrayBuffer();
  assert.notDeepEqual([...new Uint8Array(plain).subarray(0, 3)], [
    0xef,
    0xbb,
    0xbf,
  ]);
  const bom = await new Response(renderCsv(input(snapshot), { bom: true }).body)
    .arrayBuffer();
  assert.deepEqual([...new Uint8Array(bom).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(new TextDecoder().decode(bom).includes("emoji 📈🎉"));
});
