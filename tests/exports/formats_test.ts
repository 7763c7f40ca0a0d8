/**
 * Every export format from the outside: the registry matches the menu's
 * catalog, each format renders the hostile fixture, names its file and
 * refuses unknown options; CSV options and the JSON shape round-trip.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  EXPORT_FORMATS,
  exportChart,
  parseExportOptions,
} from "@/lib/exports/mod.ts";
import { EXPORT_CATALOG } from "@/lib/exports/catalog.ts";
import { LANGS } from "@/lib/agent/lang/mod.ts";
import { uiText } from "@/lib/agent/lang/ui.ts";
import { renderCsv } from "@/lib/exports/csv.ts";
import { jsonForScript } from "@/lib/exports/escape.ts";
import { AppError } from "@/lib/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";
import { CHART_TYPES } from "@/lib/charts/spec.ts";
import {
  bytesOf,
  HOSTILE,
  hostileInput,
  simpleInput,
  textOf,
} from "./_inputs.ts";

Deno.test("exports: the menu's catalog describes exactly the registered formats", () => {
  assert.deepEqual([...EXPORT_CATALOG], [...EXPORT_FORMATS]);
  for (const lang of LANGS) {
    const ui = uiText(lang);
    for (const id of EXPORT_CATALOG) {
      const label = ui[`format.${id}`];
      const description = ui[`format.${id}.about`];
      assert.ok(label.length > 0 && description.length <= 70, `${lang} ${id}`);
    }
  }
});

Deno.test("exports: every format renders the hostile chart under its own name and type", async () => {
  const expected: Record<string, [string, string]> = {
    png: ["image/png", "png"],
    svg: ["image/svg+xml", "svg"],
    pdf: ["application/pdf", "pdf"],
    csv: ["text/csv; charset=utf-8", "csv"],
    xlsx: [
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "xlsx",
    ],
    xml: ["application/xml; charset=utf-8", "xml"],
    json: ["application/json; charset=utf-8", "json"],
    html: ["text/html; charset=utf-8", "html"],
    ipynb: ["application/x-ipynb+json", "ipynb"],
    py: ["text/x-python; charset=utf-8", "py"],
    requirements: ["text/plain; charset=utf-8", "txt"],
    zip: ["application/zip", "zip"],
  };
  for (const format of EXPORT_FORMATS) {
    const file = await exportChart(hostileInput(), format);
    const [mime, extension] = expected[format];
    assert.equal(file.mime, mime, format);
    assert.equal(file.extension, extension, format);
    assert.equal(
      file.filename,
      format === "requirements"
        ? "requirements.txt"
        : `sales-b-q1-b-script-script-alert-1-script.${extension}`,
    );
    const bytes = await bytesOf(file);
    assert.ok(bytes.length > 100, `${format}: ${bytes.length} bytes`);
  }
});

Deno.test("exports: a format without options refuses any, naming the format", () => {
  for (const format of ["xlsx", "xml", "json", "html", "ipynb", "py", "zip"]) {
    assert.throws(
      () => parseExportOptions(format, { width: "100" }),
      (error: unknown) =>
        error instanceof AppError && statusOf(error) === 400 &&
        error.message.includes(`"width"`) && error.message.includes(format),
    );
  }
});

Deno.test("exports: svg and pdf take a size within the png bounds", () => {
  assert.deepEqual(parseExportOptions("svg", {}).options, {
    width: 800,
    height: 450,
    background: "#ffffff",
    fonts: "reference",
  });
  assert.deepEqual(
    parseExportOptions("pdf", { width: "1200", height: "600" }).options,
    { width: 1200, height: 600, background: "#ffffff" },
  );
  for (
    const [format, query, word] of [
      ["svg", { width: "4001" }, "width"],
      ["pdf", { height: "99" }, "height"],
      ["svg", { fonts: "url(x)" }, "fonts"],
      ["pdf", { background: "red;x" }, "background"],
    ] as const
  ) {
    assert.throws(
      () => parseExportOptions(format, query),
      (error: unknown) =>
        error instanceof AppError && statusOf(error) === 400 &&
        error.message.includes(word),
    );
  }
});

Deno.test("csv: delimiter, header and BOM options", async () => {
  const delimiterOf = (value: string) =>
    (parseExportOptions("csv", { delimiter: value }).options as {
      delimiter: string;
    }).delimiter;
  assert.equal(delimiterOf("semicolon"), ";");
  assert.equal(delimiterOf("tab"), "\t");
  assert.equal(delimiterOf("\t"), "\t");
  assert.equal(delimiterOf(","), ",");
  assert.throws(
    () => parseExportOptions("csv", { delimiter: "|" }),
    (error: unknown) =>
      error instanceof AppError && error.message.includes("delimiter"),
  );
  const input = hostileInput();
  for (const delimiter of [",", ";", "\t"] as const) {
    const text = await textOf(renderCsv(input, { delimiter }));
    const records: string[][] = parse(text, { delimiter });
    assert.deepEqual(records[0], ["date", "north", "south", "note"]);
    assert.equal(records.length, input.snapshot.rows.length + 1);
    assert.equal(records[1][3], HOSTILE.category);
  }
  const headless = await textOf(renderCsv(input, { header: false }));
  assert.ok(headless.startsWith("2024-01-01,12.5,3,"), headless.slice(0, 40));
  const excel = await bytesOf(renderCsv(input, { delimiter: ";", bom: true }));
  assert.deepEqual([...excel.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(new TextDecoder().decode(excel).includes("date;north;south;note"));
});

Deno.test("csv: round trip is exactly the artifact's data, formulas defused", async () => {
  const input = hostileInput();
  const records: string[][] = parse(await textOf(renderCsv(input)));
  const back = records.slice(1).map((record) =>
    record.map((text, i) => {
      if (input.snapshot.columns[i].type === "number") {
        return text === "" ? null : Number(text);
      }
      // A leading quote is how CSV defuses a formula; it is not data.
      return text.startsWith("'=") ? text.slice(1) : text;
    })
  );
  const expected = input.snapshot.rows.map((row) =>
    row.map((cell, i) =>
      cell === null && input.snapshot.columns[i].type !== "number" ? "" : cell
    )
  );
  assert.deepEqual(back, expected);
});

Deno.test("json: one documented shape that reads back to exactly the artifact", async () => {
  const input = hostileInput();
  const doc = JSON.parse(await textOf(await exportChart(input, "json")));
  assert.deepEqual(Object.keys(doc), [
    "format_version",
    "title",
    "chart",
    "data",
    "echarts_option",
    "provenance",
    "interpretation",
    "exported_at",
    "generator",
  ]);
  assert.equal(doc.format_version, 1);
  assert.equal(doc.title, HOSTILE.title);
  assert.deepEqual(doc.chart, input.spec);
  assert.deepEqual(doc.data, input.snapshot);
  assert.deepEqual(doc.provenance, {
    dataset: "sales <demo>",
    query: HOSTILE.query,
    row_count: 6,
    execution_ms: 1.25,
  });
  assert.equal(doc.interpretation, HOSTILE.interpretation);
  assert.equal(doc.echarts_option.title.text, HOSTILE.title);
  assert.ok(!Number.isNaN(Date.parse(doc.exported_at)));
});

Deno.test("json: an empty snapshot is still valid JSON, and big ones stream", async () => {
  const input = hostileInput();
  input.snapshot = { columns: input.snapshot.columns, rows: [] };
  assert.deepEqual(
    JSON.parse(await textOf(await exportChart(input, "json"))).data.rows,
    [],
  );
  input.snapshot = {
    columns: input.snapshot.columns,
    rows: Array.from({ length: 2500 }, (_, i) => [`${i}`, i, -i - 0.5, "x"]),
  };
  const file = await exportChart(input, "json");
  let chunks = 0;
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of file.body as ReadableStream<Uint8Array>) {
    chunks++;
    text += decoder.decode(chunk, { stream: true });
  }
  assert.ok(chunks >= 4, `${chunks} chunks`);
  assert.deepEqual(JSON.parse(text).data.rows, input.snapshot.rows);
});

Deno.test("escape: JSON inside <script> cannot close it and parses back the same", () => {
  const value = {
    a: "</script><script>alert(1)</script>",
    b: "<!-- & -->",
    c: "\u2028\u2029",
    d: "📈",
  };
  const text = jsonForScript(value);
  assert.ok(!/[<>&\u2028\u2029]/.test(text), text);
  assert.deepEqual(JSON.parse(text), value);
});

Deno.test("requirements: every package pinned to an exact version", async () => {
  const text = await textOf(await exportChart(hostileInput(), "requirements"));
  const lines = text.split("\n").filter((l) => l && !l.startsWith("#"));
  assert.ok(lines.length >= 3);
  for (const line of lines) assert.match(line, /^[a-z0-9-]+==\d+(\.\d+)+$/);
  for (const name of ["pandas", "matplotlib", "numpy"]) {
    assert.ok(lines.some((l) => l.startsWith(`${name}==`)), name);
  }
});

Deno.test("exports: each chart type, and bars horizontal and stacked, read back exactly from CSV and JSON", async () => {
  const inputs = CHART_TYPES.map(simpleInput);
  const bars = simpleInput("bar");
  bars.spec = { ...bars.spec, horizontal: true, stacked: true };
  inputs.push(bars);
  for (const input of inputs) {
    const name = `${input.spec.type}${input.spec.horizontal ? " (h)" : ""}`;
    const records: string[][] = parse(await textOf(renderCsv(input)), {
      cast: (value, context) =>
        context.header ||
          input.snapshot.columns[context.index].type !== "number"
          ? value
          : value === ""
          ? null
          : Number(value),
    });
    // CSV has no null: an empty text cell reads back as "".
    const expected = input.snapshot.rows.map((row) =>
      row.map((cell, i) =>
        cell === null && input.snapshot.columns[i].type !== "number" ? "" : cell
      )
    );
    assert.deepEqual(records.slice(1), expected, name);
    const doc = JSON.parse(await textOf(await exportChart(input, "json")));
    assert.deepEqual(doc.chart, JSON.parse(JSON.stringify(input.spec)), name);
    assert.deepEqual(doc.data, input.snapshot, name);
    const drawn = (doc.echarts_option.series as { type: string }[])[0].type;
    const drawnAs: Record<string, string> = {
      histogram: "bar",
      donut: "pie",
      area: "line",
    };
    assert.equal(drawn, drawnAs[input.spec.type] ?? input.spec.type, name);
  }
});
