/**
 * The judging rules of the assistant evaluation (`../shared/eval/README.md`):
 * what a case expects, and whether what came back over the API meets it.
 * Pure functions over plain data, so a unit test can check the rules alone.
 */

/** One evaluation case, one line of a `cases*.jsonl` file. */
export interface EvalCase {
  id: string;
  lang: string;
  files: string[];
  turns: string[];
  expect: {
    kind: "chart" | "download" | "clarify";
    type?: string;
    types?: string[];
    x?: string[] | null;
    series?: Record<string, (number | null)[] | [number, number][]>;
    version?: number;
    format?: string;
    options?: string[];
  };
}

/** What the last turn of a case produced, as read back through the API. */
export interface TurnOutcome {
  /** The chart the turn made or re-versioned, with its data snapshot. */
  chart?: {
    artifactId: string;
    version: number;
    type: string;
    x: string;
    series: string[];
    group?: string;
    columns: { name: string; type: string }[];
    rows: (string | number | null)[][];
  };
  /** The chart the turn before made or re-versioned (refinement cases). */
  previousArtifactId?: string;
  download?: { format: string; status: number; bytes: number };
  options?: string[];
  /** The assistant's whole reply text. */
  reply: string;
  errors: string[];
}

/** The request asks for an order (top-N, sorted, "lowest first"), so category order is judged. */
export function asksForOrder(text: string): boolean {
  return /\b(top|bottom|sort|sorted|order|ordered|orden|ordem|ordenad\w*|descend\w*|ascend\w*|decrescente|crescente|decreciente|creciente|highest|lowest|most|least|m[aá]s|mais|mayor\w*|maior\w*|menor\w*|mejor\w*|melhor\w*|rank\w*|first|primer\w*|primeir\w*)\b/i
    .test(text);
}

/** The kind of request a case is, for the per-kind accuracy table. */
export function kindOf(c: EvalCase): string {
  const e = c.expect;
  if (e.kind !== "chart") return e.kind;
  if (e.version === 2) return "refine";
  if (e.x === null) return "scatter";
  if (e.type === "pie") return "pie";
  const time = (e.x ?? []).every((x) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(x));
  if (Object.keys(e.series ?? {}).length > 1) return "split";
  return time ? "time" : "category";
}

function close(actual: number | null, expected: number | null): boolean {
  if (expected === null || actual === null) return actual === expected;
  const diff = Math.abs(actual - expected);
  return diff <= 0.01 || diff <= 1e-6 * Math.abs(expected);
}

function asNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `2000-01-01` names the period `2000-01` (a finer label of the same period counts). */
function sameLabel(actual: string, expected: string): boolean {
  return actual === expected ||
    (actual.startsWith(expected) && actual[expected.length] === "-");
}

const TIME_LABEL = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** Returns why a case failed, or null when it passed. */
export function judge(c: EvalCase, got: TurnOutcome): string | null {
  const e = c.expect;
  switch (e.kind) {
    case "download": {
      if (!got.download) return `no download (reply: ${brief(got.reply)})`;
      if (got.download.format !== e.format) {
        return `download format ${got.download.format}, expected ${e.format}`;
      }
      if (got.download.status !== 200 || got.download.bytes === 0) {
        return `download URL answered ${got.download.status} with ${got.download.bytes} bytes`;
      }
      return null;
    }
    case "clarify": {
      if (got.chart) {
        return `made a ${got.chart.type} chart instead of asking`;
      }
      if (!got.options) return `no question (reply: ${brief(got.reply)})`;
      const missing = (e.options ?? []).filter((o) =>
        !got.options!.includes(o)
      );
      return missing.length
        ? `options ${JSON.stringify(got.options)} lack ${
          JSON.stringify(missing)
        }`
        : null;
    }
    case "chart":
      return judgeChart(c, got);
  }
}

function brief(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 140 ? one.slice(0, 139) + "…" : one;
}

