/**
 * XLSX export read by Python's openpyxl (Debian python3-openpyxl): typed
 * values, a bold frozen header, the About sheet, hostile text intact.
 */
import assert from "node:assert/strict";
import { renderXlsx } from "@/lib/exports/xlsx.ts";
import { parseIsoDate } from "@/lib/exports/cells.ts";
import {
  bytesOf,
  HOSTILE,
  hostileInput,
  simpleInput,
  tempFile,
} from "./_inputs.ts";
import { openpyxl as openpyxlTool, PYTHON, runOk } from "./_tools.ts";

const openpyxl = openpyxlTool();

/** Dumps a workbook as JSON: each cell's value, openpyxl type and number format. */
const DUMP = `
import json, sys, datetime
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def value(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        return {"date": v.isoformat()}
    return v
data = wb["Data"]
print(json.dumps({
    "sheets": wb.sheetnames,
    "freeze": data.freeze_panes,
    "filter": data.auto_filter.ref,
    "header_bold": [c.font.b for c in data[1]],
    "rows": [[[value(c), c.data_type, c.number_format] for c in row] for row in data.iter_rows(min_row=2)],
    "header": [c.value for c in data[1]],
    "about": [[c.value for c in row] for row in wb["About"].iter_rows()],
}))
`;

Deno.test({
  name: "xlsx: openpyxl reads back exactly the artifact's data with real types",
  ignore: openpyxl.ignore,
  async fn() {
    const input = hostileInput();
    await using file = await tempFile(
      "chart.xlsx",
      await bytesOf(await renderXlsx(input)),
    );
    const { stdout } = await runOk(PYTHON, ["-c", DUMP, file.path]);
    const book = JSON.parse(stdout);
    assert.deepEqual(book.sheets, ["Data", "About"]);
    assert.equal(book.freeze, "A2");
    assert.equal(book.filter, "A1:D1");
    assert.deepEqual(book.header_bold, [true, true, true, true]);
    assert.deepEqual(book.header, ["date", "north", "south", "note"]);

    // Types: dates are dates shown at their precision, numbers are numbers.
    const types = book.rows.map((row: [unknown, string, string][]) =>
      row.map(([, type]) => type)
    );
    assert.deepEqual(types[0], ["d", "n", "n", "s"]);
    assert.equal(book.rows[0][0][2], "yyyy-mm-dd");

    // Values: exactly the snapshot once dates are read back as ISO text.
    const back = book.rows.map((row: [unknown, string, string][]) =>
      row.map(([value, , format]) =>
        value && typeof value === "object" && "date" in value
          ? (value as { date: string }).date.slice(0, format.length)
          : value
      )
    );
    assert.deepEqual(back, input.snapshot.rows);
    // The formula-like text is text, not a formula, and not quote-prefixed.
    assert.equal(book.rows[1][3][0], HOSTILE.formula);
    assert.equal(book.rows[1][3][1], "s");

    const about = Object.fromEntries(book.about);
    assert.equal(about["Title"], HOSTILE.title);
    assert.equal(about["Query"], HOSTILE.query);
    assert.equal(about["Interpretation"], HOSTILE.interpretation);
    assert.equal(about["Dataset"], "sales <demo>");
    assert.equal(about["Result rows"], 6);
  },
});

Deno.test({
  name:
    "xlsx: month and year dates keep their precision; impossible dates stay text",
  ignore: openpyxl.ignore,
  async fn() {
    const input = hostileInput();
    input.snapshot = {
      columns: input.snapshot.columns,
      rows: [
        ["2024-03", 1, 2, "a"],
        ["2024", 3, 4, "b"],
        ["2024-02-30", 5, 6, "c\u0001"],
      ],
    };
    await using file = await tempFile(
      "chart.xlsx",
      await bytesOf(await renderXlsx(input)),
    );
    const book = JSON.parse(
      (await runOk(PYTHON, ["-c", DUMP, file.path])).stdout,
    );
    assert.deepEqual(book.rows[0][0], [
      { date: "2024-03-01T00:00:00" },
      "d",
      "yyyy-mm",
    ]);
    assert.deepEqual(book.rows[1][0], [
      { date: "2024-01-01T00:00:00" },
      "d",
      "yyyy",
    ]);
    assert.deepEqual(book.rows[2][0], ["2024-02-30", "s", "General"]);
    // XML cannot hold U+0001; it is replaced, not allowed to corrupt the file.
    assert.equal(book.rows[2][3][0], "c\ufffd");
  },
});

Deno.test({
  name:
    "xlsx: each chart type's workbook holds its data; About names the type, bin width and bar flags",
  ignore: openpyxl.ignore,
  async fn() {
    const bars = simpleInput("bar");
    bars.spec = { ...bars.spec, horizontal: true, stacked: true };
    const inputs = [
      ...(["histogram", "donut", "heatmap"] as const).map(simpleInput),
      bars,
    ];
    await Promise.all(inputs.map(async (input) => {
      await using file = await tempFile(
        "chart.xlsx",
        await bytesOf(await renderXlsx(input)),
      );
      const book = JSON.parse(
        (await runOk(PYTHON, ["-c", DUMP, file.path])).stdout,
      );
      const back = book.rows.map((row: [unknown, string, string][]) =>
        row.map(([value, , format]) =>
          value && typeof value === "object" && "date" in value
            ? (value as { date: string }).date.slice(0, format.length)
            : value
        )
      );
      assert.deepEqual(back, input.snapshot.rows, input.spec.type);
      const about = Object.fromEntries(book.about);
      assert.equal(about["Chart type"], input.spec.type);
      if (input.spec.type === "histogram") {
        assert.equal(about["Bin width"], 0.25);
      }
      if (input === bars) {
        assert.equal(about["Orientation"], "horizontal");
        assert.equal(about["Stacked"], "yes");
      }
    }));
  },
});

Deno.test("cells: ISO dates parse at their precision; impossible ones do not", () => {
  assert.equal(parseIsoDate("2024-02-29")?.precision, "day");
  assert.equal(parseIsoDate("2024-02")?.precision, "month");
  assert.equal(
    parseIsoDate("2024")?.date.toISOString(),
    "2024-01-01T00:00:00.000Z",
  );
  for (const bad of ["2023-02-29", "2024-13", "24-01-01", "2024-1-1", "x"]) {
    assert.equal(parseIsoDate(bad), null, bad);
  }
});
