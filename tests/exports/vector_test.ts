/**
 * SVG and PDF exports read by real consumers: xmllint and Chromium decode the
 * SVG at the requested size; poppler's pdfinfo sees one page of the chart's
 * size, pdftotext finds the title as text, pdftoppm rasterises it not blank.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { chartSvg, renderSvgExport } from "@/lib/exports/svg.ts";
import { renderPdfExport } from "@/lib/exports/pdf.ts";
import { configureRenderPool } from "@/lib/drawing/render_pool.ts";
import { launchBrowser, skipBrowser } from "@/tests/e2e/_browser.ts";
import { decodePng } from "@/tests/_png.ts";
import { bytesOf, HOSTILE, hostileInput, tempFile } from "./_inputs.ts";
import { run, runOk, tool } from "./_tools.ts";

const xmllint = tool("xmllint", "xmllint", ["--version"], "libxml2-utils");
const poppler = tool("poppler", "pdfinfo", ["-v"], "poppler-utils");

const size = { width: 640, height: 360, background: "#ffffff" };

Deno.test({
  name: "svg: a well-formed standalone document at the requested size",
  ignore: xmllint.ignore,
  async fn() {
    const svg = await chartSvg(hostileInput(), size);
    assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg'));
    assert.match(
      svg,
      /<svg width="640" height="360" [^>]*viewBox="0 0 640 360"/,
    );
    await using file = await tempFile(
      "chart.svg",
      new TextEncoder().encode(svg),
    );
    const result = await run("xmllint", ["--noout", file.path]);
    assert.equal(result.code, 0, result.stderr);
    // The parsed title element holds the hostile title, intact.
    const title = await runOk("xmllint", [
      "--xpath",
      "string(//*[local-name()='title'])",
      file.path,
    ]);
    assert.equal(title.stdout.replace(/\n$/, ""), HOSTILE.title);
    assert.ok(!svg.includes("<script"));
  },
});

Deno.test({
  name:
    "svg: Chromium decodes it at the requested size, embedded fonts included",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    for (const fonts of ["reference", "embed"] as const) {
      const body = (await renderSvgExport(hostileInput(), { ...size, fonts }))
        .body;
      const bytes = await bytesOf({ body });
      if (fonts === "embed") {
        assert.ok(new TextDecoder().decode(bytes).includes("@font-face"));
      }
      const decoded = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/svg+xml;base64,${b64}`;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, Buffer.from(bytes).toString("base64"));
      assert.deepEqual(decoded, [640, 360], fonts);
    }
  },
});

Deno.test({
  name:
    "pdf: one page the chart's size, text selectable, not blank when rasterised",
  ignore: poppler.ignore,
  async fn() {
    const input = hostileInput();
    const bytes = await bytesOf(await renderPdfExport(input, size));
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "%PDF-");
    await using file = await tempFile("chart.pdf", bytes);
    const info = (await runOk("pdfinfo", [file.path])).stdout;
    assert.match(info, /^Pages:\s+1$/m);
    // 640×360 CSS px at 96 dpi.
    assert.match(info, /^Page size:\s+480 x 270 pts/m);
    assert.ok(info.includes(HOSTILE.title), info);
    const fonts = (await runOk("pdffonts", [file.path])).stdout;
    assert.match(fonts, /DejaVuSans .*yes yes yes/);
    const text = (await runOk("pdftotext", [file.path, "-"])).stdout;
    assert.ok(text.includes("Ελλάδα"), text);
    assert.ok(text.includes("2024-01-03"), text);

    await runOk("pdftoppm", [
      "-png",
      "-r",
      "96",
      file.path,
      `${file.dir}/page`,
    ]);
    const page = decodePng(await Deno.readFile(`${file.dir}/page-1.png`));
    assert.deepEqual([page.width, page.height], [640, 360]);
    assert.ok(page.distinctColours > 20, `${page.distinctColours} colours`);
  },
});

const NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const cjk = tool("fonts-noto-cjk", "test", ["-f", NOTO_CJK], "fonts-noto-cjk");

Deno.test({
  name:
    "pdf: a Chinese and Japanese title is set in the configured CJK font, as text",
  ignore: poppler.ignore || cjk.ignore,
  async fn() {
    // As the server does with FONT_PATHS: the PDF is made in a render worker.
    configureRenderPool({ fontPaths: [NOTO_CJK] });
    try {
      const input = hostileInput();
      input.title = "各城市的平均值 — 東京の月別売上";
      input.spec = { ...input.spec, title: input.title, subtitle: undefined };
      const bytes = await bytesOf(await renderPdfExport(input, size));
      await using file = await tempFile("cjk.pdf", bytes);
      const fonts = (await runOk("pdffonts", [file.path])).stdout;
      assert.match(fonts, /NotoSansCJK\S* .*yes yes yes/);
      assert.match(fonts, /DejaVuSans .*yes yes yes/);
      const text = (await runOk("pdftotext", [file.path, "-"])).stdout;
      assert.ok(text.includes("各城市的平均值"), text);
      assert.ok(text.includes("東京の月別売上"), text);
    } finally {
      configureRenderPool({});
    }
  },
});
