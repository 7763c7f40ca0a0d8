/** Column types, date readings and planner profiles of uploads, read through the real ingest path. */
import assert from "node:assert/strict";
import { ingest } from "./_ingest.ts";
import { cellConverter } from "@/lib/data/infer.ts";
import type { ColumnProfile } from "@/lib/data/table.ts";

/** Reads one column of values (a CSV with the header `name`) and returns its type, typed values and profile. */
async function column(name: string, values: string[]) {
  const csv = `${name}\n${values.map((v) => `"${v}"`).join("\n")}\n`;
  const r = await ingest(csv, "c.csv");
  return {
    type: r.types[0],
    typed: r.typed.map((row) => row[0]),
    profile: r.schema.profile.columns[0],
    column: r.schema.columns[0],
  };
}

Deno.test("infer: each date spelling real files use makes a date column of ISO dates", async () => {
  const spellings: [string[], string[]][] = [
    [["Jan 1 2000", "Feb 1 2000", "Mar 1 2000"], [
      "2000-01-01",
      "2000-02-01",
      "2000-03-01",
    ]],
    [["1 Jan 2000", "15 Feb 2000", "31 Mar 2000"], [
      "2000-01-01",
      "2000-02-15",
      "2000-03-31",
    ]],
    [["January 1, 2000", "February 15, 2000"], ["2000-01-01", "2000-02-15"]],
    [["01-Jan-2000", "15-Feb-2000"], ["2000-01-01", "2000-02-15"]],
    [["01-JAN-98", "15-FEB-99"], ["1998-01-01", "1999-02-15"]],
    [["Jan-1-1995", "Feb-1-1995"], ["1995-01-01", "1995-02-01"]],
    [["ene 2020", "feb 2020", "mar 2020", "abr 2020", "dic 2020"], [
      "2020-01-01",
      "2020-02-01",
      "2020-03-01",
      "2020-04-01",
      "2020-12-01",
    ]],
    [["jan/2021", "fev/2021", "mai/2021", "out/2021", "dez/2021"], [
      "2021-01-01",
      "2021-02-01",
      "2021-05-01",
      "2021-10-01",
      "2021-12-01",
    ]],
    [["enero de 2020", "febrero de 2020"], ["2020-01-01", "2020-02-01"]],
    [["janeiro de 2021", "março de 2021"], ["2021-01-01", "2021-03-01"]],
    [["2015-Q3", "2015-Q4", "2016-Q1"], [
      "2015-07-01",
      "2015-10-01",
      "2016-01-01",
    ]],
    [["1974Q1", "1974Q2"], ["1974-01-01", "1974-04-01"]],
    [["2020-01", "2020-02"], ["2020-01-01", "2020-02-01"]],
    [["31.12.2020", "01.02.2021"], ["2020-12-31", "2021-02-01"]],
    [["2000-01-01 00:00:00", "2000-01-02 00:00:00"], [
      "2000-01-01",
      "2000-01-02",
    ]],
  ];
  for (const [values, iso] of spellings) {
    const c = await column("when", values);
    assert.equal(c.type, "date", values[0]);
    assert.deepEqual(c.typed, iso, values[0]);
    assert.equal(c.column.invalid, 0, values[0]);
  }
});

Deno.test("infer: date-times with T…Z and milliseconds, slash dates with times, and AM/PM keep their times", async () => {
  let c = await column("t", [
    "2001/01/01 06:55",
    "2001/01/01 07:10",
    "2001/01/02 18:00",
  ]);
  assert.equal(c.type, "datetime");
  assert.deepEqual(c.typed, [
    "2001-01-01T06:55:00",
    "2001-01-01T07:10:00",
    "2001-01-02T18:00:00",
  ]);
  assert.equal(c.profile.grain, "minute");
  c = await column("t", [
    "2024-03-01T10:00:00.000Z",
    "2024-03-01T11:00:00.000Z",
    "2024-03-01T12:00:00.000Z",
  ]);
  assert.equal(c.type, "datetime");
  assert.deepEqual(c.typed[0], "2024-03-01T10:00:00Z");
  assert.equal(c.profile.grain, "hour");
  c = await column("t", ["25/12/2024 1:30 PM", "26/12/2024 9:05 AM"]);
  assert.equal(c.type, "datetime");
  assert.equal(c.column.dateOrder, "dmy");
  assert.deepEqual(c.typed, ["2024-12-25T13:30:00", "2024-12-26T09:05:00"]);
});

