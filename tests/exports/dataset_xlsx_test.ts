/**
 * The dataset export's XLSX, streamed over several batches, read by Python's
 * openpyxl (Debian python3-openpyxl): typed cells, the styled frozen header
 * with its filter, and hostile text intact.
 */
import assert from "node:assert/strict";
import { exportDataset } from "@/lib/exports/dataset.ts";
import type { TableCell, TableColumn } from "@/lib/data/table.ts";
import { HOSTILE, tempFile } from "./_inputs.ts";
import { openpyxl as openpyxlTool, PYTHON, runOk } from "./_tools.ts";

const openpyxl = openpyxlTool();

const DUMP = `
import json, sys, datetime
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
def value(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        return {"date": v.isoformat()}
    return v
print(json.dumps({
    "sheets": wb.sheetnames,
    "freeze": ws.freeze_panes,
    "filter": ws.auto_filter.ref,
    "header": [[c.value, c.font.b, c.fill.fgColor.rgb] for c in ws[1]],
    "rows": [[[value(c), c.data_type, c.number_format] for c in row] for row in ws.iter_rows(min_row=2)],
    "creator": wb.properties.creator,
}))
`;

const COLUMNS: TableColumn[] = [
  { name: "day", type: "date" },
  { name: "at", type: "datetime" },
  { name: "count", type: "integer" },
  { name: "share", type: "number" },
  { name: "ok", type: "boolean" },
  { name: HOSTILE.category, type: "text" },
];

/** Rows in three batches, as a dataset's stored batches arrive. */
async function* batches(): AsyncGenerator<TableCell[][]> {
  yield [["2024-01-31", "2024-01-31T08:30:00", 3, 0.25, true, HOSTILE.formula]];
  yield [[null, null, null, null, null, null]];
  yield [
    ["2024-02-29", "2024-02-29T23:59:59", -7, 1e-9, false, HOSTILE.emoji],
    [
      "not a date",
      "2024-03-01T00:00",
      0,
      12345.5,
      true,
      HOSTILE.newline,
    ],
  ];
}

Deno.test({
  name:
    "dataset export: openpyxl reads a streamed XLSX with typed cells and a frozen, filtered header",
  ignore: openpyxl.ignore,
  async fn() {
    const stream = exportDataset("xlsx", COLUMNS, batches(), "Spend 2024");
    await using file = await tempFile(
      "dataset.xlsx",
      new Uint8Array(await new Response(stream).arrayBuffer()),
    );
    const book = JSON.parse(
      (await runOk(PYTHON, ["-c", DUMP, file.path])).stdout,
    );
    assert.deepEqual(book.sheets, ["Spend 2024"]);
    assert.equal(book.freeze, "A2");
    assert.equal(book.filter, "A1:F1");
    assert.equal(book.creator, "Chartroom");
    assert.deepEqual(
      book.header.map(([name, bold]: [string, boolean]) => [name, bold]),
      COLUMNS.map((c) => [c.name, true]),
    );
    assert.equal(book.header[0][2], "FFE8ECF2");

    assert.equal(book.rows.length, 4);
    assert.deepEqual(book.rows[0], [
      [{ date: "2024-01-31T00:00:00" }, "d", "yyyy-mm-dd"],
      [{ date: "2024-01-31T08:30:00" }, "d", "yyyy-mm-dd hh:mm:ss"],
      [3, "n", "General"],
      [0.25, "n", "General"],
      [true, "b", "General"],
      [HOSTILE.formula, "s", "General"],
    ]);
    // An empty row keeps its place; empty cells stay empty.
    assert.deepEqual(book.rows[1].map(([v]: [unknown]) => v), [
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    assert.deepEqual(book.rows[2].map(([v]: [unknown]) => v), [
      { date: "2024-02-29T00:00:00" },
      { date: "2024-02-29T23:59:59" },
      -7,
      1e-9,
      false,
      HOSTILE.emoji,
    ]);
    // Text in a date column that is no date stays text.
    assert.deepEqual(book.rows[3][0], ["not a date", "s", "General"]);
    assert.equal(book.rows[3][5][0], HOSTILE.newline);
  },
});
