import assert from "node:assert/strict";
import { decode } from "fast-png";
import { Resvg } from "@resvg/resvg-wasm";
import {
  configureFonts,
  fontsForTexts,
  getFontSet,
  logMissingGlyphs,
  parseFont,
} from "@/lib/drawing/fonts.ts";
import { outlinedSvg, rasterPng, readyRaster } from "@/lib/drawing/raster.ts";
import { renderSvg } from "@/lib/drawing/svg.ts";
import { setLogLevel } from "@/lib/log.ts";

/** Debian's fonts-noto-cjk; `.ci/run` installs it. */
const CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const hasCjkFont = await Deno.stat(CJK_FONT).then(() => true, () => false);
const onCi = Deno.env.get("CI") === "true";
if (!hasCjkFont && !onCi) {
  console.warn(
    `%cfonts_test: ${CJK_FONT} is missing (apt-get install fonts-noto-cjk); ` +
      "the CJK rendering tests are IGNORED",
    "color: red; font-weight: bold",
  );
}

const TITLE = "売上 地域別 销售额";
const option = {
  title: { text: TITLE, left: "center", textStyle: { fontSize: 40 } },
};
const size = { width: 600, height: 120 };

/** Pixels darker than near-white. */
function inked(png: Uint8Array): number {
  const image = decode(png);
  const data = image.data as Uint8Array;
  let count = 0;
  for (let i = 0; i < data.length; i += image.channels) {
    if (data[i] < 200) count++;
  }
  return count;
}

async function withFonts<T>(paths: string[], fn: () => Promise<T>): Promise<T> {
  configureFonts(paths);
  try {
    return await fn();
  } finally {
    configureFonts([]);
  }
}

Deno.test("fonts: DejaVu Sans covers Latin, Greek and Cyrillic but not CJK", () => {
  const set = getFontSet();
  const { missing, extra } = fontsForTexts(set, [
    "Ünïcödé Ωμέγα Привет",
    TITLE,
  ]);
  assert.deepEqual(extra, []);
  assert.deepEqual(missing.sort(), [..."売上地域別销售额"].sort());
});

Deno.test("fonts: a file that is not a font is refused by name", () => {
  assert.throws(
    () => parseFont("notes.txt", new TextEncoder().encode("hello, world!!")),
    /notes\.txt: not a TrueType\/OpenType font/,
  );
  assert.throws(() => configureFonts(["/nonexistent/font.ttf"]));
  assert.deepEqual(fontsForTexts(getFontSet(), ["A"]).missing, []);
});

Deno.test("fonts: characters no font has are reported and logged, once", async () => {
  const result = await rasterPng(option, {
    ...size,
    scale: 1,
    background: "#ffffff",
  });
  assert.deepEqual(result.missing.sort(), [..."売上地域別销售额"].sort());
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  setLogLevel("warn");
  try {
    logMissingGlyphs(["😀", "売"], "test", 1_000);
    logMissingGlyphs(["😀", "売"], "test", 2_000);
  } finally {
    console.log = original;
    setLogLevel("info");
  }
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.level, "warn");
  assert.equal(entry.msg, "missing glyphs");
  assert.equal(entry.chars, "😀売");
  assert.deepEqual(entry.code_points, ["U+1F600", "U+58F2"]);
});

Deno.test({
  name: "fonts: a CJK title renders in the PNG once a CJK font is configured",
  ignore: !hasCjkFont && !onCi,
  async fn() {
    assert.ok(hasCjkFont, `${CJK_FONT} is missing (fonts-noto-cjk)`);
    const png = (fonts: string[]) =>
      withFonts(
        fonts,
        () => rasterPng(option, { ...size, scale: 1, background: "#ffffff" }),
      );
    const without = await png([]);
    const withCjk = await png([CJK_FONT]);
    // Without it resvg draws DejaVu's empty boxes (and the chars are logged).
    assert.equal(without.missing.length, 8);
    assert.deepEqual(withCjk.missing, []);
    const boxes = inked(without.value), glyphs = inked(withCjk.value);
    assert.ok(
      glyphs > 2 * boxes,
      `${glyphs} inked with the font, ${boxes} without`,
    );
  },
});

Deno.test({
  name: "fonts: the SVG carries the CJK glyphs as outlines, and as text",
  ignore: !hasCjkFont && !onCi,
  async fn() {
    assert.ok(hasCjkFont, `${CJK_FONT} is missing (fonts-noto-cjk)`);
    const svg = await withFonts(
      [CJK_FONT],
      () => outlinedSvg(option, { ...size, background: "#ffffff" }),
    );
    assert.deepEqual(svg.missing, []);
    assert.ok(!svg.value.includes("<text"));
    // Drawn again with no CJK font at all, the outlines still show.
    await readyRaster();
    const resvg = new Resvg(svg.value, { font: { loadSystemFonts: false } });
    const image = resvg.render();
    const png = image.asPng();
    image.free();
    resvg.free();
    assert.ok(inked(png) > 3000, `${inked(png)} inked`);
    // The ECharts SVG (SVG export) keeps the title as text, measured with the CJK font.
    const text = await withFonts(
      [CJK_FONT],
      () => Promise.resolve(renderSvg(option, size)),
    );
    assert.ok(text.svg.includes(TITLE));
    assert.deepEqual(text.missing, []);
  },
});
