import assert from "node:assert/strict";
import { EXPORT_FORMATS } from "@/lib/exports/mod.ts";
import { getDemoDatasets } from "@/lib/data/demo.ts";
import {
  type DatasetProfile,
  profileTable,
  type Table,
} from "@/lib/data/table.ts";
import { runQuery } from "@/lib/data/query.ts";
import {
  type ChartPlan,
  type ChartQuery,
  type Plan,
  planRequest,
  toSnapshot,
} from "@/lib/agent/planner/mod.ts";
import { interpretChart } from "@/lib/agent/interpret.ts";
import {
  type ChartSpec,
  ChartSpecSchema,
  type Snapshot,
  SnapshotSchema,
} from "@/lib/charts/spec.ts";

const demos = getDemoDatasets();
const tables = new Map<string, Table>(demos.map((d) => [d.id, d.table]));
const profiles: DatasetProfile[] = demos.map((d) =>
  profileTable(d.id, d.name, d.table)
);

/** The only quoted literals the planner may write: fixed date-bucket fragments. */
const ALLOWED_LITERALS = new Set([
  "'-6 days'",
  "'weekday 1'",
  "'%02d'",
  "'%04d-%02d'",
  "'%ds'",
  "'%w'",
]);

type Current =
  | { artifactId: string; query: ChartQuery; spec: ChartSpec }
  | null;

interface Turn {
  plan: Plan;
  snapshot?: Snapshot;
  current: Current;
}

function run(plan: ChartPlan): Snapshot {
  const table = tables.get(plan.datasetId)!;
  for (const literal of plan.sql.match(/'[^']*'/g) ?? []) {
    assert.ok(
      ALLOWED_LITERALS.has(literal),
      `unexpected literal ${literal} in ${plan.sql}`,
    );
  }
  const snapshot = toSnapshot(
    plan,
    runQuery({ id: plan.datasetId, table }, plan.sql, plan.params),
  );
  ChartSpecSchema.parse(plan.spec);
  SnapshotSchema.parse(snapshot);
  assert.deepEqual(
    snapshot.columns.map((c) => c.name).slice(0, 1 + plan.spec.series.length),
    [plan.spec.x, ...plan.spec.series],
  );
  return snapshot;
}

/** Sends turns like a session: the current chart is kept between them. */
function chat(...turns: string[]): Turn {
  let current: Current = null;
  let last: Turn | null = null;
  let n = 0;
  for (const text of turns) {
    const plan = planRequest(text, { datasets: profiles, current });
    let snapshot: Snapshot | undefined;
    if (plan.kind === "chart") {
      snapshot = run(plan);
      current = {
        artifactId: plan.refines ?? `a${++n}`,
        query: plan.query,
        spec: plan.spec,
      };
    }
    last = { plan, snapshot, current };
  }
  return last!;
}

function chart(t: Turn): { plan: ChartPlan; snap: Snapshot } {
  assert.equal(t.plan.kind, "chart", JSON.stringify(t.plan));
  return { plan: t.plan as ChartPlan, snap: t.snapshot! };
}

function column(snap: Snapshot, name: string): (string | number | null)[] {
  const i = snap.columns.findIndex((c) => c.name === name);
  assert.ok(i >= 0, `no column ${name}`);
  return snap.rows.map((r) => r[i]);
}

function rowsOf(
  id: string,
): Record<string, string | number | boolean | null>[] {
  const t = tables.get(id)!;
  return t.rows.map((r) =>
    Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]]))
  );
}

function near(a: number | null, b: number): boolean {
  return a !== null && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

Deno.test("planner: 'line chart of pm25 by date for Kampala' draws one daily series", () => {
  const { plan, snap } = chart(chat("line chart of pm25 by date for Kampala"));
  assert.equal(plan.datasetId, "demo:air_quality");
  assert.equal(plan.spec.type, "line");
  assert.deepEqual(plan.query.x, {
    kind: "time",
    column: "date",
    bucket: "day",
    name: "date",
  });
  assert.deepEqual(plan.spec.series, ["pm25"]);
  assert.equal(plan.query.split, null);
  assert.deepEqual(plan.query.filters, [{
    column: "city",
    op: "in",
    values: ["Kampala"],
  }]);
  assert.equal(snap.columns[0].type, "date");
  assert.equal(snap.rows.length, 547);
  assert.ok(snap.rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(String(r[0]))));
  const kampala = rowsOf("demo:air_quality").filter((r) =>
    r.city === "Kampala"
  );
  assert.deepEqual(column(snap, "pm25"), kampala.map((r) => r.pm25));
  assert.match(plan.reply, /line chart/);
  assert.match(plan.spec.title, /pm25/);
  assert.match(plan.spec.title, /Kampala/);
});

