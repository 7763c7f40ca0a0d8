/**
 * The repository's own evaluation sets, written with their expected charts by
 * pandas scripts (`eval/make_*_cases.py`): each set is the output of its
 * script, its files are there, and every case can be met — the judge passes a
 * chart drawn exactly as expected and fails one that is off by one value, one
 * category or one step of order.
 */
import assert from "node:assert/strict";
import { evalSets, loadCases } from "@/eval/run.ts";
import {
  asksForOrder,
  type EvalCase,
  judge,
  type TurnOutcome,
} from "@/eval/judge.ts";

const ROOT = new URL("../../", import.meta.url);

/** Each generated set and the script that writes it. */
const GENERATED = [
  { name: "statsmodels", script: "eval/make_statsmodels_cases.py" },
  { name: "vega_extra", script: "eval/make_vega_extra_cases.py" },
];

type Chart = NonNullable<TurnOutcome["chart"]>;

/** The outcome of a planner that drew exactly the expected chart. */
function exactOutcome(c: EvalCase): TurnOutcome {
  const e = c.expect;
  const base: TurnOutcome = { reply: "", errors: [] };
  if (e.kind === "download") {
    return { ...base, download: { format: e.format!, status: 200, bytes: 1 } };
  }
  if (e.kind === "clarify") return { ...base, options: [...e.options!] };
  const series = Object.entries(e.series!);
  const chart: Chart = {
    artifactId: "a1",
    version: e.version ?? 1,
    type: e.type!,
    x: "x",
    series: [],
    columns: [],
    rows: [],
  };
  if (e.x === null) {
    const points = series as [string, [number, number][]][];
    chart.x = "a";
    chart.series = ["b"];
    chart.columns = [{ name: "a", type: "number" }, {
      name: "b",
      type: "number",
    }];
    if (points.length > 1) {
      chart.group = "g";
      chart.columns.push({ name: "g", type: "text" });
    }
    chart.rows = points.flatMap(([name, ps]) =>
      ps.map(([a, b]) => points.length > 1 ? [a, b, name] : [a, b])
    );
  } else {
    chart.series = series.length === 1 ? ["y"] : series.map(([n]) => n);
    chart.columns = [
      { name: "x", type: "text" },
      ...chart.series.map((name) => ({ name, type: "number" })),
    ];
    chart.rows = e.x!.map((label, i) => [
      label,
      ...series.map(([, values]) => values[i] as number | null),
    ]);
  }
  return { ...base, chart, previousArtifactId: e.version ? "a1" : undefined };
}

for (const { name, script } of GENERATED) {
  const set = evalSets().find((s) => s.name === name)!;
  const cases = loadCases(set.cases);

  Deno.test(`${name} cases: the JSONL is what ${script} writes`, async () => {
    const { code, stderr } = await new Deno.Command("/usr/bin/python3", {
      args: [script, "--check"],
      cwd: ROOT,
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  });

  Deno.test(`${name} cases: ids unique, files present, en/es/pt about 2:1:1`, () => {
    assert.ok(cases.length >= 60 && cases.length <= 90, `${cases.length}`);
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
    for (const c of cases) {
      for (const file of c.files) {
        assert.ok(Deno.statSync(new URL(file, set.data)).isFile, file);
      }
    }
    const share = (lang: string) =>
      cases.filter((c) => c.lang === lang).length / cases.length;
    assert.ok(Math.abs(share("en") - 0.5) < 0.05, `en ${share("en")}`);
    assert.ok(Math.abs(share("es") - 0.25) < 0.05, `es ${share("es")}`);
    assert.ok(Math.abs(share("pt") - 0.25) < 0.05, `pt ${share("pt")}`);
  });

  Deno.test(`${name} cases: an exactly drawn answer passes every case`, () => {
    for (const c of cases) {
      assert.equal(judge(c, exactOutcome(c)), null, c.id);
    }
  });

  Deno.test(`${name} cases: an answer off by one value, category or order fails`, () => {
    let orderChecked = 0;
    for (const c of cases) {
      const e = c.expect;
      if (e.kind !== "chart") continue;
      const good = exactOutcome(c);
      const chart = good.chart!;
      // One value off by 1, or by a thousandth where 1 is within the judge's
      // relative tolerance (the first number of the first row that has one).
      const r = chart.rows.findIndex((row) =>
        row.some((v, i) => i > 0 && typeof v === "number") ||
        (e.x === null && typeof row[0] === "number")
      );
      const i = e.x === null
        ? 0
        : chart.rows[r].findIndex((v, k) => k > 0 && typeof v === "number");
      const rows = chart.rows.map((row) => [...row]);
      const v = rows[r][i] as number;
      rows[r][i] = v + Math.max(1, Math.abs(v) / 1000);
      assert.notEqual(
        judge(c, { ...good, chart: { ...chart, rows } }),
        null,
        `${c.id}: a wrong value passed`,
      );
      if (e.x === null) continue;
      // One category or time point missing.
      assert.notEqual(
        judge(c, { ...good, chart: { ...chart, rows: chart.rows.slice(1) } }),
        null,
        `${c.id}: a missing point passed`,
      );
      // Reversed order fails where the order matters: time, and ranked requests.
      const values = e.series![Object.keys(e.series!)[0]] as (number | null)[];
      if (new Set(values).size < 2) continue;
      const reversed = judge(c, {
        ...good,
        chart: { ...chart, rows: [...chart.rows].reverse() },
      });
      const ranked = asksForOrder(c.turns.join(" "));
      const time = e.x!.every((x) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(x));
      if (time || ranked) {
        assert.notEqual(reversed, null, `${c.id}: reversed order passed`);
        orderChecked++;
      } else {
        assert.equal(reversed, null, `${c.id}: unasked order was judged`);
      }
    }
    assert.ok(orderChecked > 20, `${orderChecked}`);
  });
}
