/** Figures in a model's words: read in every way they are written, judged against the data, corrected or removed; held back only while they cannot be judged. */
import assert from "node:assert/strict";
import {
  checkFigures,
  FigureGuard,
  findFigures,
  judgeBy,
  KnownFigures,
} from "@/lib/agent/model/figures.ts";

const REMOVED = "[?]";

Deno.test("figures: numbers are read with their separators, scale, percent and years; identifiers, ordinals and times are not figures", () => {
  const text =
    "pm25 rose 12.5% to 1,234.5 (1.234,5 in Spanish) or 2.5 million, the 3rd of 10:30 on 2024-03-01 and 2019–2023, Q3 and no2.";
  const found = findFigures(text).map((f) => ({
    text: text.slice(f.start, f.end),
    values: f.values.map((v) => v.value),
    year: f.year,
    percent: f.percent,
  }));
  assert.deepEqual(found, [
    { text: "12.5%", values: [12.5], year: null, percent: true },
    { text: "1,234.5", values: [1234.5], year: null, percent: false },
    { text: "1.234,5", values: [1234.5], year: null, percent: false },
    { text: "2.5 million", values: [2_500_000], year: null, percent: false },
    { text: "2024-03-01", values: [], year: 2024, percent: false },
    { text: "2019", values: [], year: 2019, percent: false },
    { text: "2023", values: [], year: 2023, percent: false },
  ]);
  // "1,234" may be either: both readings are tried.
  assert.deepEqual(findFigures("1,234 rows")[0].values.map((v) => v.value), [
    1.234,
    1234,
  ]);
});

Deno.test("figures: a figure still arriving is not complete", () => {
  for (
    const text of ["at 41", "at 41.", "at 41.2 ", "at 41.2 mil", "in 2024-"]
  ) {
    assert.equal(findFigures(text).at(-1)!.complete, false, text);
  }
  for (const text of ["at 41.2, then", "at 41.2 ug/m3", "in 2024-03-01."]) {
    assert.equal(findFigures(text).at(-1)!.complete, true, text);
  }
});

Deno.test("figures: known ones stay (rounded as written), near ones are corrected, the rest removed", () => {
  const known = new KnownFigures()
    .add("chart", [36.8812, 15.98, 1187])
    .add("data", [547])
    .addText("conversation", "top 12 cities in 2024");
  const chart = judgeBy(true);
  assert.equal(
    checkFigures(
      "Lagos 36.9, Kigali 16, about 1,200 rows, top 12, in 2024, Abuja 38.5, Accra 99.5, 547 days, 3 cities.",
      known,
      chart,
      REMOVED,
    ),
    "Lagos 36.9, Kigali 16, about 1,200 rows, top 12, in 2024, Abuja 36.9, Accra [?], [?] days, 3 cities.",
  );
  // In words alone, the data's figures are what may be quoted.
  assert.equal(
    checkFigures(
      "547 days, 560 days, Lagos 36.9",
      known,
      judgeBy(false),
      REMOVED,
    ),
    "547 days, 547 days, Lagos [?]",
  );
  // A correction keeps how the figure was written.
  assert.equal(
    checkFigures("1.150 filas, 1,2 mil", known, chart, REMOVED),
    "1.187 filas, 1,2 mil",
  );
});

Deno.test("figures: the guard streams words at once, holds a figure until it is whole and one it cannot judge until settled", async () => {
  const sent: string[] = [];
  const known = new KnownFigures().addText("conversation", "since 2020");
  const guard = new FigureGuard(known, REMOVED, (t) => {
    sent.push(t);
    return Promise.resolve();
  });
  await guard.push("Since 20");
  assert.deepEqual(sent, ["Since "]);
  await guard.push("20 the ");
  assert.deepEqual(sent, ["Since ", "2020 the "]);
  await guard.push("peak is 4");
  await guard.push("1.2 and it ");
  await guard.push("rose.");
  assert.deepEqual(sent, ["Since ", "2020 the ", "peak is "]);
  known.add("chart", [41.23]);
  await guard.settle(true);
  assert.equal(sent.join(""), "Since 2020 the peak is 41.2 and it rose.");
  await guard.settle(true);
  assert.equal(sent.length, 4, "settling twice sends nothing more");
});