Deno.test("planner: a nonsense request gets help that names the columns", () => {
  const plan = chat("flibber jabberwock quux").plan;
  assert.equal(plan.kind, "help");
  if (plan.kind !== "help") return;
  for (const name of ["pm25", "city", "imor", "bank", "revenue", "region"]) {
    assert.ok(plan.reply.includes(name), `help names ${name}`);
  }
  assert.match(
    plan.reply,
    /line, bar, area, pie, donut, scatter, histogram and heatmap/,
  );
});

Deno.test("planner: no datasets → help, never an error", () => {
  const plan = planRequest("bar chart of revenue", { datasets: [] });
  assert.equal(plan.kind, "help");
});

Deno.test("planner: SQL never contains the user's text; values are parameters", () => {
  const requests = [
    `average pm25 for Kampala"; DROP TABLE data; --`,
    "pm25 por ciudad en Lagos' OR 1=1 --",
    "revenue for Widget and Gadget over time",
    "imor de INVEX en los últimos 3 meses",
    "scatter of pm25 vs no2 in Accra",
    "median pm25 by city excluding Nairobi",
  ];
  for (const text of requests) {
    const { plan } = chart(chat(text));
    for (
      const bad of [
        "DROP",
        "1=1",
        "Kampala",
        "Lagos",
        "Widget",
        "INVEX",
        "Accra",
        "Nairobi",
        "--",
      ]
    ) {
      assert.ok(
        !plan.sql.includes(bad),
        `${bad} in SQL for "${text}": ${plan.sql}`,
      );
    }
  }
  const { plan } = chart(
    chat(`average pm25 for Kampala"; DROP TABLE data; --`),
  );
  assert.ok(plan.params.includes("Kampala"));
});

Deno.test("planner: monthly revenue by region sums into one series per region", () => {
  const { plan, snap } = chart(chat("monthly revenue by region"));
  assert.equal(plan.spec.type, "line");
  assert.deepEqual(plan.spec.series, ["East", "North", "South", "West"]);
  assert.equal(plan.query.measures[0].agg, "sum", "revenue adds up");
  assert.equal(snap.rows.length, 36);
  const expected = rowsOf("demo:sales")
    .filter((r) =>
      r.region === "North" && String(r.month).startsWith("2024-05")
    )
    .reduce((a, r) => a + (r.revenue as number), 0);
  const i = column(snap, "month").indexOf("2024-05");
  assert.ok(near(column(snap, "North")[i] as number, expected));
});

Deno.test("planner: top 3 products by revenue is ordered and limited", () => {
  const { plan, snap } = chart(chat("top 3 products by revenue"));
  assert.equal(plan.spec.type, "bar");
  assert.equal(snap.rows.length, 3);
  const totals = new Map<string, number>();
  for (const r of rowsOf("demo:sales")) {
    totals.set(
      r.product as string,
      (totals.get(r.product as string) ?? 0) + (r.revenue as number),
    );
  }
  const best = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  assert.deepEqual(column(snap, "product"), best.map(([p]) => p));
  best.forEach(([, v], i) => assert.ok(near(snap.rows[i][1] as number, v)));
});

Deno.test("planner: Spanish quarterly request labels quarters by their first month", () => {
  const { plan, snap } = chart(chat("ingresos trimestrales de Widget"));
  assert.equal(plan.query.x.kind === "time" && plan.query.x.bucket, "quarter");
  assert.deepEqual(column(snap, "quarter").slice(0, 3), [
    "2023-01",
    "2023-04",
    "2023-07",
  ]);
  assert.equal(snap.rows.length, 12);
  assert.match(plan.reply, /^Aquí tienes/);
});

