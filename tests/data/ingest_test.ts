import assert from "node:assert/strict";
import { ingest, latin1, rejects, utf16 } from "./_ingest.ts";
import { DataError } from "@/lib/data/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

const PEOPLE =
  'id,name,city,score,active,joined\n1,"Smith, Jo",São Paulo,3.5,true,2024-01-05\n2,Ann,Zürich,4,false,2024-02-29\n3,"Q ""Q"" Lee",Kraków,,TRUE,2024-03-01\n';

Deno.test("ingest: a comma CSV with quotes reads its header, cells and types", async () => {
  const r = await ingest(PEOPLE, "people.csv");
  assert.equal(r.format, "csv");
  assert.equal(r.delimiter, ",");
  assert.equal(r.encoding, "utf-8");
  assert.deepEqual(r.names, [
    "id",
    "name",
    "city",
    "score",
    "active",
    "joined",
  ]);
  assert.deepEqual(r.types, [
    "integer",
    "text",
    "text",
    "number",
    "boolean",
    "date",
  ]);
  assert.deepEqual(r.typed, [
    [1, "Smith, Jo", "São Paulo", 3.5, true, "2024-01-05"],
    [2, "Ann", "Zürich", 4, false, "2024-02-29"],
    [3, 'Q "Q" Lee', "Kraków", null, true, "2024-03-01"],
  ]);
  assert.equal(r.rows, 3);
  assert.deepEqual(r.repairs, []);
});

Deno.test("ingest: semicolon, tab and pipe delimiters are detected from the content", async () => {
  for (const d of [";", "\t", "|"]) {
    const r = await ingest(
      `a${d}b${d}c\n1${d}x, y${d}3\n4${d}z${d}6\n`,
      "data.txt",
    );
    assert.equal(r.delimiter, d);
    assert.deepEqual(r.names, ["a", "b", "c"]);
    assert.deepEqual(r.typed[0], [1, "x, y", 3]);
  }
});

Deno.test("ingest: a .tsv file is read as tab-separated even with commas in cells", async () => {
  const r = await ingest("name\tnote\nAnn\ta, b, c\n", "notes.tsv");
  assert.equal(r.format, "tsv");
  assert.deepEqual(r.typed, [["Ann", "a, b, c"]]);
});

Deno.test("ingest: single-quoted fields and CRLF line breaks are understood", async () => {
  const r = await ingest("a,b\r\n'x, y',1\r\n'z',2\r\n'w',3\r\n", "q.csv");
  assert.deepEqual(r.typed, [["x, y", 1], ["z", 2], ["w", 3]]);
});

Deno.test("ingest: a quoted field with a line break spans lines", async () => {
  const r = await ingest('a,b\n"line 1\nline 2",1\nx,2\n', "m.csv");
  assert.deepEqual(r.typed, [["line 1\nline 2", 1], ["x", 2]]);
});

Deno.test("ingest: UTF-8 with a BOM keeps the first column's name clean", async () => {
  const bytes = new Uint8Array([
    0xef,
    0xbb,
    0xbf,
    ...new TextEncoder().encode(PEOPLE),
  ]);
  const r = await ingest(bytes, "bom.csv");
  assert.equal(r.names[0], "id");
  assert.equal(r.typed[0][2], "São Paulo");
});

Deno.test("ingest: UTF-16 LE and BE, with and without BOM, are detected and decoded", async () => {
  for (
    const [endian, bom] of [["le", true], ["be", true], ["le", false], [
      "be",
      false,
    ]] as const
  ) {
    const r = await ingest(utf16(PEOPLE, endian, bom), "u16.csv");
    assert.equal(r.encoding, `utf-16${endian}`, `${endian} bom=${bom}`);
    assert.deepEqual(r.names, [
      "id",
      "name",
      "city",
      "score",
      "active",
      "joined",
    ]);
    assert.equal(r.typed[2][2], "Kraków".replace("ó", "ó"));
    assert.equal(r.typed[1][2], "Zürich");
  }
});

