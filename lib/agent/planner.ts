/**
 * The built-in planner: no network, no model. It reads a request in English,
 * Spanish or Portuguese against the session's dataset profiles (their own
 * column names and text values), and answers with a plan: a chart (a
 * structured `ChartQuery`, its SQL and its spec), a new version of the current
 * chart, a download of it, a clarifying question, or help.
 *
 * Generated SQL only ever holds quoted identifiers taken from the profile and
 * `?` placeholders; every value, including those the user typed, travels as a
 * parameter.
 */
import type { ChartSpec, ChartType, Column, Snapshot } from "../charts/spec.ts";
import type { ColumnProfile, DatasetProfile } from "../data/table.ts";
import { type QueryResult, quoteIdent } from "../data/query.ts";
import * as W from "./words.ts";
import { planWorkflow } from "./workflow_plan.ts";
import type { WorkflowRequest } from "../workflows/schema.ts";
import {
  type Agg,
  type Bucket,
  compact,
  conceptsOf,
  identifierWords,
  type Lang,
  singulars,
  tokenize,
} from "./words.ts";

export type { Agg, Bucket, Lang };

/** One aggregated value per x: `column: null` with `agg: "count"` counts rows. */
export interface Measure {
  column: string | null;
  agg: Agg;
  /** Count distinct values of `column` instead of non-null ones. */
  distinct?: boolean;
  /** Output column (and series) name. */
  name: string;
}

export type XAxis =
  | { kind: "time"; column: string; bucket: Bucket; name: string }
  | { kind: "category"; column: string; name: string }
  /** Scatter: raw values of a numeric column; the y column is `measures[0]`. */
  | { kind: "value"; column: string; name: string };

export type Filter =
  | { column: string; op: "in" | "not_in"; values: (string | number)[] }
  | {
    column: string;
    op: "range";
    /** Inclusive lower bound, an ISO date. */
    gte?: string;
    /** Exclusive upper bound, an ISO date. */
    lt?: string;
    label: string;
  };

/** One series per value of `column` (scatter: the point groups; `values` may be empty = all). */
export interface Split {
  column: string;
  values: string[];
}

/** A JSON-serialisable description of a chart's data, turned into SQL by `buildSql`. */
export interface ChartQuery {
  datasetId: string;
  chartType: ChartType;
  measures: Measure[];
  x: XAxis;
  split: Split | null;
  filters: Filter[];
  sort: { by: "value" | "x"; dir: "asc" | "desc" } | null;
  limit: number | null;
  stacked?: boolean;
  horizontal?: boolean;
  lang: Lang;
}

export type Plan =
  | {
    kind: "chart";
    datasetId: string;
    query: ChartQuery;
    sql: string;
    params: (string | number)[];
    spec: ChartSpec;
    /** The artifact this plan is a new version of. */
    refines?: string;
    reply: string;
  }
  | { kind: "download"; format: string; reply: string }
  /** A transformation of a session dataset, run as a workflow job. */
  | { kind: "workflow"; request: WorkflowRequest; reply: string }
  | { kind: "clarify"; question: string; options: string[] }
  | { kind: "help"; reply: string };

export type ChartPlan = Extract<Plan, { kind: "chart" }>;

export interface PlanContext {
  datasets: DatasetProfile[];
  current?: { artifactId: string; query: ChartQuery; spec: ChartSpec } | null;
}

// ---------------------------------------------------------------------------
// Vocabulary lookups

const TYPE_OF = new Map<string, ChartType>();
for (const [type, words] of Object.entries(W.CHART_TYPE_WORDS)) {
  for (const word of words) TYPE_OF.set(word, type as ChartType);
}
/** Type words that are ordinary words too: they need a chart noun or "de/em" next to them. */
const WEAK_TYPE_WORDS = new Set(
  "area areas column columns columna columnas coluna colunas circular sectores setores correlation correlacion correlacao relation relacion relacao"
    .split(" "),
);
const AGG_OF = new Map<string, Agg>();
for (const [agg, words] of Object.entries(W.AGG_WORDS)) {
  for (const word of words) AGG_OF.set(word, agg as Agg);
}
const BUCKET_OF = new Map<string, Bucket>();
for (const [bucket, words] of Object.entries(W.BUCKET_WORDS)) {
  for (const word of words) BUCKET_OF.set(word, bucket as Bucket);
}
const UNIT_EXCLUDED = new Set(["date", "dates", "fecha", "fechas"]);
const SUPERLATIVE_DESC = new Set(
  "most highest largest biggest greatest best mas mais mayores maiores mejores melhores"
    .split(" "),
);
const SUPERLATIVE_ASC = new Set(
  "least fewest lowest smallest worst menos menores peores piores".split(" "),
);
const ONWARDS = new Set([
  "onwards",
  "onward",
  "forward",
  "later",
  "adelante",
  "diante",
]);
const RANGE_JOIN = new Set([
  "to",
  "a",
  "y",
  "e",
  "and",
  "hasta",
  "ate",
  "until",
  "through",
]);
const TYPE_PREPOSITIONS = new Set([
  "de",
  "em",
  "en",
  "como",
  "to",
  "into",
  "as",
  "an",
  "a",
]);
const BUCKET_ORDER: Bucket[] = ["day", "week", "month", "quarter", "year"];

const KEYWORDS = new Set<string>([
  ...W.STOPWORDS,
  ...W.CHART_NOUNS,
  ...TYPE_OF.keys(),
  ...W.VERSUS,
  ...AGG_OF.keys(),
  ...BUCKET_OF.keys(),
  ...W.WINDOW_WORDS,
  ...W.THIS_WORDS,
  ...Object.keys(W.NUMBER_WORDS),
  ...W.TOP_WORDS,
  ...W.BOTTOM_WORDS,
  ...W.SORT_WORDS,
  ...W.ALPHA_WORDS,
  ...W.NEGATION_WORDS,
  ...W.INSTEAD_WORDS,
  ...W.STACKED_WORDS,
  ...W.HORIZONTAL_WORDS,
  ...W.EXPORT_WORDS,
  ...Object.keys(W.FORMAT_WORDS),
  ...W.ONLY_WORDS,
  ...W.ADD_WORDS,
  ...W.SINCE_WORDS,
  ...W.UNTIL_WORDS,
  ...[...W.SORT_DESC_PHRASES, ...W.SORT_ASC_PHRASES, ...W.TIME_PHRASES].flat(),
]);

// ---------------------------------------------------------------------------
// Reading the request: intents that do not depend on column names

interface Intents {
  used: boolean[];
  chartType?: ChartType;
  agg?: Agg;
  /** Every aggregation word, in order: one may only echo a column's name ("temperatura máxima"). */
  aggs: { agg: Agg; pos: number }[];
  bucket?: Bucket;
  timeSignal: boolean;
  window?: { n: number; unit: Bucket };
  years: { from?: number; to?: number }[];
  monthYears: { y: number; m: number }[];
  top?: { n: number; dir: "asc" | "desc" };
  superlative?: "asc" | "desc";
  sort?: { by: "value" | "x"; dir: "asc" | "desc" };
  versus: boolean;
  stacked: boolean;
  horizontal: boolean;
  instead: boolean;
  only: boolean;
  add: boolean;
  negations: number[];
}

function numberAt(toks: string[], i: number): number | null {
  const t = toks[i];
  if (t === undefined) return null;
  if (/^\d{1,4}$/.test(t)) return Number(t);
  return W.NUMBER_WORDS[t] ?? null;
}

function isYear(t: string | undefined): boolean {
  return t !== undefined && /^(19|20)\d\d$/.test(t);
}