Deno.test("planner: Portuguese average per region in one year", () => {
  const { plan, snap } = chart(chat("média de unidades por região em 2024"));
  assert.equal(plan.spec.type, "bar");
  assert.equal(plan.query.measures[0].agg, "avg");
  assert.deepEqual(column(snap, "region"), ["East", "North", "South", "West"]);
  const east = rowsOf("demo:sales").filter((r) =>
    r.region === "East" && String(r.month).startsWith("2024")
  );
  const mean = east.reduce((a, r) => a + (r.units as number), 0) / east.length;
  assert.ok(near(snap.rows[0][1] as number, mean));
  assert.match(plan.reply, /^Aqui está/);
});

Deno.test("planner: refinements make new versions of the current chart", () => {
  const first = chart(chat("average roe by bank"));
  const pie = chart(chat("average roe by bank", "make it a pie chart"));
  assert.equal(pie.plan.refines, "a1");
  assert.equal(pie.plan.spec.type, "pie");
  assert.deepEqual(pie.snap.rows, first.snap.rows);

  // Daily data stays daily (its natural grain); the refinement keeps only 2025.
  const only = chart(chat("pm25 over time for Lagos", "only 2025"));
  assert.equal(only.plan.refines, "a1");
  const days = column(only.snap, "date") as string[];
  assert.equal(days[0], "2025-01-01");
  assert.equal(days.at(-1), "2025-06-30");
  assert.ok(days.every((d) => d.startsWith("2025-")));

  const barras = chart(
    chat("evolución del imor de BBVA y Banorte", "hazlo de barras"),
  );
  assert.equal(barras.plan.spec.type, "bar");
  assert.deepEqual(barras.plan.spec.series, ["BBVA", "Banorte"]);
  assert.equal(barras.plan.refines, "a1");

  const city = chart(chat("pm25 for Kampala by month", "Accra"));
  assert.deepEqual(city.plan.query.filters, [{
    column: "city",
    op: "in",
    values: ["Accra"],
  }]);
});

Deno.test("planner: a new question in a session with a chart is a new chart", () => {
  const t = chat("average roe by bank", "top 3 products by revenue");
  assert.equal(t.plan.kind, "chart");
  assert.equal((t.plan as ChartPlan).refines, undefined);
  assert.equal((t.plan as ChartPlan).datasetId, "demo:sales");
});

Deno.test("planner: every format of the export registry is asked for by its name, in every language", () => {
  for (const format of EXPORT_FORMATS) {
    for (const text of [`export it as ${format}`, `descargar en ${format}`]) {
      const plan = chat("average roe by bank", text).plan;
      assert.equal(plan.kind === "download" && plan.format, format, text);
    }
  }
});

Deno.test("planner: downloads name their format in three languages", () => {
  const cases: [string, string][] = [
    ["export it as png", "png"],
    ["download as svg", "svg"],
    ["descargar en Excel", "xlsx"],
    ["Exportar gráfico em CSV", "csv"],
    ["baixar o notebook", "ipynb"],
    ["export to python", "py"],
    ["download the json", "json"],
    ["exportar en PDF", "pdf"],
    ["download everything as a zip", "zip"],
  ];
  for (const [text, format] of cases) {
    const plan = chat("average roe by bank", text).plan;
    assert.deepEqual({
      kind: plan.kind,
      format: plan.kind === "download" && plan.format,
    }, {
      kind: "download",
      format,
    }, text);
  }
  assert.equal(
    chat("export it as png").plan.kind,
    "help",
    "nothing to export yet",
  );
  const ask = chat("average roe by bank", "download it").plan;
  assert.equal(ask.kind, "clarify");
});

Deno.test("planner: an ambiguous column gets a question offering the candidates", () => {
  const plan = chat("chart pm by city").plan;
  assert.equal(plan.kind, "clarify");
  if (plan.kind !== "clarify") return;
  assert.ok(plan.options.includes("pm25") && plan.options.includes("pm10"));
});

Deno.test("planner: counts without a measure are named after what they count", () => {
  const { plan, snap } = chart(chat("number of rows by product"));
  assert.equal(plan.query.measures[0].agg, "count");
  assert.deepEqual(column(snap, "count"), [144, 144, 144, 144, 144]);
});

Deno.test("planner: 'last N quarters' is a window of calendar months ending with the data", () => {
  const { snap } = chart(chat("imor for BBVA in the last 4 quarters"));
  assert.deepEqual(column(snap, "month"), [
    "2024-07",
    "2024-08",
    "2024-09",
    "2024-10",
    "2024-11",
    "2024-12",
    "2025-01",
    "2025-02",
    "2025-03",
    "2025-04",
    "2025-05",
    "2025-06",
  ]);
});