Deno.test("infer: calendar dates written as instants (vega's unemployment JSON) become dates with their month grain", async () => {
  // Midnight in California, either side of daylight saving, as JSON.stringify writes it.
  const rows = [
    "2000-01-01T08:00:00.000Z",
    "2000-02-01T08:00:00.000Z",
    "2000-04-01T08:00:00.000Z",
    "2000-05-01T07:00:00.000Z",
    "2000-06-01T07:00:00.000Z",
  ].map((date, i) => ({ date, rate: i }));
  const r = await ingest(JSON.stringify(rows), "u.json");
  assert.equal(r.types[0], "date");
  assert.deepEqual(r.typed.map((x) => x[0]), [
    "2000-01-01",
    "2000-02-01",
    "2000-04-01",
    "2000-05-01",
    "2000-06-01",
  ]);
  const profile = r.schema.profile.columns[0];
  assert.equal(profile.grain, "month");
  assert.deepEqual([profile.min, profile.max], ["2000-01-01", "2000-06-01"]);
  // Midnight in Paris is the evening before in UTC: the month must not slip back a month.
  const east = await column("month", [
    "2019-12-31T23:00:00Z",
    "2020-01-31T23:00:00Z",
    "2020-02-29T23:00:00Z",
    "2020-03-31T22:00:00Z",
  ]);
  assert.equal(east.type, "date");
  assert.deepEqual(east.typed, [
    "2020-01-01",
    "2020-02-01",
    "2020-03-01",
    "2020-04-01",
  ]);
  // Daily readings at one clock time are readings, not calendar dates: they keep their times.
  const daily = await column("t", [
    "2024-03-01T09:00:00Z",
    "2024-03-02T09:00:00Z",
    "2024-03-03T09:00:00Z",
  ]);
  assert.equal(daily.type, "datetime");
  assert.equal(daily.profile.grain, "day");
});

Deno.test("infer: slash dates keep their documented order; dots are day-first", async () => {
  let c = await column("d", ["03/04/2024", "05/06/2024"]);
  assert.deepEqual(c.typed, ["2024-03-04", "2024-05-06"]);
  assert.equal(c.column.dateOrder, "mdy");
  c = await column("d", ["03/04/2024", "25/06/2024"]);
  assert.deepEqual(c.typed, ["2024-04-03", "2024-06-25"]);
  assert.equal(c.column.dateOrder, "dmy");
  c = await column("d", ["03.04.2024", "05.06.2024"]);
  assert.deepEqual(c.typed, ["2024-04-03", "2024-06-05"]);
});

Deno.test("infer: part numbers, phone numbers and ZIP codes stay text, written as they were", async () => {
  const parts = ["2001-12", "4471-88", "A-100", "2003-07", "3310-45", "B-7"];
  let c = await column("part", parts);
  assert.equal(c.type, "text");
  assert.deepEqual(c.typed, parts);
  const phones = ["555-123-4567", "(555) 987-6543", "+1 555 222 3333"];
  c = await column("phone", phones);
  assert.equal(c.type, "text");
  assert.deepEqual(c.typed, phones);
  c = await column("phone", ["12-34-5678", "98-76-5432"]);
  assert.equal(c.type, "text");
  const zips = ["02139", "00501", "10001", "02139-4307"];
  c = await column("zip", zips);
  assert.equal(c.type, "text");
  assert.deepEqual(c.typed, zips);
  // Words that start like a month or a weekday are words.
  c = await column("team", [
    "Marketing",
    "Sales",
    "Mayo Clinic",
    "Sun Valley 2020",
  ]);
  assert.equal(c.type, "text");
});

Deno.test("infer: bare years stay integers, listed as values; yyyymmdd integers are dates only under a date name", async () => {
  const years = await column("year", ["1931", "1932", "1932", "1931", "1932"]);
  assert.equal(years.type, "integer");
  assert.deepEqual(years.profile.distinct, ["1932", "1931"]);
  const days = ["19580329", "19580405", "19580412", "19580419"];
  const co2 = await column("date", days);
  assert.equal(co2.type, "date");
  assert.equal(co2.column.dateFormat, "compact");
  assert.deepEqual(co2.typed, [
    "1958-03-29",
    "1958-04-05",
    "1958-04-12",
    "1958-04-19",
  ]);
  assert.equal(co2.profile.grain, "week");
  assert.deepEqual([co2.profile.min, co2.profile.max], [
    "1958-03-29",
    "1958-04-19",
  ]);
  const periods = await column("periodo", ["202001", "202002", "202003"]);
  assert.equal(periods.type, "date");
  assert.equal(periods.profile.grain, "month");
  // The same numbers under another name are numbers.
  const ids = await column("order_id", days);
  assert.equal(ids.type, "integer");
  const update = await column("update_count", days);
  assert.equal(update.type, "integer");
  // A date-named column with numbers that are no dates stays numeric.
  const notDays = await column("date", ["19580329", "19581399"]);
  assert.equal(notDays.type, "integer");
  // JSON numbers read the same.
  const r = await ingest(
    JSON.stringify(days.map((d) => ({ obsDate: Number(d) }))),
    "co2.json",
  );
  assert.equal(r.types[0], "date");
  assert.equal(r.typed[0][0], "1958-03-29");
});

