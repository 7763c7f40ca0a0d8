/** Date and time spellings real files use, what must not read as a date, and the grain of a column of dates. */
import assert from "node:assert/strict";
import {
  compactDate,
  dateGrain,
  instantDate,
  parseDate,
  parseDatetime,
  readDate,
} from "@/lib/data/dates.ts";

Deno.test("dates: spellings with month names, in English, Spanish and Portuguese, read as ISO dates", () => {
  const cases: [string, string][] = [
    ["Jan 1 2000", "2000-01-01"], // vega stocks.csv
    ["Mar 31 2010", "2010-03-31"],
    ["1 Jan 2000", "2000-01-01"],
    ["January 1, 2000", "2000-01-01"],
    ["January 1 2000", "2000-01-01"],
    ["Sept. 3, 2021", "2021-09-03"],
    ["3rd March 2021", "2021-03-03"],
    ["01-Jan-2000", "2000-01-01"],
    ["01-JAN-98", "1998-01-01"], // Oracle's DD-MON-YY
    ["15-Mar-25", "2025-03-15"],
    ["Jan-1-1995", "1995-01-01"], // statsmodels elec_equip.csv
    ["2000-Jan-01", "2000-01-01"],
    ["1 jan. 2000", "2000-01-01"],
    ["Mon, 03 Jan 2000", "2000-01-03"],
    ["1 de enero de 2020", "2020-01-01"],
    ["15 de março de 2021", "2021-03-15"],
    ["15/dic/2020", "2020-12-15"],
    ["3 dez 2019", "2019-12-03"],
    ["7 out 2019", "2019-10-07"],
    ["9 set 2019", "2019-09-09"],
    ["5 ago 2019", "2019-08-05"],
  ];
  for (const [text, iso] of cases) {
    assert.equal(parseDate(text, "mdy"), iso, text);
    assert.equal(parseDate(text, "dmy"), iso, text);
  }
});

Deno.test("dates: a month or a quarter alone reads as its first day", () => {
  const cases: [string, string][] = [
    ["ene 2020", "2020-01-01"],
    ["fev/2021", "2021-02-01"],
    ["Fev/2021", "2021-02-01"],
    ["janeiro de 2021", "2021-01-01"],
    ["MARÇO 2020", "2020-03-01"],
    ["marco 2020", "2020-03-01"],
    ["dic. 2019", "2019-12-01"],
    ["January, 2000", "2000-01-01"],
    ["Jan-2000", "2000-01-01"],
    ["2020-01", "2020-01-01"],
    ["2020/1", "2020-01-01"],
    ["01/2021", "2021-01-01"],
    ["2015-Q3", "2015-07-01"],
    ["1974Q1", "1974-01-01"], // statsmodels danish_data
    ["2015 Q4", "2015-10-01"],
    ["Q2 2015", "2015-04-01"],
    ["q2-2015", "2015-04-01"],
  ];
  for (const [text, iso] of cases) {
    assert.equal(parseDate(text, "mdy"), iso, text);
    assert.equal(readDate(text)?.period, true, text);
  }
});

Deno.test("dates: ISO dates and date-times, with T or a space, zones and milliseconds", () => {
  assert.equal(parseDate("2024-02-29", "mdy"), "2024-02-29");
  assert.equal(parseDate("2024/2/9", "mdy"), "2024-02-09");
  assert.equal(
    parseDatetime("2000-01-01T08:00:00.000Z"),
    "2000-01-01T08:00:00Z",
  );
  assert.equal(parseDatetime("2001/01/01 06:55"), "2001-01-01T06:55:00");
  assert.equal(parseDatetime("2024-03-01 12:30:15"), "2024-03-01T12:30:15");
  assert.equal(
    parseDatetime("2020-01-01 10:00:00+0530"),
    "2020-01-01T10:00:00+05:30",
  );
  assert.equal(
    parseDatetime("2020-06-01T10:00-07:00"),
    "2020-06-01T10:00:00-07:00",
  );
  assert.equal(
    parseDatetime("Mon, 03 Jan 2000 10:00:00 GMT"),
    "2000-01-03T10:00:00Z",
  );
  assert.equal(
    parseDatetime(
      "Sat Jan 01 2000 09:15:00 GMT+0100 (Central European Standard Time)",
    ),
    "2000-01-01T09:15:00+01:00",
  );
  assert.equal(parseDatetime("Jan 1, 2000, 10:30 PM"), "2000-01-01T22:30:00");
  assert.equal(parseDatetime("12/31/2000 12:05 am"), "2000-12-31T00:05:00");
  assert.equal(
    parseDatetime("31/12/2000 23:59:59", "dmy"),
    "2000-12-31T23:59:59",
  );
  // A date alone is midnight as a date-time; midnight without a zone is a date.
  assert.equal(parseDatetime("2000-01-01"), "2000-01-01T00:00:00");
  assert.equal(parseDate("2000-01-01 00:00:00", "mdy"), "2000-01-01");
  assert.equal(parseDate("2000-01-01T00:00:00Z", "mdy"), null);
  assert.equal(parseDate("2000-01-01 06:55", "mdy"), null);
});