Deno.test("planner: weekly buckets start on Mondays", () => {
  const { snap } = chart(chat("weekly average no2 in Nairobi"));
  for (const label of column(snap, "week")) {
    assert.equal(new Date(`${label}T00:00:00Z`).getUTCDay(), 1, String(label));
  }
});

Deno.test("planner: median is the middle value per group", () => {
  const { snap } = chart(chat("median pm25 by city"));
  const lagos = rowsOf("demo:air_quality").filter((r) => r.city === "Lagos")
    .map((r) => r.pm25 as number).sort((a, b) => a - b);
  const mid = lagos.length % 2
    ? lagos[(lagos.length - 1) / 2]
    : (lagos[lagos.length / 2 - 1] + lagos[lagos.length / 2]) / 2;
  const i = column(snap, "city").indexOf("Lagos");
  assert.ok(near(snap.rows[i][1] as number, mid));
});

Deno.test("planner: scatter of two measures keeps every point", () => {
  // "y vs x", as a plot is named: pm25 up the y axis, no2 along x.
  const { plan, snap } = chart(chat("pm25 vs no2 in Accra"));
  assert.equal(plan.spec.type, "scatter");
  assert.equal(plan.spec.x, "no2");
  assert.deepEqual(plan.spec.series, ["pm25"]);
  assert.equal(snap.rows.length, 547);
});

Deno.test("planner: yearly totals are bars with YYYY labels", () => {
  const { plan, snap } = chart(chat("yearly revenue"));
  assert.equal(plan.spec.type, "bar");
  assert.deepEqual(column(snap, "year"), ["2023", "2024", "2025"]);
});

Deno.test("planner: exclusions, case, accents and small typos", () => {
  const except = chart(chat("pm25 by city except Lagos"));
  assert.deepEqual(column(except.snap, "city"), [
    "Accra",
    "Kampala",
    "Kigali",
    "Nairobi",
  ]);
  const shouted = chart(chat("PROMEDIO de PM25 en kampala"));
  assert.deepEqual(shouted.plan.query.filters, [{
    column: "city",
    op: "in",
    values: ["Kampala"],
  }]);
  const typo = chart(chat("average revenu by regoin"));
  assert.equal(typo.plan.query.measures[0].column, "revenue");
  assert.equal(typo.plan.query.x.column, "region");
});

Deno.test("planner: numbers in snapshots stay within 1e-6 of SQL", () => {
  const { plan, snap } = chart(chat("average pm25 by month for Kampala"));
  const raw = runQuery(
    { id: plan.datasetId, table: tables.get(plan.datasetId)! },
    plan.sql,
    plan.params,
  );
  raw.rows.forEach((r, i) =>
    assert.ok(near(snap.rows[i][1] as number, r[1] as number))
  );
});

Deno.test("interpret: a time series reads its range and change", () => {
  const { plan, snap } = chart(chat("average pm25 by month for Kampala"));
  const text = interpretChart(plan.spec, snap);
  assert.match(
    text,
    /^pm25 ranges from [\d.]+ \(\d{4}-\d{2}\) to [\d.]+ \(\d{4}-\d{2}\)\./,
  );
  assert.match(
    text,
    /From 2024-01 to 2025-06 it went from [\d.]+ to [\d.]+ \([+-][\d.]+%\)\./,
  );
});

Deno.test("interpret: categories name the highest and lowest; pies the largest share", () => {
  const spec: ChartSpec = { type: "pie", title: "t", x: "k", series: ["v"] };
  const snap: Snapshot = {
    columns: [{ name: "k", type: "string" }, { name: "v", type: "number" }],
    rows: [["a", 1], ["b", 3], ["c", null]],
  };
  assert.equal(
    interpretChart(spec, snap),
    "b has the highest value (3) and a the lowest (1). b is the largest share (75% of the total).",
  );
});

Deno.test("interpret: several series compare their averages", () => {
  const spec: ChartSpec = {
    type: "line",
    title: "t",
    x: "m",
    series: ["A", "B"],
  };
  const snap: Snapshot = {
    columns: [
      { name: "m", type: "date" },
      { name: "A", type: "number" },
      { name: "B", type: "number" },
    ],
    rows: [["2024-01", 1, 10], ["2024-02", 2, 20]],
  };
  assert.equal(
    interpretChart(spec, snap),
    "Of the 2 series, B is highest on average (15) and A lowest (1.5). Values range from 1 (A, 2024-01) to 20 (B, 2024-02).",
  );
});