Deno.test("ingest: Latin-1 (Windows-1252) bytes are detected and decoded", async () => {
  const text = "ciudad;año;coste\nMálaga;2024;3,5\nA Coruña;2023;1\n";
  const r = await ingest(latin1(text), "latin.csv");
  assert.equal(r.encoding, "windows-1252");
  assert.equal(r.delimiter, ";");
  assert.deepEqual(r.names, ["ciudad", "año", "coste"]);
  assert.equal(r.typed[0][0], "Málaga");
  assert.equal(r.typed[1][0], "A Coruña");
});

Deno.test("ingest: pieces that split a multi-byte character or a row still parse", async () => {
  const r = await ingest(PEOPLE.repeat(1).replace(/\n$/, "") + "\n", "p.csv", {
    piece: 3,
  });
  assert.equal(r.typed[0][2], "São Paulo");
  assert.equal(r.rows, 3);
});

Deno.test("ingest: a JSON array of objects takes keys as columns in first-seen order", async () => {
  const r = await ingest(
    '[{"a": 1, "b": "x"}, {"a": 2.5, "c": true, "d": {"n": 1}}, {"b": null}]',
    "rows.json",
  );
  assert.equal(r.format, "json");
  assert.deepEqual(r.names, ["a", "b", "c", "d"]);
  assert.deepEqual(r.types, ["number", "text", "boolean", "text"]);
  assert.deepEqual(r.typed, [
    [1, "x", null, null],
    [2.5, null, true, '{"n":1}'],
    [null, null, null, null],
  ]);
});

Deno.test("ingest: a JSON array of arrays takes the first as the header", async () => {
  const r = await ingest('[["a","b"],[1,"x"],[2,"y"]]', "rows.json");
  assert.deepEqual(r.names, ["a", "b"]);
  assert.deepEqual(r.typed, [[1, "x"], [2, "y"]]);
});

Deno.test("ingest: NDJSON reads one object per line, by extension or by content", async () => {
  for (const name of ["rows.ndjson", "rows.jsonl", "rows.json", "rows"]) {
    const r = await ingest('{"a":1,"b":"x"}\n\n{"a":2,"b":"y"}\n', name);
    assert.equal(r.format, "ndjson", name);
    assert.deepEqual(r.typed, [[1, "x"], [2, "y"]]);
  }
});

Deno.test("ingest: types take 95% of values and count the rest as not fitting", async () => {
  const rows = Array.from(
    { length: 40 },
    (_, i) =>
      `${i},${i === 7 ? "n/a?" : i * 1.5},${
        i === 3 ? "soon" : `2024-01-${String(i % 28 + 1).padStart(2, "0")}`
      }`,
  );
  const r = await ingest(`id,amount,day\n${rows.join("\n")}\n`, "t.csv");
  assert.deepEqual(r.types, ["integer", "number", "date"]);
  assert.deepEqual(r.schema.columns.map((c) => c.invalid), [0, 1, 1]);
  assert.equal(r.typed[7][1], null);
  assert.equal(r.typed[3][2], null);
  const stats = r.schema.stats;
  assert.equal(stats[1].invalid, 1);
  assert.equal(stats[1].count, 39);
});

Deno.test("ingest: leading zeros stay text; NA-like cells are empty; booleans any case", async () => {
  const r = await ingest(
    "zip,v,ok\n02134,NA,True\n10001,,FALSE\n00501,n/a,true\n",
    "z.csv",
  );
  assert.deepEqual(r.types, ["text", "text", "boolean"]);
  assert.deepEqual(r.typed, [["02134", null, true], ["10001", null, false], [
    "00501",
    null,
    true,
  ]]);
  assert.equal(r.schema.columns[1].nulls, 3);
});

Deno.test("ingest: day-first slash dates are recognised by a day above 12", async () => {
  const r = await ingest(
    "d,us\n03/04/2024,03/04/2024\n25/12/2024,12/25/2024\n",
    "d.csv",
  );
  assert.deepEqual(r.types, ["date", "date"]);
  assert.deepEqual(r.typed, [["2024-04-03", "2024-03-04"], [
    "2024-12-25",
    "2024-12-25",
  ]]);
  assert.equal(r.schema.columns[0].dateOrder, "dmy");
  assert.equal(r.schema.columns[1].dateOrder, "mdy");
});

