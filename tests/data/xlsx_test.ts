/**
 * Reading uploaded XLSX workbooks. The fixtures in fixtures/ were saved by
 * LibreOffice Calc from their flat-ODS sources (fixtures/make_xlsx.sh): an
 * independent producer (shared strings, styles, real dates, booleans) unlike
 * our own writer, so the reader is tested against files it did not make.
 */
import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { ingest, rejects } from "./_ingest.ts";
import { excelSerialToIso, listZipEntries } from "@/lib/data/xlsx.ts";

/** Returns a committed fixture's bytes. */
function fixture(name: string): Promise<Uint8Array> {
  return Deno.readFile(new URL(`fixtures/${name}`, import.meta.url));
}

/** Two sheets: "People" (numbers, text, booleans, dates) and "Sales 2024". */
function workbook(): Promise<Uint8Array> {
  return fixture("people.xlsx");
}

Deno.test("xlsx: the first sheet is read with numbers, text, booleans and dates typed", async () => {
  const r = await ingest(await workbook(), "people.xlsx");
  assert.equal(r.format, "xlsx");
  assert.equal(r.sheet, "People");
  assert.deepEqual(r.sheets, ["People", "Sales 2024"]);
  assert.deepEqual(r.names, [
    "id",
    "name",
    "joined",
    "score",
    "member",
    "note",
  ]);
  assert.deepEqual(r.types, [
    "integer",
    "text",
    "datetime",
    "number",
    "boolean",
    "text",
  ]);
  assert.deepEqual(r.typed, [
    [1, "Ann", "2024-01-05T00:00:00", 3.5, true, "a, b"],
    [2, "Bob", "2024-02-29T00:00:00", 4, false, null],
    [3, "Cy", "2024-03-01T12:30:00", null, true, "x"],
  ]);
});

Deno.test("xlsx: a sheet is chosen by name or number; an unknown one lists the sheets", async () => {
  const bytes = await workbook();
  for (const sheet of ["Sales 2024", "sales 2024", "2"]) {
    const r = await ingest(bytes, "book.xlsx", { sheet });
    assert.equal(r.sheet, "Sales 2024");
    assert.deepEqual(r.typed, [["North", 10], ["South", 20]]);
  }
  await rejects(
    ingest(bytes, "book.xlsx", { sheet: "Nope" }),
    "no_such_sheet",
    /"People", "Sales 2024"/,
  );
});

Deno.test("xlsx: a workbook named .csv is read as XLSX, with a note", async () => {
  const r = await ingest(await workbook(), "misnamed.csv");
  assert.equal(r.format, "xlsx");
  assert.ok(r.repairs.some((x) => /read as an XLSX workbook/.test(x)));
});

Deno.test("xlsx: a truncated workbook and a ZIP without a workbook are refused clearly", async () => {
  const bytes = await workbook();
  await rejects(
    ingest(bytes.slice(0, Math.floor(bytes.length / 2)), "cut.xlsx"),
    "corrupt_xlsx",
  );
  const zip = zipSync({ "readme.txt": new TextEncoder().encode("hello") });
  await rejects(ingest(zip, "archive.xlsx"), "not_xlsx", /no xl\/workbook.xml/);
});

const WORKBOOK_XML = new TextEncoder().encode(
  '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
);

Deno.test("xlsx: a zip bomb is refused from its declared sizes before anything inflates", async () => {
  const zeros = new Uint8Array(64 * 1024 * 1024);
  const bomb = zipSync({
    "xl/workbook.xml": WORKBOOK_XML,
    "xl/worksheets/sheet1.xml": zeros,
  }, { level: 9 });
  assert.ok(bomb.length < 1024 * 1024, `the bomb is ${bomb.length} bytes`);
  await rejects(ingest(bomb, "bomb.xlsx"), "zip_bomb", /zip bomb/);
  // Refused by the directory check alone, which inflates nothing.
  assert.throws(
    () => listZipEntries(bomb),
    (e: Error & { code?: string }) => e.code === "zip_bomb",
    "refused without inflating",
  );
});

Deno.test("xlsx: a part that inflates past the size it declares is stopped", async () => {
  const rows = Array.from(
    { length: 100_000 },
    (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
  ).join("");
  const sheet = new TextEncoder().encode(
    `<worksheet><sheetData>${rows}</sheetData></worksheet>`,
  );
  const zip = zipSync({
    "xl/workbook.xml": WORKBOOK_XML,
    "xl/worksheets/sheet1.xml": sheet,
  }, { level: 6 });
  assert.ok(
    listZipEntries(zip).length === 2,
    "an honest archive passes the checks",
  );
  // Lie in the central directory: declare the sheet as 1,000 bytes.
  const view = new DataView(zip.buffer);
  const name = new TextEncoder().encode("xl/worksheets/sheet1.xml");
  for (let at = 0; at < zip.length - 46; at++) {
    if (
      view.getUint32(at, true) === 0x02014b50 &&
      view.getUint16(at + 28, true) === name.length &&
      new TextDecoder().decode(zip.subarray(at + 46, at + 46 + name.length)) ===
        "xl/worksheets/sheet1.xml"
    ) {
      view.setUint32(at + 24, 1000, true);
      break;
    }
  }
  await rejects(
    ingest(zip, "liar.xlsx"),
    "zip_bomb",
    /beyond the size it declares/,
  );
});

Deno.test("xlsx: Excel serial days become ISO dates, date-times and times", () => {
  assert.equal(excelSerialToIso(45296, "date"), "2024-01-05");
  assert.equal(excelSerialToIso(45296.5, "date"), "2024-01-05T12:00:00");
  assert.equal(excelSerialToIso(0.75, "time"), "18:00:00");
  assert.equal(excelSerialToIso(0, "date", true), "1904-01-01");
});

Deno.test("xlsx: date-formatted cells of every kind become dates; durations stay numbers", async () => {
  // Formats mmm-yy, mmmm, [$-409]d-mmm-yy, yyyy/mm/dd hh:mm, [h]:mm:ss and
  // General; the date-times are 06:55 as Calc stores it, a binary fraction.
  const bytes = await fixture("dates.xlsx");
  const r = await ingest(bytes, "dates.xlsx");
  assert.deepEqual(r.types, [
    "date",
    "date",
    "date",
    "datetime",
    "number",
    "integer",
  ]);
  assert.deepEqual(r.typed[0], [
    "2024-01-01",
    "2024-01-01",
    "2024-01-15",
    "2024-01-05T06:55:00",
    1.25,
    45296,
  ]);
  const [month, , day, taken] = r.schema.profile.columns;
  assert.equal(month.grain, "month");
  assert.equal(day.grain, "month");
  assert.equal(taken.grain, "day");
});

Deno.test("xlsx: serials round to the second and count Excel's 29 February 1900", () => {
  assert.equal(
    excelSerialToIso(45296 + (6 * 60 + 55) / 1440, "date"),
    "2024-01-05T06:55:00",
  );
  assert.equal(excelSerialToIso(45296.99999999, "date"), "2024-01-06");
  assert.equal(excelSerialToIso(1, "date"), "1900-01-01");
  assert.equal(excelSerialToIso(59, "date"), "1900-02-28");
  assert.equal(excelSerialToIso(61, "date"), "1900-03-01");
});