Deno.test("interpret: scatter reports the correlation; empty data says so", () => {
  const { plan, snap } = chart(chat("scatter of pm25 vs pm10"));
  assert.match(
    interpretChart(plan.spec, snap),
    /correlation r = 0\.\d+, strong/,
  );
  const empty: Snapshot = {
    columns: [{ name: "x", type: "string" }],
    rows: [],
  };
  assert.match(interpretChart(plan.spec, empty), /No data/);
  assert.match(interpretChart(plan.spec, empty, "es"), /Ningún dato/);
});

Deno.test("planner: a request whose words show no language answers in the conversation's", () => {
  const cases: [string, "en" | "es" | "pt" | undefined, string][] = [
    ["pm25 Kampala", "es", "es"],
    ["histograma pm25", "pt", "pt"],
    ["pm25 Kampala", undefined, "en"],
    // Words of a language win over the conversation's.
    ["line chart of pm25 by date for Kampala", "es", "en"],
    ["gráfico de linhas de pm25 por data em Kampala", "es", "pt"],
  ];
  for (const [text, lang, expected] of cases) {
    const plan = planRequest(text, { datasets: profiles, lang });
    assert.equal(plan.lang, expected, `${text} (${lang})`);
  }
  const plan = planRequest("pm25 Kampala", { datasets: profiles, lang: "es" });
  assert.equal(plan.kind, "chart");
  assert.match((plan as ChartPlan).reply, /^Aquí tienes/);
});

Deno.test("planner: 'by decade' draws decades, summed from the rows, over dates or a column of years", () => {
  const dates: Table = {
    columns: [
      { name: "release_date", type: "date" },
      { name: "title", type: "text" },
      { name: "gross", type: "number" },
    ],
    rows: Array.from({ length: 45 }, (_, i) => [
      `${1968 + i}-06-01`,
      `film ${i}`,
      10 + (i % 7),
    ]),
  };
  const years: Table = {
    columns: [
      { name: "year", type: "integer" },
      { name: "score", type: "number" },
    ],
    rows: Array.from({ length: 30 }, (_, i) => [1985 + i, i]),
  };
  const expected = (rows: [number, number][], avg = false) => {
    const groups = new Map<string, number[]>();
    for (const [year, value] of rows) {
      const decade = `${Math.floor(year / 10) * 10}s`;
      groups.set(decade, [...groups.get(decade) ?? [], value]);
    }
    return [...groups].map(([d, vs]) => [
      d,
      vs.reduce((a, b) => a + b, 0) / (avg ? vs.length : 1),
    ]);
  };
  const cases: [Table, string, string, [number, number][], boolean][] = [
    [
      dates,
      "films.csv",
      "total gross by decade",
      dates.rows.map((r) => [
        Number(String(r[0]).slice(0, 4)),
        r[2] as number,
      ]),
      false,
    ],
    [
      dates,
      "films.csv",
      "gross por década de lanzamiento",
      dates.rows.map((
        r,
      ) => [Number(String(r[0]).slice(0, 4)), r[2] as number]),
      false,
    ],
    [
      years,
      "scores.csv",
      "average score per decade",
      years.rows.map((r) => [r[0], r[1]] as [number, number]),
      true,
    ],
  ];
  for (const [table, name, request, rows, avg] of cases) {
    const profile = profileTable(`upload:${name}`, name, table);
    const plan = planRequest(request, { datasets: [profile, ...profiles] });
    assert.equal(plan.kind, "chart", request);
    const chartPlan = plan as ChartPlan;
    assert.equal(chartPlan.datasetId, `upload:${name}`, request);
    assert.equal(
      chartPlan.query.x.kind === "time" && chartPlan.query.x.bucket,
      "decade",
      request,
    );
    for (const literal of chartPlan.sql.match(/'[^']*'/g) ?? []) {
      assert.ok(ALLOWED_LITERALS.has(literal), `${literal} in ${request}`);
    }
    const result = runQuery(
      { id: chartPlan.datasetId, table },
      chartPlan.sql,
      chartPlan.params,
    );
    const snap = toSnapshot(chartPlan, result);
    assert.deepEqual(
      snap.rows.map((r) => [r[0], r[1]]),
      expected(rows, avg),
      request,
    );
  }
});