function judgeChart(c: EvalCase, got: TurnOutcome): string | null {
  const e = c.expect;
  const chart = got.chart;
  if (!chart) {
    const what = got.options
      ? `a question ${JSON.stringify(got.options.slice(0, 4))}`
      : got.download
      ? "a download"
      : `text: ${brief(got.reply)}`;
    return `no chart; got ${what}${
      got.errors.length ? ` (errors: ${got.errors.join("; ")})` : ""
    }`;
  }
  const types = e.types ?? [e.type!];
  if (!types.includes(chart.type)) {
    return `type ${chart.type}, expected ${types.join(" or ")}`;
  }
  if (e.version === 2) {
    if (
      chart.version !== 2 || chart.artifactId !== got.previousArtifactId
    ) {
      return `expected version 2 of the previous chart, got version ${chart.version} of ${
        chart.artifactId === got.previousArtifactId ? "it" : "a new chart"
      }`;
    }
  }
  const col = (name: string) => chart.columns.findIndex((k) => k.name === name);
  const expected = Object.entries(e.series ?? {});

  if (e.x === null) return judgeScatter(chart, expected, col);

  const xi = col(chart.x);
  if (xi < 0) return `snapshot lacks its x column ${chart.x}`;
  const wantX = e.x!;
  const isTime = wantX.every((x) => TIME_LABEL.test(x));
  // Series columns to compare, paired with the expected series.
  let pairs: [string, number][];
  if (expected.length === 1) {
    if (chart.series.length !== 1) {
      return `expected one series, got ${chart.series.length}: ${
        chart.series.slice(0, 6).join(", ")
      }`;
    }
    pairs = [[expected[0][0], col(chart.series[0])]];
  } else {
    const gotNames = [...chart.series].sort();
    const wantNames = expected.map(([n]) => n).sort();
    if (JSON.stringify(gotNames) !== JSON.stringify(wantNames)) {
      return `series ${JSON.stringify(gotNames.slice(0, 8))}, expected ${
        JSON.stringify(wantNames)
      }`;
    }
    pairs = expected.map(([n]) => [n, col(n)]);
  }
  const xs = chart.rows.map((row) => row[xi] === null ? "" : String(row[xi]));
  const valueAt = (row: number, ci: number) => asNumber(chart.rows[row][ci]);

  if (isTime) {
    // A label whose every series is missing is no point: drop those on both sides.
    const wantKeep = wantX.map((_, i) =>
      pairs.some(([n]) => (e.series![n] as (number | null)[])[i] !== null)
    );
    const gotKeep = xs.map((_, r) =>
      pairs.some(([, ci]) => valueAt(r, ci) !== null)
    );
    const wantLabels = wantX.filter((_, i) => wantKeep[i]);
    const gotRows = xs.map((_, r) => r).filter((r) => gotKeep[r]);
    if (gotRows.length !== wantLabels.length) {
      return `${gotRows.length} time points, expected ${wantLabels.length} (got ${
        xs.slice(0, 3).join(", ")
      }…; expected ${wantLabels.slice(0, 3).join(", ")}…)`;
    }
    for (let k = 0; k < wantLabels.length; k++) {
      const r = gotRows[k];
      if (!sameLabel(xs[r], wantLabels[k])) {
        return `time label ${xs[r]} where ${wantLabels[k]} was expected`;
      }
      const wi = wantX.indexOf(wantLabels[k]);
      for (const [name, ci] of pairs) {
        const want = (e.series![name] as (number | null)[])[wi];
        const v = valueAt(r, ci);
        if (!close(v, want)) {
          return `${name} at ${wantLabels[k]}: ${v}, expected ${want}`;
        }
      }
    }
    return null;
  }

  // Categorical x: a mapping x → value.
  const gotSet = [...xs].sort();
  const wantSet = [...wantX].sort();
  if (JSON.stringify(gotSet) !== JSON.stringify(wantSet)) {
    return `categories ${JSON.stringify(xs.slice(0, 12))}, expected ${
      JSON.stringify(wantX.slice(0, 12))
    }`;
  }
  for (const [name, ci] of pairs) {
    const want = e.series![name] as (number | null)[];
    for (let i = 0; i < wantX.length; i++) {
      const v = valueAt(xs.indexOf(wantX[i]), ci);
      if (!close(v, want[i])) {
        return `${name} at ${wantX[i]}: ${v}, expected ${want[i]}`;
      }
    }
  }
  if (asksForOrder(c.turns.join(" "))) {
    const values = e.series![pairs[0][0]] as (number | null)[];
    for (let i = 0; i < wantX.length; i++) {
      for (let j = i + 1; j < wantX.length; j++) {
        if (values[i] === values[j]) continue;
        if (xs.indexOf(wantX[i]) > xs.indexOf(wantX[j])) {
          return `order: ${wantX[i]} should come before ${wantX[j]}; got ${
            JSON.stringify(xs)
          }`;
        }
      }
    }
  }
  return null;
}

function judgeScatter(
  chart: NonNullable<TurnOutcome["chart"]>,
  expected: [string, (number | null)[] | [number, number][]][],
  col: (name: string) => number,
): string | null {
  if (chart.type !== "scatter") return `type ${chart.type}, expected scatter`;
  const xi = col(chart.x);
  const yi = col(chart.series[0]);
  const gi = chart.group ? col(chart.group) : -1;
  const groups = new Map<string, [number, number][]>();
  for (const row of chart.rows) {
    const x = asNumber(row[xi]);
    const y = asNumber(row[yi]);
    if (x === null || y === null) continue;
    const key = expected.length === 1 ? expected[0][0] : String(row[gi]);
    const list = groups.get(key) ?? [];
    list.push([x, y]);
    groups.set(key, list);
  }
  const order = (a: [number, number], b: [number, number]) =>
    a[0] - b[0] || a[1] - b[1];
  for (const [name, raw] of expected) {
    const want = (raw as [number, number][]).filter((p) =>
      p[0] !== null && p[1] !== null
    );
    const got = (groups.get(name) ?? []).slice();
    if (got.length !== want.length) {
      return `series ${name}: ${got.length} points, expected ${want.length}`;
    }
    const matches = (points: [number, number][]) => {
      const a = points.slice().sort(order);
      const b = want.slice().sort(order);
      return a.every((p, i) => close(p[0], b[i][0]) && close(p[1], b[i][1]));
    };
    // "A vs B" may put either column on x.
    if (!matches(got) && !matches(got.map(([x, y]) => [y, x]))) {
      return `series ${name}: the points differ from the expected ones`;
    }
  }
  return null;
}