Deno.test("ingest: date-times and mixed dates become datetime", async () => {
  const r = await ingest(
    "t\n2024-01-05T10:30:00Z\n2024-01-06 08:00\n2024-01-07\n",
    "t.csv",
  );
  assert.deepEqual(r.types, ["datetime"]);
  assert.deepEqual(r.typed.map((x) => x[0]), [
    "2024-01-05T10:30:00Z",
    "2024-01-06T08:00:00",
    "2024-01-07T00:00:00",
  ]);
});

Deno.test("ingest: the profile lists frequent values and ranges for the planner", async () => {
  const r = await ingest(
    "region,spend,day\nNorth,1,2024-01-01\nNorth,5,2024-02-01\nSouth,3,2024-03-01\n",
    "p.csv",
  );
  const [region, spend, day] = r.schema.profile.columns;
  assert.deepEqual(region.distinct, ["North", "South"]);
  assert.equal(region.distinctCount, 2);
  assert.deepEqual([spend.min, spend.max], [1, 5]);
  assert.deepEqual([day.min, day.max, day.grain], [
    "2024-01-01",
    "2024-03-01",
    "month",
  ]);
  assert.equal(r.schema.profile.rowCount, 3);
});

Deno.test("ingest: ragged rows are padded or widened and reported with their line numbers", async () => {
  const r = await ingest(
    'a,b,c\n1,2,3\n4,5\n"x\ny",7,8,9\n10,11,12\n',
    "r.csv",
  );
  assert.deepEqual(r.names, ["a", "b", "c", "column_4"]);
  assert.deepEqual(r.typed, [["1", 2, 3, null], ["4", 5, null, null], [
    "x\ny",
    7,
    8,
    9,
  ], ["10", 11, 12, null]]);
  const note = r.repairs.find((x) => x.includes("different number of cells"));
  assert.ok(note, r.repairs.join("; "));
  assert.match(note!, /lines 3, 4\)/);
});

Deno.test("ingest: duplicate and empty column names are repaired and reported", async () => {
  const r = await ingest("name,Name,,x,,x\n1,2,3,4,5,6\n", "h.csv");
  assert.deepEqual(r.names, [
    "name",
    "Name_2",
    "column_3",
    "x",
    "column_5",
    "x_2",
  ]);
  assert.ok(
    r.repairs.some((x) => /already taken.*Name_2/.test(x)),
    r.repairs.join("; "),
  );
  assert.ok(
    r.repairs.some((x) => /columns 3, 5 had no name/.test(x)),
    r.repairs.join("; "),
  );
});

Deno.test("ingest: blank lines and all-empty rows are skipped", async () => {
  const r = await ingest("a,b\n\n1,2\n,\n\n3,4\n", "b.csv");
  assert.deepEqual(r.typed, [[1, 2], [3, 4]]);
});

Deno.test("ingest: a header-only file is a dataset with no rows", async () => {
  const r = await ingest("a,b,c\n", "h.csv");
  assert.equal(r.rows, 0);
  assert.deepEqual(r.names, ["a", "b", "c"]);
});

Deno.test("ingest: an empty file is refused", async () => {
  await rejects(ingest("", "e.csv"), "empty_file");
});

Deno.test("ingest: binary junk is refused as binary, not parsed", async () => {
  const junk = new Uint8Array(4096);
  let x = 12345;
  for (let i = 0; i < junk.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    junk[i] = x >>> 24;
  }
  await rejects(ingest(junk, "junk.csv"), "binary_file", /binary/);
});

Deno.test("ingest: known binary formats with a wrong extension are named", async () => {
  const png = new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    13,
  ]);
  await rejects(ingest(png, "chart.csv"), "unsupported_file", /PNG image/);
  const pdf = new TextEncoder().encode("%PDF-1.7\n...");
  await rejects(ingest(pdf, "report.xlsx"), "unsupported_file", /PDF/);
  const xls = new Uint8Array([
    0xd0,
    0xcf,
    0x11,
    0xe0,
    0xa1,
    0xb1,
    0x1a,
    0xe1,
    0,
    0,
  ]);
  await rejects(ingest(xls, "old.xls"), "unsupported_file", /97-2003/);
  const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
  await rejects(ingest(gz, "data.csv"), "unsupported_file", /gzip/);
});