Deno.test("dates: slash dates follow the column's order; dots are day-first; two-digit years as Excel reads them", () => {
  assert.deepEqual(readDate("03/04/2024"), {
    dmy: "2024-04-03",
    mdy: "2024-03-04",
    time: "",
  });
  assert.deepEqual(readDate("13/04/2024"), {
    dmy: "2024-04-13",
    mdy: null,
    time: "",
  });
  assert.equal(parseDate("04-13-2024", "mdy"), "2024-04-13");
  assert.equal(parseDate("03.04.2024", "mdy"), "2024-04-03");
  assert.equal(parseDate("31.12.2020", "dmy"), "2020-12-31");
  assert.equal(parseDate("1/2/20", "mdy"), "2020-01-02");
  assert.equal(parseDate("1/2/29", "mdy"), "2029-01-02");
  assert.equal(parseDate("1/2/30", "mdy"), "1930-01-02");
  assert.equal(parseDate("3/14/2015", "dmy"), null);
});

Deno.test("dates: codes, phone numbers, postal codes, words and impossible dates are not dates", () => {
  for (
    const text of [
      "02139", // ZIP with a leading zero
      "02139-4307",
      "555-123-4567",
      "(555) 123-4567",
      "+1 555 123 4567",
      "12-34-5678",
      "AB-2001-12",
      "2001-12-A",
      "2001-1234",
      "P-2001/12",
      "marketing",
      "March Madness 2020",
      "Mayo Clinic",
      "Jan",
      "Sat",
      "Q5 2015",
      "2015-Q0",
      "2024-02-30",
      "2023-02-29",
      "2024-13-01",
      "32/01/2024",
      "13/13/2024",
      "Feb 30 2020",
      "Foo 1 2000",
      "2000-01-01T25:00",
      "2000-01-01 10:60",
      "Jan 2000 10:00", // a month with a time is no date-time
      "13:45:00",
      "1.5",
      "1/2",
      "v1.2.3",
      "",
    ]
  ) {
    assert.equal(readDate(text), null, text);
  }
});

Deno.test("dates: integers like 19580329 and 202001 read as compact dates within 1600–2199", () => {
  assert.equal(compactDate(19580329), "1958-03-29");
  assert.equal(compactDate(202001), "2020-01-01");
  assert.equal(compactDate(20240230), null);
  assert.equal(compactDate(12345678), null);
  assert.equal(compactDate(2020), null);
  assert.equal(compactDate(202013), null);
});

Deno.test("dates: an instant stands for the calendar date at its nearest UTC midnight", () => {
  assert.equal(instantDate("2000-01-01T08:00:00Z"), "2000-01-01");
  assert.equal(instantDate("2000-06-01T07:00:00Z"), "2000-06-01");
  assert.equal(instantDate("1999-12-31T23:00:00Z"), "2000-01-01");
  assert.equal(instantDate("2000-01-01T01:00:00+01:00"), "2000-01-01");
  assert.equal(instantDate("2000-01-01T08:00:00"), null);
});

Deno.test("dates: grain is the spacing of the values", () => {
  const months = ["1854-04-01", "1854-05-01", "1854-06-01"];
  assert.equal(dateGrain(months), "month");
  assert.equal(dateGrain(["1970-01-01", "1971-01-01"]), "year");
  assert.equal(
    dateGrain(["2015-01-01", "2015-04-01", "2015-07-01", "2015-10-01"]),
    "quarter",
  );
  // statsmodels co2: every Saturday.
  assert.equal(
    dateGrain(["1958-03-29", "1958-04-05", "1958-04-12", "1958-04-26"]),
    "week",
  );
  assert.equal(dateGrain(["1958-03-29", "1958-04-05"]), "day");
  assert.equal(dateGrain(["2024-01-01", "2024-01-02", "2024-01-03"]), "day");
  assert.equal(dateGrain(["2024-01-01"]), "day");
  assert.equal(dateGrain([]), "day");
  // One clock time, even either side of a daylight-saving change, is no time grain.
  assert.equal(
    dateGrain([
      "2000-01-01T08:00:00Z",
      "2000-06-01T07:00:00Z",
      "2000-07-01T07:00:00Z",
    ]),
    "month",
  );
  assert.equal(
    dateGrain(["2024-01-01T00:00:00", "2024-01-01T01:00:00"]),
    "hour",
  );
  assert.equal(
    dateGrain([
      "2024-01-01T00:00:00",
      "2024-01-01T00:15:00",
      "2024-01-01T03:30:00",
    ]),
    "minute",
  );
  assert.equal(
    dateGrain(["2024-01-01T00:00:00", "2024-01-01T00:00:01"]),
    "second",
  );
});

Deno.test("dates: monthly, quarterly and yearly values need not fall on the first", () => {
  assert.equal(dateGrain(["2024-01-15", "2024-02-15", "2024-03-15"]), "month");
  assert.equal(dateGrain(["2024-01-31", "2024-02-29", "2024-03-31"]), "month");
  assert.equal(
    dateGrain(["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"]),
    "quarter",
  );
  assert.equal(dateGrain(["2021-06-30", "2022-06-30", "2023-06-30"]), "year");
  assert.equal(dateGrain(["2024-01-15", "2024-01-16", "2024-02-15"]), "day");
});