Deno.test("planner: a month of the year, day of the week or hour of the day draws that cycle, named in the reply's language", () => {
  // 2024-01-01 was a Monday; one row every 7 hours for 60 days.
  const start = Date.UTC(2024, 0, 1);
  const stamps = Array.from(
    { length: 206 },
    (_, i) => new Date(start + i * 7 * 3_600_000),
  );
  const table: Table = {
    columns: [
      { name: "departed", type: "datetime" },
      { name: "delay", type: "number" },
    ],
    rows: stamps.map((d, i) => [d.toISOString().slice(0, 19), i % 11]),
  };
  const profile = profileTable("upload:flights.csv", "flights.csv", table);
  const tally = (key: (d: Date) => number) => {
    const counts = new Map<number, number>();
    for (const d of stamps) counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
    return [...counts].sort((a, b) => a[0] - b[0]);
  };
  const cases: [string, string, [string, number][]][] = [
    [
      "number of flights by day of the week",
      "weekday",
      tally((d) => (d.getUTCDay() + 6) % 7).map((
        [k, n],
      ) => [["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][k], n]),
    ],
    [
      "cantidad de vuelos por día de la semana",
      "weekday",
      tally((d) => (d.getUTCDay() + 6) % 7).map((
        [k, n],
      ) => [["lun", "mar", "mié", "jue", "vie", "sáb", "dom"][k], n]),
    ],
    [
      "count of flights per month of the year",
      "month_of_year",
      tally((d) => d.getUTCMonth()).map((
        [k, n],
      ) => [["Jan", "Feb", "Mar"][k], n]),
    ],
    [
      "quantidade de voos por hora do dia",
      "hour_of_day",
      tally((d) => d.getUTCHours()).map((
        [k, n],
      ) => [`${String(k).padStart(2, "0")}:00`, n]),
    ],
  ];
  for (const [request, bucket, expected] of cases) {
    const plan = planRequest(request, { datasets: [profile, ...profiles] });
    assert.equal(plan.kind, "chart", request);
    const chartPlan = plan as ChartPlan;
    assert.equal(
      chartPlan.query.x.kind === "time" && chartPlan.query.x.bucket,
      bucket,
      request,
    );
    for (const literal of chartPlan.sql.match(/'[^']*'/g) ?? []) {
      assert.ok(ALLOWED_LITERALS.has(literal), `${literal} in ${request}`);
    }
    const snap = toSnapshot(
      chartPlan,
      runQuery(
        { id: chartPlan.datasetId, table },
        chartPlan.sql,
        chartPlan.params,
      ),
    );
    assert.deepEqual(snap.rows.map((r) => [r[0], r[1]]), expected, request);
    assert.equal(snap.columns[0].type, "string", request);
  }
  // A date without hours has no hour of the day: drawn by its own grain.
  const days = profileTable("upload:days.csv", "days.csv", {
    columns: [{ name: "day", type: "date" }, { name: "n", type: "number" }],
    rows: Array.from(
      { length: 30 },
      (_, i) => [`2024-01-${String(i + 1).padStart(2, "0")}`, i],
    ),
  });
  const daily = planRequest("total n by hour of the day", { datasets: [days] });
  assert.equal(
    daily.kind === "chart" && daily.query.x.kind === "time" &&
      daily.query.x.bucket,
    "day",
  );
});

Deno.test("planner: words Spanish and Portuguese share do not decide between them", () => {
  const cases: [string, "es" | "pt"][] = [
    ["total de mortes por tipo desde 2024", "pt"],
    ["total de muertes por tipo desde 2024", "es"],
    ["média de pm25 por cidade desde 2024", "pt"],
    ["media de pm25 por ciudad desde 2024", "es"],
    // The "á" of "máxima" is in both; a word-final one ("más") is Spanish.
    ["temperatura máxima média por dia da semana", "pt"],
    ["pm25 máxima por ciudad, más alta primero", "es"],
  ];
  for (const [text, expected] of cases) {
    const plan = planRequest(text, { datasets: profiles });
    assert.equal(plan.lang, expected, text);
  }
});
