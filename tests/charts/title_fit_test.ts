/** A long title drawn on a narrow chart ends in "…" within the chart, at every width it is drawn at. */
import assert from "node:assert/strict";
import { compileOption } from "@/lib/charts/compile.ts";
import { chartTexts, withChart } from "@/lib/drawing/svg.ts";

const title =
  "Total Deaths by Entity — excluding All natural disasters, since 2000, for every continent";
const option = compileOption(
  { type: "bar", title, x: "entity", series: ["deaths"] },
  {
    columns: [
      { name: "entity", type: "string" },
      { name: "deaths", type: "number" },
    ],
    rows: [["Flood", 10], ["Drought", 4]],
  },
);

/** The title's drawn text and the x extent of everything drawn for it. */
function drawnTitle(
  width: number,
): { text: string; left: number; right: number } {
  return withChart(option, { width, height: 400 }, (chart) => {
    const text = chartTexts(chart).find((t) => t.startsWith("Total Deaths"))!;
    const el = chart.getZr().storage.getDisplayList(true).find((e) =>
      (e as { style?: { text?: string } }).style?.text === text
    )!;
    const rect = el.getBoundingRect().clone();
    rect.applyTransform(el.getComputedTransform());
    return { text, left: rect.x, right: rect.x + rect.width };
  });
}

Deno.test("title fit: a long title is cut with … inside a narrow chart and whole in a wide one", () => {
  const narrow = drawnTitle(420);
  assert.ok(narrow.text.endsWith("…"), narrow.text);
  assert.ok(narrow.text.length < title.length);
  assert.ok(narrow.left >= 0 && narrow.right <= 420, JSON.stringify(narrow));
  const wide = drawnTitle(1600);
  assert.equal(wide.text, title);
});