function readIntents(
  toks: string[],
  isProtected: (i: number) => boolean,
): Intents {
  const n = toks.length;
  const used = new Array<boolean>(n).fill(false);
  const free = (i: number) => i >= 0 && i < n && !used[i];
  const mark = (i: number, len = 1) => {
    for (let k = i; k < i + len; k++) used[k] = true;
  };
  const phraseAt = (i: number, p: string[]) =>
    i + p.length <= n && p.every((x, k) => toks[i + k] === x && !used[i + k]);
  const intents: Intents = {
    used,
    timeSignal: false,
    aggs: [],
    years: [],
    monthYears: [],
    versus: false,
    stacked: false,
    horizontal: false,
    instead: false,
    only: false,
    add: false,
    negations: [],
  };
  const unitAt = (i: number): Bucket | undefined =>
    free(i) && !UNIT_EXCLUDED.has(toks[i]) ? BUCKET_OF.get(toks[i]) : undefined;

  // Relative windows: "last 3 months", "últimos 6 meses", "3 últimos meses", "this year".
  for (let i = 0; i < n; i++) {
    if (!free(i)) continue;
    if (W.WINDOW_WORDS.has(toks[i])) {
      const num = numberAt(toks, i + 1);
      const unitPos = num !== null && !isYear(toks[i + 1]) ? i + 2 : i + 1;
      const unit = unitAt(unitPos);
      if (unit) {
        const before = numberAt(toks, i - 1);
        const count = unitPos === i + 2 ? num! : before ?? 1;
        intents.window = { n: Math.max(1, Math.min(count, 1000)), unit };
        mark(i, unitPos - i + 1);
        if (unitPos === i + 1 && before !== null && free(i - 1)) mark(i - 1);
      }
    } else if (W.THIS_WORDS.has(toks[i]) && unitAt(i + 1)) {
      intents.window = { n: 1, unit: unitAt(i + 1)! };
      mark(i, 2);
    }
  }

  // Years: "2025", "since 2023", "2023 to 2024", "entre 2023 y 2024", "March 2025".
  for (let i = 0; i < n; i++) {
    if (!free(i) || !isYear(toks[i])) continue;
    const y = Number(toks[i]);
    const monthWord = W.MONTH_NAMES[toks[i - 1]]
      ? i - 1
      : (["de", "of", "do"].includes(toks[i - 1]) &&
          W.MONTH_NAMES[toks[i - 2]])
      ? i - 2
      : -1;
    if (monthWord >= 0 && free(monthWord)) {
      intents.monthYears.push({ y, m: W.MONTH_NAMES[toks[monthWord]] });
      mark(monthWord, i - monthWord + 1);
      continue;
    }
    if (RANGE_JOIN.has(toks[i + 1]) && isYear(toks[i + 2]) && free(i + 2)) {
      const y2 = Number(toks[i + 2]);
      intents.years.push({ from: Math.min(y, y2), to: Math.max(y, y2) });
      mark(i, 3);
      if (
        ["between", "entre", "from", "desde", "de"].includes(toks[i - 1]) &&
        free(i - 1)
      ) {
        mark(i - 1);
      }
      continue;
    }
    const prev = toks[i - 1];
    const onwards = ONWARDS.has(toks[i + 1] ?? "")
      ? 1
      : ["en", "em", "and", "or"].includes(toks[i + 1] ?? "") &&
          ONWARDS.has(toks[i + 2] ?? "")
      ? 2
      : 0;
    if (onwards) {
      intents.years.push({ from: y });
      mark(i, onwards + 1);
    } else if (prev !== undefined && free(i - 1) && W.SINCE_WORDS.has(prev)) {
      intents.years.push({ from: prev === "after" ? y + 1 : y });
      mark(i - 1, 2);
    } else if (prev === "de" && toks[i - 2] === "partir") {
      intents.years.push({ from: y });
      mark(i - 2, 3);
      if (toks[i - 3] === "a") mark(i - 3);
    } else if (prev !== undefined && free(i - 1) && W.UNTIL_WORDS.has(prev)) {
      intents.years.push({
        to: prev === "before" || prev === "antes" ? y - 1 : y,
      });
      mark(i - 1, 2);
    } else {
      intents.years.push({ from: y, to: y });
      mark(i);
    }
  }

  // Sort order.
  for (let i = 0; i < n; i++) {
    for (const p of W.SORT_DESC_PHRASES) {
      if (phraseAt(i, p)) {
        intents.sort = { by: "value", dir: "desc" };
        mark(i, p.length);
      }
    }
    for (const p of W.SORT_ASC_PHRASES) {
      if (phraseAt(i, p)) {
        intents.sort = { by: "value", dir: "asc" };
        mark(i, p.length);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (!free(i) || isProtected(i)) continue;
    if (W.ALPHA_WORDS.has(toks[i])) {
      intents.sort = { by: "x", dir: "asc" };
      mark(i);
    } else if (W.SORT_WORDS.has(toks[i])) {
      intents.sort ??= { by: "value", dir: "desc" };
      mark(i);
      if (toks[i + 1] === "by" || toks[i + 1] === "por") mark(i + 1);
    }
  }

  // Top-N: "top 5", "5 highest", "los 3 … con más", "bottom 3".
  const dirOf = (t: string | undefined): "asc" | "desc" | undefined =>
    t === undefined
      ? undefined
      : W.TOP_WORDS.has(t)
      ? "desc"
      : W.BOTTOM_WORDS.has(t)
      ? "asc"
      : undefined;
  for (let i = 0; i < n; i++) {
    if (!free(i) || isYear(toks[i]) || isProtected(i)) continue;
    const num = numberAt(toks, i);
    if (num === null || num < 1 || num > 1000) continue;
    let dir = free(i - 1) ? dirOf(toks[i - 1]) : undefined;
    let at = i - 1;
    if (!dir && free(i + 1)) {
      dir = dirOf(toks[i + 1]);
      at = i + 1;
    }
    if (!dir) {
      at = toks.findIndex((t, k) =>
        free(k) && k !== i &&
        (SUPERLATIVE_DESC.has(t) || SUPERLATIVE_ASC.has(t))
      );
      dir = at >= 0
        ? dirOf(toks[at]) ?? (SUPERLATIVE_ASC.has(toks[at]) ? "asc" : "desc")
        : undefined;
      if (
        !dir && free(i - 1) && W.ARTICLES.has(toks[i - 1]) &&
        /^\d+$/.test(toks[i])
      ) {
        dir = "desc";
        at = -1;
      }
    }
    if (!dir) continue;
    intents.top = { n: num, dir };
    mark(i);
    if (at >= 0) mark(at);
    break;
  }
  for (let i = 0; i < n; i++) {
    if (!free(i) || isProtected(i)) continue;
    if (SUPERLATIVE_DESC.has(toks[i]) || SUPERLATIVE_ASC.has(toks[i])) {
      intents.superlative = SUPERLATIVE_ASC.has(toks[i]) ? "asc" : "desc";
      mark(i);
    }
  }

  // Time phrases.
  for (let i = 0; i < n; i++) {
    for (const p of W.TIME_PHRASES) {
      if (phraseAt(i, p)) {
        intents.timeSignal = true;
        mark(i, p.length);
      }
    }
  }

  // Chart types and nouns.
  const nounNear = (i: number) =>
    W.CHART_NOUNS.has(toks[i - 1] ?? "") ||
    W.CHART_NOUNS.has(toks[i + 1] ?? "") ||
    (W.CHART_NOUNS.has(toks[i - 2] ?? "") && toks[i - 1] === "de");
  for (let i = 0; i < n; i++) {
    if (!free(i)) continue;
    const t = toks[i];
    const type = TYPE_OF.get(t);
    if (type) {
      const strong = nounNear(i) || W.STACKED_WORDS.has(toks[i - 1] ?? "") ||
        W.STACKED_WORDS.has(toks[i + 1] ?? "") ||
        (TYPE_PREPOSITIONS.has(toks[i - 1] ?? "") &&
          !((t === "area" || t === "areas") &&
            ["de", "a"].includes(toks[i - 1])));
      if ((WEAK_TYPE_WORDS.has(t) || isProtected(i)) && !strong) continue;
      intents.chartType = type;
      mark(i);
    } else if (W.VERSUS.has(t)) {
      intents.versus = true;
      mark(i);
    } else if (W.CHART_NOUNS.has(t)) {
      mark(i);
    }
  }

  // Aggregations.
  for (let i = 0; i < n; i++) {
    for (const [p, agg] of W.AGG_PHRASES) {
      if (phraseAt(i, p)) {
        intents.agg ??= agg;
        intents.aggs.push({ agg, pos: i });
        mark(i, p.length);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (!free(i) || isProtected(i)) continue;
    const agg = AGG_OF.get(toks[i]);
    if (agg) {
      intents.agg ??= agg;
      intents.aggs.push({ agg, pos: i });
      mark(i);
    }
  }

  // Time buckets: "monthly", "por mes", "by date"; "por data" is Portuguese for "by date".
  for (let i = 0; i < n; i++) {
    if (!free(i) || isProtected(i)) continue;
    const t = toks[i];
    const bucket = BUCKET_OF.get(t) ??
      (t === "data" && W.BY_WORDS.has(toks[i - 1] ?? "") ? "day" : undefined);
    if (bucket) {
      intents.bucket ??= bucket;
      mark(i);
    }
  }

  // Modifiers.
  for (let i = 0; i < n; i++) {
    if (!free(i) || isProtected(i)) continue;
    const t = toks[i];
    if (W.STACKED_WORDS.has(t)) intents.stacked = true;
    else if (W.HORIZONTAL_WORDS.has(t)) intents.horizontal = true;
    else if (W.INSTEAD_WORDS.has(t)) intents.instead = true;
    else if (W.ONLY_WORDS.has(t)) intents.only = true;
    else if (W.ADD_WORDS.has(t)) intents.add = true;
    else if (W.NEGATION_WORDS.has(t)) intents.negations.push(i);
    else continue;
    mark(i);
  }
  return intents;
}

function detectLang(text: string, toks: string[]): Lang {
  const score: Record<Lang, number> = { en: 0, es: 0, pt: 0 };
  for (const t of toks) {
    for (const lang of ["en", "es", "pt"] as const) {
      if (W.LANG_HINTS[lang].has(t)) score[lang]++;
    }
  }
  if (/[ãõç]/i.test(text)) score.pt += 3;
  if (/[ñ¿¡]/i.test(text)) score.es += 3;
  if (/ção|ções|ê|ô/i.test(text)) score.pt += 2;
  if (score.en >= score.es && score.en >= score.pt) return "en";
  return score.pt > score.es ? "pt" : "es";
}

function detectDownload(toks: string[]): { format: string | null } | null {
  let format: string | null = null;
  let exportWord = false;
  const other: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const phrase = W.FORMAT_PHRASES.find(([p]) =>
      p.every((x, k) => toks[i + k] === x)
    );
    if (phrase) {
      format ??= phrase[1];
      i += phrase[0].length - 1;
    } else if (W.FORMAT_WORDS[t]) format ??= W.FORMAT_WORDS[t];
    else if (W.EXPORT_WORDS.has(t)) exportWord = true;
    else if (!W.STOPWORDS.has(t) && !W.CHART_NOUNS.has(t)) other.push(t);
  }
  if (exportWord) return { format };
  // A bare format ("png", "as PNG", "en Excel") asks for a download too.
  if (format && other.length === 0) return { format };
  return null;
}

// ---------------------------------------------------------------------------
// Columns and values of a dataset

type Role = "time" | "measure" | "id" | "category";

interface ColWord {
  word: string;
  forms: Set<string>;
  concepts: Set<number>;
  generic: boolean;
}

interface ColFeat {
  col: ColumnProfile;
  compact: string;
  words: ColWord[];
  role: Role;
  values: Map<string, string>;
  fuzzyValues: [string, string][];
}

interface DatasetFeat {
  ds: DatasetProfile;
  cols: ColFeat[];
  nameWords: Set<string>;
  nameConcepts: Set<number>;
  idColumn: string | null;
}

const featCache = new WeakMap<DatasetProfile, DatasetFeat>();

function roleOf(col: ColumnProfile, words: string[]): Role {
  if (col.type === "date" || col.type === "datetime") return "time";
  if (
    words.includes("id") || words.includes("uuid") || words.includes("guid")
  ) {
    return "id";
  }
  if (col.type === "integer" || col.type === "number") {
    return col.type === "integer" &&
        words.some((w) => W.CATEGORICAL_NUMBER_WORDS.has(w))
      ? "category"
      : "measure";
  }
  return "category";
}

function datasetFeat(ds: DatasetProfile): DatasetFeat {
  const hit = featCache.get(ds);
  if (hit) return hit;
  const cols = ds.columns.map((col): ColFeat => {
    const words = identifierWords(col.name);
    const values = new Map<string, string>();
    const fuzzyValues: [string, string][] = [];
    for (const v of col.distinct ?? []) {
      const toks = tokenize(v);
      const key = toks.join(" ");
      if (
        key.length < 2 || /^\d+$/.test(key) ||
        (toks.length === 1 && KEYWORDS.has(key))
      ) continue;
      if (!values.has(key)) values.set(key, v);
      const c = compact(v);
      if (!values.has(c)) values.set(c, v);
      if (toks.length === 1 && key.length >= 5) fuzzyValues.push([key, v]);
    }
    return {
      col,
      compact: compact(col.name),
      words: words.map((word) => ({
        word,
        forms: new Set(singulars(word)),
        concepts: conceptsOf(word),
        generic: W.GENERIC_COLUMN_WORDS.has(word),
      })),
      role: roleOf(col, words),
      values,
      fuzzyValues,
    };
  });
  const ids = cols.filter((c) => c.role === "id");
  const unique = ids.find((c) => c.col.distinctCount === ds.rowCount);
  const nameWords = identifierWords(
    ds.name.replace(/\.(csv|tsv|txt|xlsx?|json)$/i, ""),
  );
  const feat: DatasetFeat = {
    ds,
    cols,
    nameWords: new Set(nameWords.flatMap(singulars)),
    nameConcepts: new Set(nameWords.flatMap((w) => [...conceptsOf(w)])),
    idColumn: (unique ?? ids[0])?.col.name ?? null,
  };
  featCache.set(ds, feat);
  return feat;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from(
    { length: a.length + 1 },
    (_, i) =>
      Array.from(
        { length: b.length + 1 },
        (_, j) => (i === 0 ? j : j === 0 ? i : 0),
      ),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** 3 exact (incl. plural), 2 same concept across languages, 1 a typo; 0 no match. */
function wordQuality(u: string, cw: ColWord): number {
  if (singulars(u).some((s) => cw.forms.has(s))) return 3;
  for (const c of conceptsOf(u)) if (cw.concepts.has(c)) return 2;
  if (!/\d/.test(u) && u.length >= 5 && cw.word.length >= 5) {
    const d = editDistance(u, cw.word);
    if (d <= (u.length >= 8 ? 2 : 1)) return 1;
  }
  return 0;
}

function scoreColumn(span: string[], f: ColFeat): number {
  const content = span.filter((t) => !W.STOPWORDS.has(t));
  // A column may be called "data" or "value": its exact name counts even if it is a common word.
  if (
    compact(span.join("")) === f.compact &&
    (content.length > 0 || f.compact.length >= 4)
  ) {
    return 3;
  }
  if (content.length === 0) return 0;
  if (W.STOPWORDS.has(span[0]) || W.STOPWORDS.has(span[span.length - 1])) {
    return 0;
  }
  const covered = new Set<number>();
  let worst = 3;
  for (const u of content) {
    let best = 0;
    let at = -1;
    f.words.forEach((cw, k) => {
      const q = wordQuality(u, cw);
      if (
        q > best || (q === best && q > 0 && !covered.has(k) && covered.has(at))
      ) {
        best = q;
        at = k;
      }
    });
    if (best === 0) {
      if (
        span.length !== 1 || KEYWORDS.has(u) || /^\d+$/.test(u) || u.length < 2
      ) return 0;
      if (f.compact.startsWith(u) && u.length / f.compact.length >= 0.4) {
        return 1;
      }
      if (u.length >= 3 && f.words.some((cw) => cw.word.startsWith(u))) {
        return 0.9;
      }
      return 0;
    }
    covered.add(at);
    worst = Math.min(worst, best);
  }
  const quality = worst === 3 ? 1 : worst === 2 ? 0.85 : 0.7;
  if (covered.size === f.words.length) return 3 * quality;
  const uncovered = f.words.filter((_, k) => !covered.has(k));
  const coveredGeneric = [...covered].every((k) => f.words[k].generic);
  if (coveredGeneric) return 0.8 * quality;
  if (uncovered.every((cw) => cw.generic)) return 2 * quality;
  return 1.4 * quality;
}

/**
 * Breaks ties between partial matches: "temperatura máxima" prefers Temp_Max
 * over Temp_Min because "máxima" echoes the rest of its name.
 */
function echoBonus(
  toks: string[],
  start: number,
  end: number,
  f: ColFeat,
): number {
  let bonus = 0;
  for (const cw of f.words) {
    if (
      toks.some((t, k) => (k < start || k >= end) && wordQuality(t, cw) >= 2)
    ) bonus += 0.05;
  }
  return bonus;
}

interface ColMention {
  feat: ColFeat;
  pos: number;
  end: number;
  score: number;
}
interface ValueMention {
  feat: ColFeat;
  value: string;
  pos: number;
  negated: boolean;
}
interface Matches {
  cols: ColMention[];
  values: ValueMention[];
  ambiguous: { pos: number; options: string[] }[];
  nameMention: boolean;
  /** Content words nothing claimed: no intent, column or value. */
  leftovers: string[];
  score: number;
}

interface Candidate {
  start: number;
  end: number;
  score: number;
  feat: ColFeat;
  value?: string;
}

function matchDataset(
  toks: string[],
  intents: Intents,
  df: DatasetFeat,
): Matches {
  const used = intents.used;
  const cands: Candidate[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (used[i]) continue;
    for (let len = 1; len <= 5 && i + len <= toks.length; len++) {
      if (used[i + len - 1]) break;
      const span = toks.slice(i, i + len);
      const key = span.join(" ");
      const comp = span.join("");
      for (const f of df.cols) {
        let s = scoreColumn(span, f);
        if (s > 0 && s < 3) s += echoBonus(toks, i, i + len, f);
        if (s > 0) cands.push({ start: i, end: i + len, score: s, feat: f });
        const v = f.values.get(key) ??
          (len > 1 ? f.values.get(comp) : undefined);
        if (v !== undefined) {
          cands.push({
            start: i,
            end: i + len,
            score: 3 + 0.01 * len,
            feat: f,
            value: v,
          });
        }
      }
      if (len === 1 && key.length >= 5 && !KEYWORDS.has(key)) {
        for (const f of df.cols) {
          for (const [vk, v] of f.fuzzyValues) {
            if (vk !== key && editDistance(vk, key) <= 1) {
              cands.push({
                start: i,
                end: i + 1,
                score: 1.8,
                feat: f,
                value: v,
              });
            }
          }
        }
      }
    }
  }
  cands.sort((a, b) =>
    b.score - a.score || (b.end - b.start) - (a.end - a.start) ||
    a.start - b.start ||
    (a.value === undefined ? -1 : 1) - (b.value === undefined ? -1 : 1)
  );
  const taken = new Array<boolean>(toks.length).fill(false);
  const out: Matches = {
    cols: [],
    values: [],
    ambiguous: [],
    nameMention: false,
    leftovers: [],
    score: 0,
  };
  for (const c of cands) {
    let free = true;
    for (let k = c.start; k < c.end; k++) if (taken[k]) free = false;
    if (!free) continue;
    for (let k = c.start; k < c.end; k++) taken[k] = true;
    out.score += c.score;
    if (c.value !== undefined) {
      const negated = intents.negations.some((p) =>
        p < c.start && c.start - p <= 2
      );
      out.values.push({ feat: c.feat, value: c.value, pos: c.start, negated });
      continue;
    }
    out.cols.push({ feat: c.feat, pos: c.start, end: c.end, score: c.score });
    if (c.score < 3) {
      const rivals = cands.filter((o) =>
        o !== c && o.value === undefined && o.start === c.start &&
        o.end === c.end &&
        o.score === c.score && o.feat !== c.feat
      );
      if (rivals.length) {
        out.ambiguous.push({
          pos: c.start,
          options: [c.feat.col.name, ...rivals.map((r) => r.feat.col.name)],
        });
      }
    }
  }
  for (let i = 0; i < toks.length; i++) {
    if (used[i] || taken[i]) continue;
    const t = toks[i];
    if (
      singulars(t).some((s) => df.nameWords.has(s)) ||
      [...conceptsOf(t)].some((c) => df.nameConcepts.has(c))
    ) {
      out.nameMention = true;
      out.score += 0.5;
    } else if (!KEYWORDS.has(t) && !/^\d+$/.test(t)) {
      out.leftovers.push(t);
    }
  }
  out.cols.sort((a, b) => a.pos - b.pos);
  out.values.sort((a, b) => a.pos - b.pos);
  return out;
}

interface Reading {
  df: DatasetFeat;
  toks: string[];
  intents: Intents;
  m: Matches;
}

const OF_WORDS = new Set(["de", "of", "do", "da", "dos", "das", "del"]);
const QUANTITY_WORDS = new Set([
  "cantidad",
  "cantidades",
  "quantidade",
  "quantidades",
]);

/**
 * Tokens that spell a column's whole name ("total", "temp max", "month") are
 * read as that column, not as a keyword. "cantidad"/"quantidade" name a
 * quantity column unless "de …" follows ("cantidad de clientes" is a count).
 */
function protectedTokens(toks: string[], df: DatasetFeat): Set<number> {
  const out = new Set<number>();
  const names = new Set(df.cols.map((c) => c.compact));
  for (let i = 0; i < toks.length; i++) {
    for (let len = 1; len <= 4 && i + len <= toks.length; len++) {
      if (names.has(toks.slice(i, i + len).join(""))) {
        for (let k = i; k < i + len; k++) out.add(k);
      }
    }
  }
  const quantityConcepts = conceptsOf("quantity");
  const hasQuantity = df.cols.some((c) =>
    c.role === "measure" &&
    c.words.some((w) => [...w.concepts].some((x) => quantityConcepts.has(x)))
  );
  toks.forEach((t, i) => {
    if (
      hasQuantity && QUANTITY_WORDS.has(t) && !OF_WORDS.has(toks[i + 1] ?? "")
    ) out.add(i);
  });
  return out;
}

function read(toks: string[], ds: DatasetProfile): Reading {
  const df = datasetFeat(ds);
  const locked = protectedTokens(toks, df);
  let intents = readIntents(toks, (i) => locked.has(i));
  let m = matchDataset(toks, intents, df);
  // "cantidad total": an aggregation word that is also a column name is the
  // aggregation when another measure is named.
  const aggColumns = m.cols.filter((c) =>
    c.feat.role === "measure" && c.end - c.pos === 1 &&
    AGG_OF.has(toks[c.pos]) &&
    c.feat.compact === toks[c.pos]
  );
  if (
    aggColumns.length &&
    m.cols.some((c) => c.feat.role === "measure" && !aggColumns.includes(c))
  ) {
    for (const c of aggColumns) locked.delete(c.pos);
    intents = readIntents(toks, (i) => locked.has(i));
    m = matchDataset(toks, intents, df);
  }
  return { df, toks, intents, m };
}

// ---------------------------------------------------------------------------
// Dates

function parseIso(iso: string): Date {
  return new Date(
    Date.UTC(
      +iso.slice(0, 4),
      +(iso.slice(5, 7) || 1) - 1,
      +(iso.slice(8, 10) || 1),
    ),
  );
}
function isoOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function addMonths(d: Date, months: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}
function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

function windowRange(
  maxIso: string,
  n: number,
  unit: Bucket,
): { gte: string; lt: string } {
  const max = parseIso(maxIso);
  const monthStart = new Date(
    Date.UTC(max.getUTCFullYear(), max.getUTCMonth(), 1),
  );
  switch (unit) {
    case "day":
      return { gte: isoOf(addDays(max, -(n - 1))), lt: isoOf(addDays(max, 1)) };
    case "week": {
      const monday = addDays(max, -((max.getUTCDay() + 6) % 7));
      return {
        gte: isoOf(addDays(monday, -7 * (n - 1))),
        lt: isoOf(addDays(monday, 7)),
      };
    }
    case "month":
      return {
        gte: isoOf(addMonths(monthStart, -(n - 1))),
        lt: isoOf(addMonths(monthStart, 1)),
      };
    case "quarter": {
      const q = addMonths(monthStart, -(max.getUTCMonth() % 3));
      return {
        gte: isoOf(addMonths(q, -3 * (n - 1))),
        lt: isoOf(addMonths(q, 3)),
      };
    }
    case "year": {
      const y = max.getUTCFullYear();
      return { gte: `${y - n + 1}-01-01`, lt: `${y + 1}-01-01` };
    }
  }
}

function periods(minIso: string, maxIso: string, bucket: Bucket): number {
  const a = parseIso(minIso);
  const b = parseIso(maxIso);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 +
    b.getUTCMonth() - a.getUTCMonth() + 1;
  const days = Math.round((b.getTime() - a.getTime()) / 86_400_000) + 1;
  switch (bucket) {
    case "day":
      return days;
    case "week":
      return Math.ceil(days / 7);
    case "month":
      return months;
    case "quarter":
      return Math.ceil(months / 3);
    case "year":
      return b.getUTCFullYear() - a.getUTCFullYear() + 1;
  }
}

function coarser(a: Bucket, b: Bucket): Bucket {
  return BUCKET_ORDER.indexOf(a) >= BUCKET_ORDER.indexOf(b) ? a : b;
}

// ---------------------------------------------------------------------------
// Phrasebook

const TEXT = {
  en: {
    agg: {
      avg: "Average",
      sum: "Total",
      count: "Count of",
      min: "Minimum",
      max: "Maximum",
      median: "Median",
    },
    by: "by",
    bucket: {
      day: "day",
      week: "week",
      month: "month",
      quarter: "quarter",
      year: "year",
    },
    type: {
      line: "a line chart",
      bar: "a bar chart",
      area: "an area chart",
      pie: "a pie chart",
      scatter: "a scatter plot",
      histogram: "a histogram",
      donut: "a donut chart",
      heatmap: "a heatmap",
    },
    here: "Here is",
    updated: "Updated the chart, now",
    last: (n: number, unit: string) =>
      `last ${n === 1 ? "" : `${n} `}${unit}${n === 1 ? "" : "s"}`,
    since: "since",
    until: "until",
    except: "excluding",
    top: "top",
    bottom: (n: number) => `bottom ${n}`,
    download: (f: string) =>
      `Preparing the ${f} download of the current chart.`,
    which: (o: string[]) => `Which one do you mean: ${o.join(" or ")}?`,
    whichMany: (col: string) =>
      `There are too many values of ${col} to draw one series each. Which ones?`,
    groupBy: "Group by which column?",
    unknown: (w: string, ds: string) =>
      `I could not find “${w}” in ${ds}. Which column should I use?`,
    scatterNeeds: "A scatter plot needs two numeric columns. Which ones?",
    format: "Which format would you like?",
    noChart: "There is no chart to export yet. Ask for one first, for example",
    noData:
      "There is no dataset in this session yet. Upload a CSV file or pick a demo dataset, then ask for a chart.",
    help:
      'I can draw line, bar, area, pie and scatter charts from your data, change the current chart ("make it a bar chart", "only 2025") and export it (PNG, SVG, CSV, Excel, JSON, HTML, PDF, notebook). Try',
    columns: "Columns in",
    numbers: "numbers",
    rows: "Number of rows",
  },
  es: {
    agg: {
      avg: "Promedio de",
      sum: "Total de",
      count: "Conteo de",
      min: "Mínimo de",
      max: "Máximo de",
      median: "Mediana de",
    },
    by: "por",
    bucket: {
      day: "día",
      week: "semana",
      month: "mes",
      quarter: "trimestre",
      year: "año",
    },
    type: {
      line: "un gráfico de líneas",
      bar: "un gráfico de barras",
      area: "un gráfico de área",
      pie: "un gráfico circular",
      scatter: "un gráfico de dispersión",
      histogram: "un histograma",
      donut: "un gráfico de anillo",
      heatmap: "un mapa de calor",
    },
    here: "Aquí tienes",
    updated: "Actualicé el gráfico, ahora",
    last: (n: number, unit: string) =>
      n === 1
        ? `último ${unit}`
        : `últimos ${n} ${
          unit === "mes"
            ? "meses"
            : unit === "año"
            ? "años"
            : unit === "día"
            ? "días"
            : unit + "s"
        }`,
    since: "desde",
    until: "hasta",
    except: "excepto",
    top: "top",
    bottom: (n: number) => `${n} menores`,
    download: (f: string) =>
      `Preparando la descarga en ${f} del gráfico actual.`,
    which: (o: string[]) => `¿Cuál quieres decir: ${o.join(" o ")}?`,
    whichMany: (col: string) =>
      `Hay demasiados valores de ${col} para dibujar una serie por cada uno. ¿Cuáles?`,
    groupBy: "¿Agrupar por qué columna?",
    unknown: (w: string, ds: string) =>
      `No encontré “${w}” en ${ds}. ¿Qué columna uso?`,
    scatterNeeds:
      "Un gráfico de dispersión necesita dos columnas numéricas. ¿Cuáles?",
    format: "¿En qué formato lo quieres?",
    noChart:
      "Todavía no hay un gráfico para exportar. Pide uno primero, por ejemplo",
    noData:
      "Todavía no hay datos en esta sesión. Sube un archivo CSV o elige un conjunto de demostración y pide un gráfico.",
    help:
      'Puedo dibujar gráficos de líneas, barras, área, circulares y de dispersión con tus datos, cambiar el gráfico actual ("hazlo de barras", "solo 2025") y exportarlo (PNG, SVG, CSV, Excel, JSON, HTML, PDF, notebook). Prueba',
    columns: "Columnas de",
    numbers: "números",
    rows: "Número de filas",
  },
  pt: {
    agg: {
      avg: "Média de",
      sum: "Total de",
      count: "Contagem de",
      min: "Mínimo de",
      max: "Máximo de",
      median: "Mediana de",
    },
    by: "por",
    bucket: {
      day: "dia",
      week: "semana",
      month: "mês",
      quarter: "trimestre",
      year: "ano",
    },
    type: {
      line: "um gráfico de linhas",
      bar: "um gráfico de barras",
      area: "um gráfico de área",
      pie: "um gráfico de pizza",
      scatter: "um gráfico de dispersão",
      histogram: "um histograma",
      donut: "um gráfico de rosca",
      heatmap: "um mapa de calor",
    },
    here: "Aqui está",
    updated: "Atualizei o gráfico, agora",
    last: (n: number, unit: string) =>
      n === 1
        ? `último ${unit}`
        : `últimos ${n} ${
          unit === "mês"
            ? "meses"
            : unit === "trimestre"
            ? "trimestres"
            : unit + "s"
        }`,
    since: "desde",
    until: "até",
    except: "exceto",
    top: "top",
    bottom: (n: number) => `${n} menores`,
    download: (f: string) => `Preparando o download em ${f} do gráfico atual.`,
    which: (o: string[]) => `Qual você quer dizer: ${o.join(" ou ")}?`,
    whichMany: (col: string) =>
      `Há valores demais de ${col} para desenhar uma série para cada. Quais?`,
    groupBy: "Agrupar por qual coluna?",
    unknown: (w: string, ds: string) =>
      `Não encontrei “${w}” em ${ds}. Qual coluna devo usar?`,
    scatterNeeds:
      "Um gráfico de dispersão precisa de duas colunas numéricas. Quais?",
    format: "Em qual formato?",
    noChart:
      "Ainda não há gráfico para exportar. Peça um primeiro, por exemplo",
    noData:
      "Ainda não há dados nesta sessão. Envie um arquivo CSV ou escolha um conjunto de demonstração e peça um gráfico.",
    help:
      'Posso desenhar gráficos de linhas, barras, área, pizza e dispersão com seus dados, mudar o gráfico atual ("em barras", "só 2025") e exportá-lo (PNG, SVG, CSV, Excel, JSON, HTML, PDF, notebook). Experimente',
    columns: "Colunas de",
    numbers: "números",
    rows: "Número de linhas",
  },
} as const;

function formatName(format: string): string {
  return format === "xlsx"
    ? "Excel (XLSX)"
    : format === "ipynb"
    ? "Jupyter notebook"
    : format === "py"
    ? "Python script"
    : format.toUpperCase();
}

// ---------------------------------------------------------------------------
// SQL

function timeExpr(col: string, bucket: Bucket): string {
  const c = quoteIdent(col);
  switch (bucket) {
    case "day":
      return `substr(${c}, 1, 10)`;
    case "week":
      return `date(substr(${c}, 1, 10), '-6 days', 'weekday 1')`;
    case "month":
      return `substr(${c}, 1, 7)`;
    case "quarter":
      return `substr(${c}, 1, 4) || '-Q' || ((CAST(substr(${c}, 6, 2) AS INTEGER) + 2) / 3)`;
    case "year":
      return `substr(${c}, 1, 4)`;
  }
}

function aggExpr(
  m: Measure,
  valueExpr: (col: string) => string,
  rowExpr: string,
): string {
  if (m.agg === "count") {
    if (m.column === null) return `COUNT(${rowExpr})`;
    return `COUNT(${m.distinct ? "DISTINCT " : ""}${valueExpr(m.column)})`;
  }
  const fn =
    { avg: "AVG", sum: "SUM", min: "MIN", max: "MAX", median: "AVG" }[m.agg];
  return `${fn}(${valueExpr(m.column ?? "")})`;
}

function seriesNames(q: ChartQuery): string[] {
  if (q.x.kind === "value") return [q.measures[0].name];
  return q.split ? q.split.values : q.measures.map((m) => m.name);
}

/**
 * Turns a query into SQL over table `data`: identifiers quoted, every value a
 * `?` parameter. Split series come back as columns s1…sN in `split.values`
 * order (so no data value is written into the SQL); `toSnapshot` names them.
 */
export function buildSql(
  query: ChartQuery,
  profile: DatasetProfile,
): { sql: string; params: (string | number)[] } {
  const types = new Map(profile.columns.map((c) => [c.name, c.type]));
  const where: string[] = [];
  const whereParams: (string | number)[] = [];
  for (const f of query.filters) {
    const c = quoteIdent(f.column);
    if (f.op === "range") {
      if (f.gte !== undefined) {
        where.push(`${c} >= ?`);
        whereParams.push(f.gte);
      }
      if (f.lt !== undefined) {
        where.push(`${c} < ?`);
        whereParams.push(f.lt);
      }
    } else if (f.values.length) {
      const marks = f.values.map(() => "?").join(", ");
      where.push(
        f.op === "in"
          ? `${c} IN (${marks})`
          : `(${c} IS NULL OR ${c} NOT IN (${marks}))`,
      );
      whereParams.push(...f.values);
    }
  }
  const x = query.x;
  const xCol = quoteIdent(x.column);
  const params: (string | number)[] = [];

  if (x.kind === "value") {
    const y = quoteIdent(query.measures[0].column!);
    const cols = [
      `${xCol} AS ${quoteIdent(x.name)}`,
      `${y} AS ${quoteIdent(query.measures[0].name)}`,
    ];
    const conds = [`${xCol} IS NOT NULL`, `${y} IS NOT NULL`, ...where];
    if (query.split) {
      const g = quoteIdent(query.split.column);
      cols.push(`${g} AS ${quoteIdent(query.split.column)}`);
      conds.push(`${g} IS NOT NULL`);
      if (query.split.values.length) {
        conds.push(`${g} IN (${query.split.values.map(() => "?").join(", ")})`);
        whereParams.push(...query.split.values);
      }
    }
    return {
      sql: `SELECT ${cols.join(", ")} FROM data WHERE ${
        conds.join(" AND ")
      } LIMIT ?`,
      params: [...whereParams, query.limit ?? 20000],
    };
  }

  const keyExpr = x.kind === "time" ? timeExpr(x.column, x.bucket) : xCol;
  const conds = [`${xCol} IS NOT NULL`, ...where];
  const split = query.split;
  const splitCol = split ? quoteIdent(split.column) : "";
  const alreadyFiltered = split &&
    query.filters.some((f) =>
      f.op === "in" && f.column === split.column &&
      f.values.length === split.values.length &&
      split.values.every((v) => f.values.includes(v))
    );
  if (split && !alreadyFiltered) {
    conds.push(`${splitCol} IN (${split.values.map(() => "?").join(", ")})`);
    whereParams.push(...split.values);
  }
  const names = seriesNames(query);
  let sql: string;
  const median = query.measures[0].agg === "median";
  if (median) {
    const m = query.measures[0];
    const v = quoteIdent(m.column!);
    const part = split ? "k, g" : "k";
    const base = `SELECT ${keyExpr} AS k${
      split ? `, ${splitCol} AS g` : ""
    }, ${v} AS v FROM data WHERE ${
      [...conds, `${v} IS NOT NULL`].join(" AND ")
    }`;
    const outer = split
      ? split.values.map((_, i) =>
        `MAX(CASE WHEN g = ? THEN v END) AS ${quoteIdent(`s${i + 1}`)}`
      ).join(", ")
      : `MAX(v) AS ${quoteIdent(names[0])}`;
    if (split) params.push(...split.values);
    sql =
      `WITH base AS (${base}), ranked AS (SELECT ${part}, v, ROW_NUMBER() OVER (PARTITION BY ${part} ORDER BY v) AS rn, COUNT(*) OVER (PARTITION BY ${part}) AS n FROM base), med AS (SELECT ${part}, AVG(v) AS v FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY ${part}) SELECT k AS ${
        quoteIdent(x.name)
      }, ${outer} FROM med GROUP BY k`;
    // The CTE's parameters come first in the statement text.
    params.unshift(...whereParams);
    whereParams.length = 0;
  } else {
    const selectParams: (string | number)[] = [];
    const series = split
      ? split.values.map((value, i) => {
        selectParams.push(value);
        return `${
          aggExpr(
            query.measures[0],
            (c) => `CASE WHEN ${splitCol} = ? THEN ${quoteIdent(c)} END`,
            `CASE WHEN ${splitCol} = ? THEN 1 END`,
          )
        } AS ${quoteIdent(`s${i + 1}`)}`;
      })
      : query.measures.map((m) =>
        `${aggExpr(m, quoteIdent, "*")} AS ${quoteIdent(m.name)}`
      );
    params.push(...selectParams);
    sql = `SELECT ${keyExpr} AS ${quoteIdent(x.name)}, ${
      series.join(", ")
    } FROM data WHERE ${conds.join(" AND ")} GROUP BY 1`;
    params.push(...whereParams);
  }
  const textX = x.kind === "category" && types.get(x.column) === "text";
  if (query.sort?.by === "value") {
    sql += ` ORDER BY 2 ${query.sort.dir === "asc" ? "ASC" : "DESC"}, 1${
      textX ? " COLLATE NOCASE" : ""
    } ASC`;
  } else {
    sql += ` ORDER BY 1${textX ? " COLLATE NOCASE" : ""} ${
      query.sort?.dir === "desc" ? "DESC" : "ASC"
    }`;
  }
  if (query.limit !== null) {
    sql += " LIMIT ?";
    params.push(query.limit);
  }
  return { sql, params };
}

// ---------------------------------------------------------------------------
// Spec and reply

function filterLabel(f: Filter, lang: Lang): string {
  const t = TEXT[lang];
  if (f.op === "range") return f.label;
  const values = f.values.map(String).join(", ");
  return f.op === "in" ? values : `${t.except} ${values}`;
}

function describe(
  q: ChartQuery,
): { title: string; xLabel: string; yLabel: string } {
  const t = TEXT[q.lang];
  const bucketName = q.x.kind === "time" ? t.bucket[q.x.bucket] : "";
  const xLabel = q.x.kind === "time" ? bucketName : q.x.column;
  const measureNames = q.measures.map((m) => m.column ?? m.name).join(", ");
  let title: string;
  if (q.x.kind === "value") {
    title = `${q.measures[0].name} vs ${q.x.column}`;
    if (q.split) title += ` ${t.by} ${q.split.column}`;
  } else {
    const agg = q.measures[0].agg;
    const aggLabel = t.agg[agg];
    const what = q.measures[0].column === null
      ? t.rows
      : W.fold(aggLabel.split(" ")[0]) === W.fold(measureNames)
      ? aggLabel.split(" ")[0]
      : `${aggLabel} ${measureNames}`;
    title = `${what} ${t.by} ${xLabel}`;
    if (
      q.split &&
      !q.filters.some((f) => f.column === q.split!.column && f.op === "in")
    ) {
      title += `, ${t.by} ${q.split.column}`;
    }
  }
  const extras = q.filters.map((f) => filterLabel(f, q.lang));
  if (q.split && q.x.kind !== "value") {
    const i = q.filters.findIndex((f) =>
      f.column === q.split!.column && f.op === "in"
    );
    if (i >= 0) extras[i] = q.split.values.join(" vs ");
  }
  if (q.limit !== null && q.x.kind !== "value") {
    extras.push(
      q.sort?.dir === "asc" ? t.bottom(q.limit) : `${t.top} ${q.limit}`,
    );
  }
  if (extras.length) title += ` — ${extras.join(", ")}`;
  if (title.length > 300) title = title.slice(0, 299) + "…";
  const yLabel = q.x.kind === "value"
    ? q.measures[0].name
    : q.split
    ? `${t.agg[q.measures[0].agg]} ${
      q.measures[0].column ?? q.measures[0].name
    }`.trim()
    : measureNames;
  return { title, xLabel, yLabel };
}

function specOf(q: ChartQuery, ds: DatasetProfile): ChartSpec {
  const { title, xLabel, yLabel } = describe(q);
  const spec: ChartSpec = {
    type: q.chartType,
    title,
    subtitle: ds.name.slice(0, 300),
    x: q.x.name,
    series: seriesNames(q),
    xLabel: xLabel.slice(0, 200),
    yLabel: yLabel.slice(0, 200),
  };
  if (q.x.kind === "value" && q.split) spec.group = q.split.column;
  if (q.horizontal && q.chartType === "bar") spec.horizontal = true;
  if (
    q.stacked && (q.chartType === "bar" || q.chartType === "area") &&
    spec.series.length > 1
  ) {
    spec.stacked = true;
  }
  return spec;
}

function chartPlan(
  q: ChartQuery,
  ds: DatasetProfile,
  refines?: string,
): ChartPlan {
  const { sql, params } = buildSql(q, ds);
  const spec = specOf(q, ds);
  const t = TEXT[q.lang];
  const reply = refines
    ? `${t.updated} ${t.type[q.chartType]}: ${spec.title}.`
    : `${t.here} ${t.type[q.chartType]}: ${spec.title}.`;
  const plan: ChartPlan = {
    kind: "chart",
    datasetId: ds.id,
    query: q,
    sql,
    params,
    spec,
    reply,
  };
  if (refines) plan.refines = refines;
  return plan;
}

function exampleRequest(ds: DatasetProfile, lang: Lang): string {
  const df = datasetFeat(ds);
  const measure = df.cols.find((c) => c.role === "measure")?.col.name;
  const cat = df.cols.find((c) =>
    c.role === "category" && c.col.distinct?.length
  )?.col;
  const time = df.cols.find((c) => c.role === "time");
  const words = {
    en: { avg: "average", month: "by month", by: "by", for: "for" },
    es: { avg: "promedio de", month: "por mes", by: "por", for: "en" },
    pt: { avg: "média de", month: "por mês", by: "por", for: "em" },
  }[lang];
  if (!measure) {
    return cat
      ? `${
        lang === "en" ? "count" : lang === "es" ? "cantidad" : "quantidade"
      } ${words.by} ${cat.name}`
      : "";
  }
  if (time) {
    const value = cat?.distinct?.[0];
    return `${words.avg} ${measure} ${words.month}${
      value ? ` ${words.for} ${value}` : ""
    }`;
  }
  return cat
    ? `${words.avg} ${measure} ${words.by} ${cat.name}`
    : `${words.avg} ${measure}`;
}

function describeColumns(ds: DatasetProfile, lang: Lang): string {
  const t = TEXT[lang];
  const parts = ds.columns.map((c) => {
    if (c.type === "text" && c.distinct?.length) {
      const sample = c.distinct.slice(0, 4).join(", ");
      return `${c.name} (${sample}${(c.distinctCount ?? 0) > 4 ? ", …" : ""})`;
    }
    return `${c.name} (${
      c.type === "integer" || c.type === "number" ? t.numbers : c.type
    })`;
  });
  return `${t.columns} ${ds.name}: ${parts.join("; ")}.`;
}

function helpPlan(ctx: PlanContext, lang: Lang, lead?: string): Plan {
  const t = TEXT[lang];
  if (ctx.datasets.length === 0) return { kind: "help", reply: t.noData };
  const ds = ctx.datasets.find((d) => d.id === ctx.current?.query.datasetId) ??
    ctx.datasets.find((d) => !d.id.startsWith("demo:")) ?? ctx.datasets[0];
  const example = exampleRequest(ds, lang);
  const lines = [
    lead ?? `${t.help} "${example}".`,
    ...ctx.datasets.slice(0, 6).map((d) => describeColumns(d, lang)),
  ];
  return { kind: "help", reply: lines.join("\n") };
}

// ---------------------------------------------------------------------------
// Building a query

function uniqueName(name: string, taken: string[]): string {
  let out = name;
  while (taken.includes(out)) out += "_";
  return out;
}

function isAdditive(col: string): boolean {
  return identifierWords(col).some((w) =>
    singulars(w).some((s) => W.ADDITIVE_WORDS.has(s)) || W.ADDITIVE_WORDS.has(w)
  );
}

function rangeFilters(
  r: Reading,
  timeCol: ColFeat | undefined,
  lang: Lang,
): Filter[] {
  const out: Filter[] = [];
  const { intents } = r;
  const t = TEXT[lang];
  if (!timeCol) return out;
  const column = timeCol.col.name;
  const max = typeof timeCol.col.max === "string"
    ? timeCol.col.max.slice(0, 10)
    : undefined;
  if (intents.window && max) {
    const { gte, lt } = windowRange(max, intents.window.n, intents.window.unit);
    out.push({
      column,
      op: "range",
      gte,
      lt,
      label: t.last(intents.window.n, t.bucket[intents.window.unit]),
    });
  }
  for (const y of intents.years) {
    const label = y.from !== undefined && y.to !== undefined
      ? (y.from === y.to ? String(y.from) : `${y.from}–${y.to}`)
      : y.from !== undefined
      ? `${t.since} ${y.from}`
      : `${t.until} ${y.to}`;
    out.push({
      column,
      op: "range",
      ...(y.from !== undefined ? { gte: `${y.from}-01-01` } : {}),
      ...(y.to !== undefined ? { lt: `${y.to + 1}-01-01` } : {}),
      label,
    });
  }
  for (const { y, m } of intents.monthYears) {
    const start = new Date(Date.UTC(y, m - 1, 1));
    out.push({
      column,
      op: "range",
      gte: isoOf(start),
      lt: isoOf(addMonths(start, 1)),
      label: isoOf(start).slice(0, 7),
    });
  }
  // Several separate years ("2023 and 2025") would AND to nothing: keep their hull.
  const ranges = out.filter((f) => f.op === "range") as Extract<
    Filter,
    { op: "range" }
  >[];
  if (intents.years.length + intents.monthYears.length > 1) {
    const gte = ranges.map((f) =>
      f.gte
    ).filter((v): v is string => !!v).sort()[0];
    const lt = ranges.map((f) => f.lt).filter((v): v is string => !!v).sort()
      .at(-1);
    const label = ranges.map((f) => f.label).join(", ");
    return [{
      column,
      op: "range",
      ...(gte ? { gte } : {}),
      ...(lt ? { lt } : {}),
      label,
    }];
  }
  return out;
}

function valueFilters(values: ValueMention[]): Filter[] {
  const byCol = new Map<string, { values: string[]; negated: boolean }>();
  for (const v of values) {
    const key = `${v.feat.col.name}\u0000${v.negated}`;
    const entry = byCol.get(key) ?? { values: [], negated: v.negated };
    if (!entry.values.includes(v.value)) entry.values.push(v.value);
    byCol.set(key, entry);
  }
  return [...byCol.entries()].map(([key, e]) => ({
    column: key.split("\u0000")[0],
    op: e.negated ? "not_in" : "in",
    values: e.values,
  }));
}

function effectiveRange(
  col: ColumnProfile,
  filters: Filter[],
): { min: string; max: string } | null {
  if (typeof col.min !== "string" || typeof col.max !== "string") return null;
  let min = col.min.slice(0, 10);
  let max = col.max.slice(0, 10);
  for (const f of filters) {
    if (f.op !== "range" || f.column !== col.name) continue;
    if (f.gte && f.gte > min) min = f.gte;
    if (f.lt) {
      const last = isoOf(addDays(parseIso(f.lt), -1));
      if (last < max) max = last;
    }
  }
  return min <= max ? { min, max } : null;
}

function naturalGrain(col: ColumnProfile): Bucket {
  return col.grain === "month"
    ? "month"
    : col.grain === "year"
    ? "year"
    : "day";
}

function chooseBucket(
  col: ColumnProfile,
  filters: Filter[],
  intents: Intents,
  explicitColumn: boolean,
): Bucket {
  const natural = naturalGrain(col);
  if (intents.bucket) return coarser(intents.bucket, natural);
  if (intents.window) {
    const unit = intents.window.unit;
    const wanted: Bucket = unit === "day" || unit === "week" ? "day" : "month";
    return coarser(wanted, natural);
  }
  const range = effectiveRange(col, filters);
  if (!range) return natural;
  const limit = explicitColumn ? 1000 : 120;
  let bucket = natural;
  for (const next of ["month", "year"] as Bucket[]) {
    if (periods(range.min, range.max, bucket) <= limit) break;
    bucket = coarser(next, bucket);
  }
  return bucket;
}

function splitValues(feat: ColFeat, filters: Filter[]): string[] | null {
  const f = filters.find((x) => x.column === feat.col.name && x.op === "in");
  if (f && f.op === "in") return f.values.map(String);
  const all = feat.col.distinct ?? [];
  if (!all.length || (feat.col.distinctCount ?? 0) > 20) return null;
  const excluded = new Set(
    filters.filter((x) => x.column === feat.col.name && x.op === "not_in")
      .flatMap((x) => x.op === "not_in" ? x.values.map(String) : []),
  );
  return [...all].filter((v) => !excluded.has(v)).sort((a, b) =>
    a.localeCompare(b)
  );
}

function countMeasure(df: DatasetFeat, target: ColFeat | null): Measure {
  if (target) {
    return {
      column: target.col.name,
      agg: "count",
      distinct: true,
      name: target.col.name,
    };
  }
  return { column: null, agg: "count", name: df.idColumn ?? "count" };
}

function finishNames(q: ChartQuery): ChartQuery {
  const names = seriesNames(q);
  const xName = uniqueName(q.x.name, names);
  return { ...q, x: { ...q.x, name: xName } as XAxis };
}

function clarify(question: string, options: string[]): Plan {
  return {
    kind: "clarify",
    question,
    options: [...new Set(options)].slice(0, 12),
  };
}

/** The aggregation asked for, skipping a word that only spells part of a measure's name. */
function pickAgg(r: Reading, measures: ColFeat[]): Agg | undefined {
  const echoes = (pos: number) =>
    measures.some((f) => {
      const mention = r.m.cols.find((c) => c.feat === f);
      const span = mention ? r.toks.slice(mention.pos, mention.end) : [];
      if (compact(span.join("")) === f.compact) return false;
      const covered = span.flatMap((t) => identifierWords(t));
      return f.words.some((cw) =>
        !covered.some((t) => wordQuality(t, cw) >= 2) &&
        wordQuality(r.toks[pos], cw) >= 2
      );
    });
  return r.intents.aggs.find((a) => !echoes(a.pos))?.agg;
}

function newChart(r: Reading, lang: Lang, ctx: PlanContext): Plan {
  const { df, intents, m } = r;
  const ds = df.ds;
  const t = TEXT[lang];
  if (m.ambiguous.length) {
    return clarify(t.which(m.ambiguous[0].options), m.ambiguous[0].options);
  }
  const mentioned = (role: Role) => m.cols.filter((c) => c.feat.role === role);
  let measures = mentioned("measure").map((c) => c.feat);
  const ids = mentioned("id").map((c) => c.feat);
  let cats = mentioned("category").map((c) => c.feat);
  const timeMentions = mentioned("time").map((c) => c.feat);
  const timeCols = df.cols.filter((c) => c.role === "time");
  const timeCol = timeMentions[0] ?? timeCols[0];
  const filters: Filter[] = [...valueFilters(m.values)];
  filters.push(...rangeFilters(r, timeCol, lang));

  // A numeric column after "by" next to another measure is the grouping ("spend by age").
  if (measures.length >= 2) {
    const byCol = m.cols.find((c) =>
      c.feat.role === "measure" && c.feat !== measures[0] &&
      (W.BY_WORDS.has(r.toks[c.pos - 1] ?? "") ||
        (W.ARTICLES.has(r.toks[c.pos - 1] ?? "") &&
          W.BY_WORDS.has(r.toks[c.pos - 2] ?? "")))
    );
    if (byCol && intents.chartType !== "scatter") {
      if (
        byCol.feat.col.type === "integer" &&
        (byCol.feat.col.distinctCount ?? 999) <= 60
      ) {
        measures = measures.filter((f) => f !== byCol.feat);
        cats = [byCol.feat, ...cats];
      } else {
        intents.chartType = "scatter";
        measures = [byCol.feat, ...measures.filter((f) => f !== byCol.feat)];
      }
    }
  }

  // Scatter.
  if (
    intents.chartType === "scatter" || (intents.versus && measures.length >= 2)
  ) {
    if (measures.length < 2) {
      const options = df.cols.filter((c) => c.role === "measure").map((c) =>
        c.col.name
      );
      return clarify(t.scatterNeeds, options);
    }
    const [xm, ym] = measures;
    const group = cats[0] ?? null;
    const q: ChartQuery = {
      datasetId: ds.id,
      chartType: "scatter",
      measures: [{ column: ym.col.name, agg: "avg", name: ym.col.name }],
      x: { kind: "value", column: xm.col.name, name: xm.col.name },
      split: group ? { column: group.col.name, values: [] } : null,
      filters,
      sort: null,
      limit: null,
      lang,
    };
    return chartPlan(finishNames(q), ds);
  }

  // What is counted or aggregated.
  let ms: Measure[];
  if (measures.length) {
    const agg = pickAgg(r, measures) ??
      (isAdditive(measures[0].col.name) ? "sum" : "avg");
    ms = measures.slice(0, 10).map((f) => ({
      column: f.col.name,
      agg,
      name: f.col.name,
    }));
  } else {
    // An unknown word where a measure should be: ask rather than count rows.
    const unknown = m.leftovers.filter(W.looksLikeMeasure);
    if (!ids.length && intents.agg !== "count" && unknown.length) {
      const options = df.cols.filter((c) => c.role === "measure").map((c) =>
        c.col.name
      );
      if (options.length) {
        return clarify(t.unknown(unknown.join(" "), ds.name), options);
      }
    }
    let target: ColFeat | null = ids[0] ?? null;
    if (!target && intents.agg === "count" && cats.length >= 2) {
      target = cats.pop()!;
    }
    ms = [countMeasure(df, target)];
  }
  if (
    measures.length === 0 && ids.length === 0 && cats.length === 0 &&
    timeMentions.length === 0 &&
    m.values.length === 0 && !m.nameMention && !intents.bucket &&
    !intents.timeSignal &&
    intents.agg !== "count"
  ) {
    return helpPlan(ctx, lang);
  }

  // The x axis and the series split.
  const multiValue = filters.find((f) => f.op === "in" && f.values.length >= 2);
  const multiFeat = multiValue
    ? df.cols.find((c) => c.col.name === multiValue.column)
    : undefined;
  const timeExplicit = !!intents.bucket || timeMentions.length > 0 ||
    intents.timeSignal;
  let x: XAxis | null = null;
  let splitFeat: ColFeat | null = null;
  const type = intents.chartType;
  const yearCat = df.cols.find((c) =>
    c.role === "category" &&
    c.words.some((w) => ["year", "ano", "anio"].includes(w.word))
  );
  const categoryX = (f: ColFeat): XAxis => ({
    kind: "category",
    column: f.col.name,
    name: f.col.name,
  });
  if (type === "pie" && cats.length) {
    x = categoryX(cats[0]);
  } else if (timeExplicit && timeCol) {
    x = { kind: "time", column: timeCol.col.name, bucket: "day", name: "" };
    splitFeat = cats[0] ?? multiFeat ?? null;
  } else if (timeExplicit && yearCat && !cats.includes(yearCat)) {
    x = categoryX(yearCat);
    splitFeat = cats[0] ?? null;
  } else if (cats.length) {
    x = categoryX(cats[0]);
    splitFeat = cats[1] ??
      (multiFeat && multiFeat !== cats[0] ? multiFeat : null);
  } else if (timeCol) {
    x = { kind: "time", column: timeCol.col.name, bucket: "day", name: "" };
    splitFeat = multiFeat ?? null;
  } else if (multiFeat) {
    x = categoryX(multiFeat);
  } else {
    const options = df.cols
      .filter((c) => c.role === "category" && (c.col.distinctCount ?? 0) <= 100)
      .map((c) => c.col.name);
    if (!options.length) return helpPlan(ctx, lang);
    return clarify(t.groupBy, options);
  }
  if (x.kind === "time") {
    const bucket = chooseBucket(
      timeCol!.col,
      filters,
      intents,
      timeMentions.length > 0,
    );
    x = { ...x, bucket, name: bucket === "day" ? timeCol!.col.name : bucket };
  }
  const chartType: ChartType = type ??
    (x.kind === "time" ? (x.bucket === "year" ? "bar" : "line") : "bar");

  let split: Split | null = null;
  if (splitFeat && chartType !== "pie" && splitFeat.col.name !== x.column) {
    const values = splitValues(splitFeat, filters);
    if (!values) {
      return clarify(
        t.whichMany(splitFeat.col.name),
        (splitFeat.col.distinct ?? []).slice(0, 10),
      );
    }
    if (
      values.length >= 2 ||
      !filters.some((f) => f.column === splitFeat!.col.name)
    ) {
      split = { column: splitFeat.col.name, values: values.slice(0, 50) };
      ms = ms.slice(0, 1);
    }
  }
  if (chartType === "pie" || ms[0].agg === "median") ms = ms.slice(0, 1);

  let sort: ChartQuery["sort"] = null;
  let limit: number | null = null;
  if (intents.top) {
    sort = { by: "value", dir: intents.top.dir };
    limit = intents.top.n;
  } else if (intents.sort) {
    sort = intents.sort;
  } else if (intents.superlative && x.kind === "category") {
    sort = { by: "value", dir: intents.superlative };
  }
  if (x.kind === "time" && sort?.by === "value" && limit === null) sort = null;
  if (
    x.kind === "category" && limit === null &&
    (df.cols.find((c) => c.col.name === x!.column)?.col.distinctCount ?? 0) >
      100
  ) {
    sort ??= { by: "value", dir: "desc" };
    limit = 50;
  }

  const q: ChartQuery = {
    datasetId: ds.id,
    chartType,
    measures: ms,
    x,
    split,
    filters,
    sort,
    limit,
    lang,
  };
  if (intents.stacked) q.stacked = true;
  if (intents.horizontal) q.horizontal = true;
  return chartPlan(finishNames(q), ds);
}

// ---------------------------------------------------------------------------
// Refinements of the current chart

function hasRefinement(r: Reading): boolean {
  const i = r.intents;
  return !!(i.chartType || i.agg || i.bucket || i.window || i.years.length ||
    i.monthYears.length ||
    i.top || i.sort || i.stacked || i.horizontal || i.timeSignal ||
    r.m.values.length ||
    (i.superlative && !r.m.cols.length));
}

function refine(
  r: Reading,
  current: NonNullable<PlanContext["current"]>,
  lang: Lang,
): Plan | null {
  const { df, intents, m } = r;
  const ds = df.ds;
  const t = TEXT[lang];
  const base = current.query;
  const roles = new Set(m.cols.map((c) => c.feat.role));
  const onlyDims = m.cols.length > 0 &&
    [...roles].every((x) => x === "category" || x === "time") &&
    intents.agg !== "count";
  const measureSwap = m.cols.length === 1 && roles.has("measure") &&
    intents.instead;
  if (m.cols.length > 0 && !onlyDims && !measureSwap) return null;
  // A word we could not place may be the point of the request: do not guess a refinement.
  if (m.leftovers.length > 0) return null;
  if (m.cols.length === 0 && !hasRefinement(r)) return null;
  if (m.ambiguous.length) {
    return clarify(t.which(m.ambiguous[0].options), m.ambiguous[0].options);
  }

  const q: ChartQuery = structuredClone(base);
  q.lang = lang;
  const colFeat = (name: string) => df.cols.find((c) => c.col.name === name);
  const timeCol = q.x.kind === "time"
    ? colFeat(q.x.column)
    : df.cols.find((c) => c.role === "time");

  if (measureSwap) {
    const f = m.cols[0].feat;
    if (q.x.kind === "value") {
      q.measures = [{ ...q.measures[0], column: f.col.name, name: f.col.name }];
    } else {
      q.measures = [{
        column: f.col.name,
        agg: q.measures[0].agg === "count" ? "avg" : q.measures[0].agg,
        name: f.col.name,
      }];
    }
  }

  // New dimension: a time grain or a category.
  if (onlyDims) {
    const cat = m.cols.find((c) => c.feat.role === "category")?.feat;
    const time = m.cols.find((c) => c.feat.role === "time")?.feat;
    if (cat && q.x.kind === "time" && !intents.bucket && !time) {
      q.split = { column: cat.col.name, values: [] };
    } else if (cat && q.x.kind !== "value") {
      if (
        q.x.kind === "category" && q.x.column !== cat.col.name &&
        (time || intents.bucket)
      ) {
        q.split = { column: q.x.column, values: [] };
      }
      if (!(time || intents.bucket)) {
        q.x = { kind: "category", column: cat.col.name, name: cat.col.name };
        q.split = null;
      }
    } else if (cat && q.x.kind === "value") {
      q.split = { column: cat.col.name, values: [] };
    }
    if (time && q.x.kind !== "value" && q.x.kind !== "time") {
      const old = q.x.column;
      q.x = { kind: "time", column: time.col.name, bucket: "day", name: "" };
      if (!q.split && old !== time.col.name) {
        q.split = { column: old, values: [] };
      }
    }
  }
  if (intents.bucket && q.x.kind === "category" && timeCol) {
    q.split = { column: q.x.column, values: [] };
    q.x = {
      kind: "time",
      column: timeCol.col.name,
      bucket: intents.bucket,
      name: "",
    };
  }

  // Filters: new range filters replace the old ones on the time column; values replace per column.
  const ranges = rangeFilters(r, timeCol, lang);
  if (ranges.length) {
    q.filters = q.filters.filter((f) =>
      !(f.op === "range" && f.column === ranges[0].column)
    );
    q.filters.push(...ranges);
  }
  for (const vf of valueFilters(m.values)) {
    if (vf.op === "range") continue;
    const same = q.filters.find((f) =>
      f.column === vf.column && f.op === vf.op
    );
    if (same && same.op !== "range" && intents.add && !intents.only) {
      for (const v of vf.values) {
        if (!same.values.includes(v)) same.values.push(v);
      }
    } else {
      q.filters = q.filters.filter((f) =>
        f.column !== vf.column || f.op === "range"
      );
      q.filters.push(vf);
    }
    if (q.split?.column === vf.column) q.split.values = [];
  }

  if (intents.agg && q.x.kind !== "value") {
    const agg = intents.agg;
    q.measures = agg === "count"
      ? [countMeasure(df, null)]
      : q.measures.map((x) =>
        x.column === null ? x : { ...x, agg, distinct: undefined }
      );
  }
  if (intents.top) {
    q.sort = { by: "value", dir: intents.top.dir };
    q.limit = intents.top.n;
  } else if (intents.sort) {
    q.sort = intents.sort;
  } else if (intents.superlative && q.x.kind === "category") {
    q.sort = { by: "value", dir: intents.superlative };
  }
  if (intents.stacked) q.stacked = true;
  if (intents.horizontal) q.horizontal = true;

  // Chart type, with what each type can draw.
  if (intents.chartType) {
    if (intents.chartType === "scatter" && q.x.kind !== "value") {
      const options = df.cols.filter((c) => c.role === "measure").map((c) =>
        c.col.name
      );
      return clarify(t.scatterNeeds, options);
    }
    if (intents.chartType !== "scatter" && q.x.kind === "value") {
      // From a scatter to an aggregate chart: the y column over the default axis.
      const timeFeat = df.cols.find((c) => c.role === "time");
      const group = q.split ? colFeat(q.split.column) : undefined;
      q.x = timeFeat
        ? { kind: "time", column: timeFeat.col.name, bucket: "day", name: "" }
        : group
        ? { kind: "category", column: group.col.name, name: group.col.name }
        : q.x;
      if (q.x.kind === "value") {
        return clarify(
          t.groupBy,
          df.cols.filter((c) => c.role === "category").map((c) => c.col.name),
        );
      }
      if (q.x.kind === "category") q.split = null;
    }
    q.chartType = intents.chartType;
    if (q.chartType === "pie") {
      if (q.split && q.x.kind === "time") {
        q.x = {
          kind: "category",
          column: q.split.column,
          name: q.split.column,
        };
        const values = q.split.values;
        if (
          !q.filters.some((f) => f.column === q.split!.column) && values.length
        ) {
          q.filters.push({ column: q.split.column, op: "in", values });
        }
      }
      q.split = null;
      q.measures = q.measures.slice(0, 1);
    }
  }

  // Resolve the time grain and the split's values against the data.
  if (q.x.kind === "time") {
    const col = colFeat(q.x.column)!.col;
    const explicit = intents.bucket ? true : q.x.name !== "" && !onlyDims;
    const bucket = intents.bucket
      ? coarser(intents.bucket, naturalGrain(col))
      : q.x.name !== ""
      ? q.x.bucket
      : chooseBucket(col, q.filters, intents, explicit);
    q.x = { ...q.x, bucket, name: bucket === "day" ? col.name : bucket };
  }
  if (q.split && q.x.kind !== "value") {
    const f = colFeat(q.split.column);
    if (!f) return null;
    const values = q.split.values.length
      ? q.split.values
      : splitValues(f, q.filters);
    if (!values) {
      return clarify(
        t.whichMany(f.col.name),
        (f.col.distinct ?? []).slice(0, 10),
      );
    }
    const filtered = q.filters.some((x) =>
      x.column === f.col.name && x.op === "in"
    );
    if (values.length < 2 && filtered) q.split = null;
    else q.split = { column: f.col.name, values: values.slice(0, 50) };
    if (q.split) q.measures = q.measures.slice(0, 1);
  } else if (q.x.kind === "time" && !q.split) {
    // "for INVEX and Sistema" on a time chart: one series each.
    const multi = q.filters.find((f) => f.op === "in" && f.values.length >= 2);
    if (multi && multi.op === "in" && q.chartType !== "pie") {
      q.split = { column: multi.column, values: multi.values.map(String) };
      q.measures = q.measures.slice(0, 1);
    }
  }
  if (q.x.kind === "time" && q.sort?.by === "value" && q.limit === null) {
    q.sort = null;
  }
  // The axis changed kind and no type was asked for: use that axis's default type.
  if (!intents.chartType && q.x.kind !== base.x.kind && q.x.kind !== "value") {
    q.chartType = q.x.kind === "time"
      ? (q.x.bucket === "year" ? "bar" : "line")
      : "bar";
  }
  return chartPlan(finishNames(q), ds, current.artifactId);
}

// ---------------------------------------------------------------------------
// Entry points

/** A stored query from an older build may not have today's shape: refine only what we can read. */
function isChartQuery(q: unknown): q is ChartQuery {
  const v = q as Partial<ChartQuery> | null;
  return !!v && typeof v === "object" && typeof v.datasetId === "string" &&
    Array.isArray(v.measures) && v.measures.length > 0 &&
    Array.isArray(v.filters) &&
    !!v.x && typeof v.x === "object" && typeof v.x.column === "string" &&
    ["time", "category", "value"].includes(v.x.kind);
}

/** Plans one chat turn: a chart, a new version of the current chart, a download, a question, or help. */
export function planRequest(text: string, context: PlanContext): Plan {
  const toks = tokenize(text);
  const lang = detectLang(text, toks);
  const t = TEXT[lang];
  if (context.datasets.length === 0) return helpPlan(context, lang);
  const workflow = planWorkflow(text, context.datasets, lang);
  if (workflow) return workflow;

  const download = detectDownload(toks);
  if (download) {
    if (!context.current && download.format !== "zip") {
      const ds = context.datasets.find((d) => !d.id.startsWith("demo:")) ??
        context.datasets[0];
      return helpPlan(
        context,
        lang,
        `${t.noChart} "${exampleRequest(ds, lang)}".`,
      );
    }
    if (!download.format) return clarify(t.format, W.ALL_FORMATS);
    return {
      kind: "download",
      format: download.format,
      reply: t.download(formatName(download.format)),
    };
  }

  const readings = context.datasets.map((ds) => read(toks, ds));
  const current = context.current && isChartQuery(context.current.query)
    ? context.current
    : null;
  const currentReading = current
    ? readings.find((r) => r.df.ds.id === current.query.datasetId)
    : undefined;
  // A request that names things another dataset has is a new chart, not a refinement.
  const elsewhere = Math.max(
    0,
    ...readings.filter((r) => r !== currentReading).map((r) => r.m.score),
  );
  if (current && currentReading && currentReading.m.score >= elsewhere) {
    const refined = refine(currentReading, current, lang);
    if (refined) return refined;
  }

  const rank = (r: Reading) =>
    r.m.score + (r.df.ds.id === current?.query.datasetId ? 0.002 : 0) +
    (r.df.ds.id.startsWith("demo:") ? 0 : 0.001);
  let best = readings[0];
  for (const r of readings.slice(1)) if (rank(r) >= rank(best)) best = r;
  if (best.m.score === 0) {
    // Nothing named, but a time grain or a count asked of the only dataset: count its rows.
    const uploads = readings.filter((r) => !r.df.ds.id.startsWith("demo:"));
    const only = readings.length === 1
      ? readings[0]
      : uploads.length === 1
      ? uploads[0]
      : null;
    const i = only?.intents;
    if (!only || !(i!.bucket || i!.timeSignal || i!.agg === "count")) {
      return helpPlan(context, lang);
    }
    best = only;
  }
  return newChart(best, lang, context);
}

// ---------------------------------------------------------------------------
// Snapshot

function roundValue(v: number): number {
  if (!Number.isFinite(v)) return v;
  return Number(v.toPrecision(12));
}

/** Turns a chart plan's query result into the frozen snapshot its spec draws (split series already wide). */
export function toSnapshot(plan: Plan, result: QueryResult): Snapshot {
  if (plan.kind !== "chart") {
    throw new Error(`toSnapshot needs a chart plan, got ${plan.kind}`);
  }
  const { query, spec } = plan;
  const num = (v: string | number | null): number | null =>
    v === null
      ? null
      : typeof v === "number"
      ? roundValue(v)
      : Number.isFinite(Number(v))
      ? roundValue(Number(v))
      : null;
  if (query.x.kind === "value") {
    const columns: Column[] = [
      { name: spec.x, type: "number" },
      { name: spec.series[0], type: "number" },
    ];
    if (spec.group) columns.push({ name: spec.group, type: "string" });
    const rows = result.rows.map((r) =>
      spec.group
        ? [num(r[0]), num(r[1]), r[2] === null ? null : String(r[2])]
        : [num(r[0]), num(r[1])]
    );
    return { columns, rows };
  }
  const xType = query.x.kind === "time" ? "date" : "string";
  const columns: Column[] = [
    {
      name: spec.x,
      type: xType,
      ...(spec.xLabel ? { label: spec.xLabel } : {}),
    },
    ...spec.series.map((name): Column => ({ name, type: "number" })),
  ];
  const rows = result.rows.map((r) => [
    r[0] === null ? null : String(r[0]),
    ...spec.series.map((_, i) => num(r[i + 1] ?? null)),
  ]);
  return { columns, rows };
}
