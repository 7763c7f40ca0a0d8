/**
 * Real files nobody here wrote, uploaded through the API: the vega files of
 * the eval set and the CSV datasets Debian's python3-statsmodels installs.
 * Every column's type and date grain is what a person reading the file
 * would call it; columns not listed must be numeric.
 */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import { getDataset, readDatasetDetail } from "@/lib/kv/datasets.ts";
import type { ColumnProfile } from "@/lib/data/table.ts";

// The shared folder where it exists, else the repository's snapshot of it (CI).
const SHARED_VEGA = new URL("../../../shared/eval/vega/", import.meta.url);
const VEGA = existsDir(SHARED_VEGA)
  ? SHARED_VEGA
  : new URL("../../eval/shared/vega/", import.meta.url);

function existsDir(url: URL): boolean {
  try {
    return Deno.statSync(url).isDirectory;
  } catch {
    return false;
  }
}
const STATSMODELS = "/usr/lib/python3/dist-packages/statsmodels/datasets/";

interface Expected {
  rows: number;
  /** Column → "type", "type grain" or "empty"; every other column is integer or number. */
  columns: Record<string, string>;
  /** Numeric columns and the values their profile lists, most frequent first. */
  values?: Record<string, string[]>;
}

const VEGA_FILES: Record<string, Expected> = {
  "stocks.csv": {
    rows: 560,
    columns: { symbol: "text", date: "date month" },
  },
  "crimea.json": { rows: 24, columns: { date: "date month" } },
  "unemployment-across-industries.json": {
    rows: 1708,
    columns: { series: "text", date: "date month" },
    values: {
      year: [
        "2000",
        "2001",
        "2002",
        "2003",
        "2004",
        "2005",
        "2006",
        "2007",
        "2008",
        "2009",
        "2010",
      ],
    },
  },
  "cars.json": {
    rows: 406,
    columns: { Name: "text", Year: "date year", Origin: "text" },
    values: { Cylinders: ["4", "8", "6", "3", "5"] },
  },
  "barley.json": {
    rows: 120,
    columns: { variety: "text", site: "text" },
    values: { year: ["1931", "1932"] },
  },
  "penguins.json": {
    rows: 344,
    columns: { Species: "text", Island: "text", Sex: "text" },
  },
};

const STATSMODELS_FILES: Record<string, Expected> = {
  "anes96/anes96.csv": { rows: 944, columns: {} },
  "cancer/cancer.csv": { rows: 301, columns: {} },
  "ccard/ccard.csv": { rows: 72, columns: {} },
  "china_smoking/china_smoking.csv": { rows: 8, columns: { Location: "text" } },
  "co2/co2.csv": { rows: 2284, columns: { date: "date week" } },
  "committee/committee.csv": { rows: 20, columns: { COMMITTEE: "text" } },
  "copper/copper.csv": { rows: 25, columns: {} },
  "cpunish/cpunish.csv": { rows: 17, columns: { STATE: "text" } },
  "danish_data/data.csv": { rows: 55, columns: { period: "date quarter" } },
  "elec_equip/elec_equip.csv": { rows: 257, columns: { DATE: "date month" } },
  "elnino/elnino.csv": { rows: 61, columns: {} },
  "engel/engel.csv": { rows: 235, columns: {} },
  "fair/fair.csv": { rows: 6366, columns: {} },
  "fair/fair_pt.csv": { rows: 601, columns: {} },
  "fertility/fertility.csv": {
    rows: 219,
    columns: {
      "Country Name": "text",
      "Country Code": "text",
      "Indicator Name": "text",
      "Indicator Code": "text",
      // No country has a figure for these years yet: empty columns.
      "2012": "empty",
      "2013": "empty",
    },
  },
  "grunfeld/grunfeld.csv": { rows: 220, columns: { firm: "text" } },
  "heart/heart.csv": { rows: 69, columns: {}, values: { censors: ["1", "0"] } },
  "interest_inflation/E6.csv": {
    rows: 107,
    columns: {},
    values: { quarter: ["2", "3", "4", "1"] },
  },
  "interest_inflation/E6_jmulti.csv": { rows: 107, columns: {} },
  "longley/longley.csv": { rows: 16, columns: {} },
  "macrodata/macrodata.csv": { rows: 203, columns: {} },
  "modechoice/modechoice.csv": { rows: 840, columns: {} },
  "nile/nile.csv": { rows: 100, columns: {} },
  "randhie/randhie.csv": { rows: 20190, columns: {} },
  "scotland/scotvote.csv": { rows: 32, columns: { COUNCILDIST: "text" } },
  "spector/spector.csv": { rows: 32, columns: {} },
  "stackloss/stackloss.csv": { rows: 21, columns: {} },
  "star98/star98.csv": { rows: 303, columns: {} },
  "statecrime/statecrime.csv": { rows: 51, columns: { state: "text" } },
  "strikes/strikes.csv": { rows: 62, columns: {} },
  "sunspots/sunspots.csv": { rows: 309, columns: {} },
};

