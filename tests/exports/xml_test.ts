/**
 * XML export checked by xmllint against the shipped XSD, and read back by
 * Python's ElementTree to exactly the artifact's data.
 */
import assert from "node:assert/strict";
import { renderXml, xmlCell } from "@/lib/exports/xml.ts";
import {
  HOSTILE,
  hostileInput,
  simpleInput,
  tempFile,
  textOf,
} from "./_inputs.ts";
import { PYTHON, run, runOk, tool } from "./_tools.ts";
import { CHART_TYPES } from "@/lib/charts/spec.ts";

const XSD = new URL("../../static/chartroom.xsd", import.meta.url).pathname;
const xmllint = tool("xmllint", "xmllint", ["--version"], "libxml2-utils");
const python = tool(
  "python3",
  PYTHON,
  ["-c", "import xml.etree.ElementTree"],
  "python3",
);

/** Reads an export back with ElementTree: metadata, columns and typed rows as JSON. */
const READ_BACK = `
import json, sys
import xml.etree.ElementTree as ET
ns = {"c": "urn:chartroom:chart:1"}
root = ET.parse(sys.argv[1]).getroot()
def cell(e):
    tag = e.tag.split("}")[1]
    if tag == "null": return None
    if tag == "n":
        v = float(e.text)
        return int(v) if v.is_integer() and "e" not in e.text.lower() and "." not in e.text else v
    return e.text or ""
print(json.dumps({
    "type": root.get("type"),
    "title": root.find("c:title", ns).text,
    "query": root.find("c:provenance/c:query", ns).text,
    "labels": [c.get("label") for c in root.find("c:columns", ns)],
    "columns": [{"name": c.get("name"), "type": c.get("type")} for c in root.find("c:columns", ns)],
    "rows": [[cell(e) for e in row] for row in root.find("c:rows", ns)],
}))
`;

async function validate(xml: string): Promise<void> {
  await using file = await tempFile("chart.xml", new TextEncoder().encode(xml));
  const result = await run("xmllint", ["--noout", "--schema", XSD, file.path]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /validates/);
}

Deno.test({
  name: "xml: the hostile chart is valid against static/chartroom.xsd",
  ignore: xmllint.ignore,
  async fn() {
    await validate(await textOf(renderXml(hostileInput())));
  },
});

Deno.test({
  name: "xml: every chart type, an empty table and odd cells stay valid",
  ignore: xmllint.ignore,
  async fn() {
    for (const type of CHART_TYPES) {
      const xml = await textOf(renderXml(simpleInput(type)));
      await validate(xml);
      assert.match(xml, new RegExp(`<chart [^>]*type="${type}"`));
    }
    const histogram = await textOf(renderXml(simpleInput("histogram")));
    assert.match(histogram, /<encoding [^>]*bin-width="0\.25"/);
    const bars = simpleInput("bar");
    bars.spec = { ...bars.spec, horizontal: true, stacked: true };
    const flagged = await textOf(renderXml(bars));
    await validate(flagged);
    assert.match(flagged, /<encoding [^>]*horizontal="true" stacked="true"/);
    const odd = hostileInput();
    odd.snapshot = {
      columns: odd.snapshot.columns,
      rows: [
        ["2024-02-30", 1e21, -0.000001, "\u0001 control \uffff"],
        ["2024", Number.MAX_VALUE, 5e-324, "]]> cdata end"],
        ["2024-13", 0, 0, "\r\n"],
      ],
    };
    await validate(await textOf(renderXml(odd)));
    const empty = hostileInput();
    empty.snapshot = { columns: empty.snapshot.columns, rows: [] };
    delete empty.provenance;
    delete empty.interpretation;
    await validate(await textOf(renderXml(empty)));
  },
});

Deno.test({
  name:
    "xml: an invalid document is refused by the schema (the check can fail)",
  ignore: xmllint.ignore,
  async fn() {
    const xml = (await textOf(renderXml(hostileInput())))
      .replace("<n>12.5</n>", "<n>twelve</n>");
    await using file = await tempFile("bad.xml", new TextEncoder().encode(xml));
    const result = await run("xmllint", [
      "--noout",
      "--schema",
      XSD,
      file.path,
    ]);
    assert.notEqual(result.code, 0);
  },
});

Deno.test({
  name: "xml: ElementTree reads back exactly the artifact's data and text",
  ignore: python.ignore,
  async fn() {
    const input = hostileInput();
    const xml = await textOf(renderXml(input));
    await using file = await tempFile(
      "chart.xml",
      new TextEncoder().encode(xml),
    );
    const { stdout } = await runOk(PYTHON, ["-c", READ_BACK, file.path]);
    const back = JSON.parse(stdout);
    assert.equal(back.type, "line");
    assert.equal(back.title, HOSTILE.title);
    assert.equal(back.query, HOSTILE.query);
    assert.deepEqual(back.labels, [
      null,
      HOSTILE.seriesA,
      HOSTILE.seriesB,
      null,
    ]);
    assert.deepEqual(
      back.columns,
      input.snapshot.columns.map((c) => ({ name: c.name, type: c.type })),
    );
    assert.deepEqual(back.rows, input.snapshot.rows);
  },
});

Deno.test("xml: a cell's element follows its value's type", () => {
  assert.equal(xmlCell(null, false), "<null/>");
  assert.equal(xmlCell(-4.5, false), "<n>-4.5</n>");
  assert.equal(xmlCell("2024-01", true), "<d>2024-01</d>");
  assert.equal(xmlCell("2024-01", false), "<s>2024-01</s>");
  assert.equal(xmlCell("2024-02-30", true), "<s>2024-02-30</s>");
  assert.equal(xmlCell("a<b&c", false), "<s>a&lt;b&amp;c</s>");
});
