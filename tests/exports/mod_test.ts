import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  EXPORT_FORMATS,
  exportChart,
  exportFilename,
  parseExportOptions,
} from "@/lib/exports/mod.ts";
import type { ExportInput } from "@/lib/exports/types.ts";
import { AppError } from "@/lib/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

const input: ExportInput = {
  title: "Revenue by Région — 2024/Q1",
  spec: {
    type: "bar",
    title: "Revenue by region",
    x: "region",
    series: ["revenue"],
  },
  snapshot: {
    columns: [
      { name: "region", type: "string" },
      { name: "revenue", type: "number" },
    ],
    rows: [["North", 1200], ["South", 950.5]],
  },
};

function isBadRequest(code: string, ...words: string[]) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(statusOf(err), 400);
    assert.equal(err.code, code);
    for (const word of words) {
      assert.ok(err.message.includes(word), `"${err.message}" lacks ${word}`);
    }
    return true;
  };
}

Deno.test("exports: every format is registered, in menu order", () => {
  assert.deepEqual([...EXPORT_FORMATS], [
    "png",
    "svg",
    "pdf",
    "csv",
    "xlsx",
    "xml",
    "json",
    "html",
    "ipynb",
    "py",
    "requirements",
    "zip",
  ]);
});

Deno.test("exports: an unknown format is a 400 listing the valid ones", () => {
  assert.throws(
    () => parseExportOptions("gif", {}),
    isBadRequest(
      "unknown_format",
      "format must be one of: png, svg, pdf, csv, xlsx, xml, json, html",
    ),
  );
  assert.throws(
    () => parseExportOptions("__proto__", {}),
    isBadRequest("unknown_format"),
  );
});

Deno.test("exports: png options default to 800×450 at scale 2 on white", () => {
  assert.deepEqual(parseExportOptions("png", {}), {
    format: "png",
    options: { width: 800, height: 450, scale: 2, background: "#ffffff" },
  });
  assert.deepEqual(
    parseExportOptions("png", { width: "1200", scale: "1" }).options,
    { width: 1200, height: 450, scale: 1, background: "#ffffff" },
  );
});

Deno.test("exports: png options out of bounds are a 400 naming the option and its bounds", () => {
  const cases: [Record<string, string>, string[]][] = [
    [{ width: "99" }, ["width", "100", "4000"]],
    [{ width: "4001" }, ["width", "100", "4000"]],
    [{ width: "wide" }, ["width"]],
    [{ width: "" }, ["width"]],
    [{ height: "5000" }, ["height", "100", "4000"]],
    [{ scale: "5" }, ["scale", "1", "4"]],
    [{ scale: "1.5" }, ["scale", "1", "4"]],
    [{ background: "url(javascript:x)" }, ["background"]],
  ];
  for (const [query, words] of cases) {
    assert.throws(
      () => parseExportOptions("png", query),
      isBadRequest("invalid_option", ...words),
      JSON.stringify(query),
    );
  }
});

Deno.test("exports: an unknown option is a 400 naming it", () => {
  assert.throws(
    () => parseExportOptions("png", { dpi: "300" }),
    isBadRequest("invalid_option", '"dpi"', "png", "width"),
  );
  assert.throws(
    () => parseExportOptions("csv", { width: "300" }),
    isBadRequest("invalid_option", '"width"', "csv"),
  );
});

Deno.test("exports: csv takes a bom flag", () => {
  assert.deepEqual(parseExportOptions("csv", {}).options, {
    delimiter: ",",
    header: true,
    bom: false,
  });
  assert.deepEqual(parseExportOptions("csv", { bom: "true" }).options, {
    delimiter: ",",
    header: true,
    bom: true,
  });
  assert.throws(
    () => parseExportOptions("csv", { bom: "maybe" }),
    isBadRequest("invalid_option", "bom"),
  );
});

Deno.test("exports: a png export is the chart at the asked size, named after the title", async () => {
  const file = await exportChart(input, "png", { width: 300, height: 200 });
  assert.equal(file.mime, "image/png");
  assert.equal(file.filename, "revenue-by-region-2024-q1.png");
  const png = file.body as Uint8Array;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // Default scale 2.
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [600, 400]);
});

Deno.test("exports: parsed options pass straight to exportChart", async () => {
  const { format, options } = parseExportOptions("csv", {});
  const file = await exportChart(input, format, options);
  assert.equal(file.filename, "revenue-by-region-2024-q1.csv");
  assert.deepEqual(parse(await new Response(file.body).text()), [
    ["region", "revenue"],
    ["North", "1200"],
    ["South", "950.5"],
  ]);
});

Deno.test("exports: exportChart validates options too", async () => {
  await assert.rejects(
    exportChart(input, "png", { scale: 9 }),
    isBadRequest("invalid_option", "scale"),
  );
});

Deno.test("exports: filenames are safe slugs, never paths", () => {
  assert.equal(exportFilename("../../etc/passwd", "csv"), "etc-passwd.csv");
  assert.equal(exportFilename("C:\\Users\\x", "png"), "c-users-x.png");
  assert.equal(exportFilename("Ünïcödé Sales!", "png"), "unicode-sales.png");
  assert.equal(exportFilename("日本語", "png"), "chart.png");
  assert.equal(exportFilename("   ", "csv"), "chart.csv");
  const long = exportFilename("a ".repeat(200), "csv");
  assert.ok(long.length <= 84, long);
  assert.match(long, /^[a-z0-9-]+\.csv$/);
  assert.ok(!long.includes("-."));
});