function exists(path: string | URL): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Uploads each file to a session through the API and checks its stored profile. */
async function checkFiles(base: string | URL, files: Record<string, Expected>) {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  for (const [path, expected] of Object.entries(files)) {
    const name = path.split("/").pop()!;
    const response = await client.fetch(
      `/api/sessions/${sessionId}/datasets?filename=${
        encodeURIComponent(name)
      }`,
      { method: "POST", body: await Deno.readFile(new URL(path, base)) },
    );
    assert.equal(
      response.status,
      201,
      `${path}: ${await response.clone().text()}`,
    );
    const { id } = await response.json();
    const dataset = (await getDataset(server.kv, id))!;
    const { profile, columns } = await readDatasetDetail(server.kv, dataset);
    assert.equal(profile.rowCount, expected.rows, path);
    for (const name of Object.keys(expected.columns)) {
      assert.ok(
        profile.columns.some((c) => c.name === name),
        `${path}: no ${name}`,
      );
    }
    for (const c of profile.columns) {
      const where = `${path} ${c.name}`;
      const want = expected.columns[c.name];
      if (want === "empty") {
        assert.equal(c.nulls, expected.rows, where);
        continue;
      }
      const got = c.grain ? `${c.type} ${c.grain}` : c.type;
      if (want) assert.equal(got, want, where);
      else assert.match(c.type, /^(integer|number)$/, where);
      assertProfileShape(c, expected.rows, where);
      const invalid = columns.find((x) => x.name === c.name)!.invalid;
      assert.equal(invalid, 0, `${where}: values that did not fit`);
    }
    for (const [name, values] of Object.entries(expected.values ?? {})) {
      const c = profile.columns.find((x) => x.name === name)!;
      assert.deepEqual(c.distinct, values, `${path} ${name}`);
    }
  }
}

/** What every profile carries: a distinct count, values for few-valued columns, ranges and grains. */
function assertProfileShape(c: ColumnProfile, rows: number, where: string) {
  assert.ok(c.distinctCount! >= 0 && c.distinctCount! <= rows, where);
  if (c.type === "text") assert.ok(c.distinct!.length > 0, where);
  if (c.type === "integer" || c.type === "number") {
    assert.equal(typeof c.min, "number", where);
    if (c.distinctCount! <= 50) {
      assert.equal(c.distinct?.length, c.distinctCount, where);
    } else assert.equal(c.distinct, undefined, where);
  }
  if (c.type === "date") {
    assert.match(String(c.min), /^\d{4}-\d\d-\d\d$/, where);
    assert.match(String(c.max), /^\d{4}-\d\d-\d\d$/, where);
  }
}

Deno.test({
  name:
    "real files: the vega eval files read with dates, grains and values a person would expect",
  ignore: !exists(VEGA),
  fn: () => checkFiles(VEGA, VEGA_FILES),
});

Deno.test({
  name:
    "real files: the 31 statsmodels CSV datasets read with the types a person would expect",
  ignore: !exists(STATSMODELS),
  fn: () => checkFiles(`file://${STATSMODELS}`, STATSMODELS_FILES),
});