Deno.test("ingest: an HTML page named .xlsx is refused; text named .xlsx is read as text with a note", async () => {
  await rejects(
    ingest("<html><table><tr><td>1</td></tr></table></html>", "export.xlsx"),
    "not_xlsx",
    /HTML/,
  );
  const r = await ingest("a,b\n1,2\n", "really-text.xlsx");
  assert.equal(r.format, "csv");
  assert.ok(r.repairs.some((x) => /not an XLSX workbook/.test(x)));
});

Deno.test("ingest: a quote that never closes is reported with its line", async () => {
  await rejects(
    ingest('a,b\n1,2\n"open,3\n4,5\n', "q.csv"),
    "unclosed_quote",
    /line 3/,
  );
});

Deno.test("ingest: bad JSON and NDJSON are refused with where it went wrong", async () => {
  await rejects(ingest('{"a":1}\n{"a":\n', "x.ndjson"), "bad_json", /line 2/);
  await rejects(ingest('[{"a":1}, 5]', "x.json"), "bad_json", /element 2/);
  await rejects(ingest('[{"a":1}, {"a":', "x.json"), "bad_json");
  await rejects(
    ingest('{"data": [1, 2]}', "x.json"),
    "bad_json",
    /not an array|NDJSON/,
  );
});

Deno.test("ingest: more rows or columns than the limits is a 413 naming the limit", async () => {
  const rows = Array.from({ length: 11 }, (_, i) => `${i},x`).join("\n");
  await assert.rejects(
    ingest(`a,b\n${rows}\n`, "big.csv", { maxRows: 10 }),
    (e: DataError) =>
      statusOf(e) === 413 && e.code === "too_many_rows" &&
      /MAX_UPLOAD_ROWS/.test(e.message),
  );
  const header = Array.from({ length: 6 }, (_, i) => `c${i}`).join(",");
  await assert.rejects(
    ingest(`${header}\n1,2,3,4,5,6\n`, "wide.csv", { maxColumns: 5 }),
    (e: DataError) =>
      statusOf(e) === 413 && e.code === "too_many_columns" &&
      /MAX_UPLOAD_COLUMNS/.test(e.message),
  );
  await assert.rejects(
    ingest('{"a":1,"b":2,"c":3}\n', "wide.ndjson", { maxColumns: 2 }),
    (e: DataError) => statusOf(e) === 413 && e.code === "too_many_columns",
  );
});

Deno.test("ingest: the same table in CSV, TSV, JSON and NDJSON reads the same", async () => {
  const csv = await ingest("a,b\n1,x\n2,y\n", "t.csv");
  const tsv = await ingest("a\tb\n1\tx\n2\ty\n", "t.tsv");
  const json = await ingest('[{"a":1,"b":"x"},{"a":2,"b":"y"}]', "t.json");
  const nd = await ingest('{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n', "t.ndjson");
  for (const r of [tsv, json, nd]) {
    assert.deepEqual(r.names, csv.names);
    assert.deepEqual(r.types, csv.types);
    assert.deepEqual(r.typed, csv.typed);
  }
});

Deno.test("ingest: the eval set's files get the same column types as the planner's in-memory reader", async () => {
  const { inferTable, parseCsvText } = await import("./_csv.ts");
  const dir = new URL("../../../shared/eval/", import.meta.url);
  let files: string[] = [];
  try {
    files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      n.endsWith(".csv")
    );
  } catch {
    return; // the shared eval set is not beside this checkout
  }
  for (const name of files) {
    const text = Deno.readTextFileSync(new URL(name, dir));
    const { header, records } = parseCsvText(text);
    const table = inferTable(records, header);
    const r = await ingest(text, name);
    assert.deepEqual(r.types, table.columns.map((c) => c.type), name);
    assert.deepEqual(r.typed, table.rows, name);
  }
});