Deno.test("infer: numeric columns with few values list them, most frequent first; more than 50 do not", async () => {
  const cylinders = ["8", "4", "6", "4", "4", "3", "8", "6", "5", "4"];
  const c = await column("Cylinders", cylinders);
  assert.equal(c.type, "integer");
  assert.deepEqual(c.profile.distinct, ["4", "6", "8", "3", "5"]);
  assert.equal(c.profile.distinctCount, 5);
  const rates = await column("rate", ["2.5", "0.5", "2.5", "10"]);
  assert.deepEqual(rates.profile.distinct, ["2.5", "0.5", "10"]);
  const many = await column(
    "n",
    Array.from({ length: 51 }, (_, i) => String(i)),
  );
  assert.equal(many.profile.distinct, undefined);
  assert.equal(many.profile.distinctCount, 51);
  assert.equal(many.profile.distinctEstimated, undefined);
});

Deno.test("infer: values that first appear past the sample still count (a file sorted by year)", async () => {
  const lines = ["year,v"];
  for (let y = 1990; y < 2020; y++) {
    for (let i = 0; i < 4000; i++) lines.push(`${y},${i % 7}`);
  }
  const r = await ingest(lines.join("\n"), "sorted.csv");
  const year = r.schema.profile.columns[0];
  assert.equal(year.distinctCount, 30);
  assert.equal(year.distinct?.length, 30);
  assert.equal(year.max, 2019);
});

Deno.test("infer: a column with more values than are counted gets an estimated distinct count", async () => {
  const lines = ["id,code,group"];
  for (let i = 0; i < 30_000; i++) {
    lines.push(`${i + 1},C-${(i % 12_000).toString(36)},g${i % 3}`);
  }
  const r = await ingest(lines.join("\n"), "ids.csv");
  const [id, code, group] = r.schema.profile.columns as ColumnProfile[];
  assert.equal(id.distinctEstimated, true);
  assert.ok(Math.abs(id.distinctCount! - 30_000) < 900, `${id.distinctCount}`);
  assert.ok(id.distinctCount! <= 30_000);
  assert.equal(code.distinctEstimated, true);
  assert.ok(
    Math.abs(code.distinctCount! - 12_000) < 360,
    `${code.distinctCount}`,
  );
  assert.equal(code.distinct?.length, 200);
  assert.deepEqual(group.distinct, ["g0", "g1", "g2"]);
  assert.equal(group.distinctEstimated, undefined);
});

Deno.test("infer: '.', '?' and Excel error values are empty cells", async () => {
  const r = await ingest(
    "sex,mass\nMALE,3750\n.,?\nFEMALE,#VALUE!\nFEMALE,#DIV/0!\n",
    "p.csv",
  );
  assert.deepEqual(r.types, ["text", "integer"]);
  assert.deepEqual(r.schema.profile.columns[0].distinct, ["FEMALE", "MALE"]);
  assert.deepEqual(r.typed.map((x) => x[1]), [3750, null, null, null]);
});

Deno.test("infer: a space-separated file and a file without a header row are read as tables", async () => {
  const spector = await ingest(
    "'OBS' 'GPA' 'TUCE' 'PSI' 'GRADE'\n1 2.66 20 0 0\n2 2.89 22 0 0\n3 3.28 24 0 0\n",
    "spector.csv",
  );
  assert.equal(spector.delimiter, " ");
  assert.deepEqual(spector.names, ["OBS", "GPA", "TUCE", "PSI", "GRADE"]);
  assert.deepEqual(spector.typed[1], [2, 2.89, 22, 0, 0]);
  const jmulti = await ingest(
    "-0.00313258 0.083\n0.0188713 0.083\n0.0248036 0.087\n",
    "E6_jmulti.csv",
  );
  assert.deepEqual(jmulti.names, ["column_1", "column_2"]);
  assert.equal(jmulti.rows, 3);
  assert.deepEqual(jmulti.typed[0], [-0.00313258, 0.083]);
  assert.ok(jmulti.repairs.some((r) => /first row holds numbers/.test(r)));
  // Names with one space between are one column of text, not a table.
  const names = await ingest("full name\nAnn Lee\nBo Chan\n", "n.csv");
  assert.deepEqual(names.names, ["full name"]);
});

Deno.test("infer: columns stored before date formats existed read as they did", () => {
  const old = cellConverter({ type: "date", dateOrder: "dmy" });
  assert.equal(old("03/04/2024"), "2024-04-03");
  assert.equal(old("2024-04-03"), "2024-04-03");
  const dt = cellConverter({ type: "datetime" });
  assert.equal(dt("2024-01-05T10:30:00Z"), "2024-01-05T10:30:00Z");
  assert.equal(dt("2024-01-07"), "2024-01-07T00:00:00");
  const text = cellConverter({ type: "text" });
  assert.equal(text("Jan 1 2000"), "Jan 1 2000");
});
