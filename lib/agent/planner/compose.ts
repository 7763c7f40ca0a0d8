/**
 * Building a new chart from a reading: which columns are measured, which
 * one is the axis (a time column, or the category after "by"), which split
 * the chart into series, which filter it; then the aggregation, the order,
 * and the chart kind charting practice draws for that shape.
 */
import type { ChartKind } from "@/lib/agent/lang/types.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { ColMention } from "./link.ts";
import { echoesName, type Reading } from "./reading.ts";
import type { ColumnFeat, DatasetFeat } from "./schema.ts";
import { chooseBucket, rangeFilters, timeAxis, timePeriods } from "./time.ts";
import { chartPlan } from "./describe.ts";
import { clarify, helpPlan } from "./help.ts";
import { chooseKind, wantsHorizontal } from "./kind.ts";
import type {
  Agg,
  ChartQuery,
  Filter,
  Measure,
  Plan,
  PlanContext,
  Split,
  XAxis,
} from "./types.ts";
import { KEYWORDS, V } from "./vocab.ts";

/** Most series a split draws before it asks which ones. */
export const MAX_SPLIT = 20;

/** The roles a request gives the columns it mentions. */
export interface Roles {
  /** Columns named after "by", "per", "for each" (or after "top N"), in order. */
  dims: ColumnFeat[];
  measures: ColumnFeat[];
  /** Time columns named anywhere. */
  times: ColumnFeat[];
  /** Columns counted ("number of customers"). */
  counted: ColumnFeat[];
  filters: Filter[];
  /** Aggregation words that are not part of a dimension's or a measure's name. */
  aggs: Agg[];
}

function skippable(r: Reading, k: number): boolean {
  const w = r.words[k];
  return r.intents.used[k] || V.articles.has(w) || V.of.has(w) ||
    V.stopwords.has(w);
}

/**
 * The first mention starting within a few skippable words after position
 * `from`; an unknown noun before "of" is skipped too ("by level of religiousness").
 */
function mentionAfter(r: Reading, from: number): ColMention | undefined {
  for (let k = from; k < r.words.length && k <= from + 4; k++) {
    const m = r.links.cols.find((c) => c.pos === k);
    if (m) return m;
    if (r.links.values.some((v) => v.pos === k)) return undefined;
    // Never across a "by": what follows it is another part of the request.
    if (k > from && r.intents.by.some((b) => b.pos <= k && k < b.end)) {
      return undefined;
    }
    const nounOf = r.links.leftovers.includes(k) && V.of.has(r.words[k + 1]);
    if (!skippable(r, k) && !nounOf) return undefined;
  }
  return undefined;
}

/** Assigns each mentioned column a role from where it stands in the request. */
export function rolesOf(r: Reading): Roles {
  const { intents, links } = r;
  const dimMentions: ColMention[] = [];
  const starts = [...intents.by.map((b) => b.end)];
  if (intents.top) starts.push(intents.top.end);
  // A bare "x" is "by" before a category ("promedio x empresa").
  for (const p of intents.xWords) {
    const m = mentionAfter(r, p + 1);
    if (m && !m.col.numeric || m?.col.role === "category") starts.push(p + 1);
  }
  for (const s of starts) {
    const m = mentionAfter(r, s);
    if (m && !dimMentions.includes(m)) dimMentions.push(m);
  }
  // "by A and B": B is a dimension too.
  for (const m of [...dimMentions]) {
    const next = links.cols.find((c) => c.pos > m.end && c.pos <= m.end + 2);
    const joiner = r.words.slice(m.end, next?.pos ?? m.end).some((w) =>
      ["and", "y", "e", "&"].includes(w)
    );
    if (next && joiner && !dimMentions.includes(next)) dimMentions.push(next);
  }

  const filters: Filter[] = [];
  const asFilter = new Set<ColMention>();
  // Comparisons: "more than 4 cylinders", "age > 40", "women over 40" (an age).
  for (const c of intents.comparisons) {
    // "more than 20 mm of precipitation": a unit and "of" may come between.
    const after = links.cols.find((m) =>
      m.pos >= c.end && m.pos <= c.end + 3 && m.col.numeric &&
      r.words.slice(c.end, m.pos).every((w, k) =>
        !V.by.has(w) &&
        (V.stopwords.has(w) || V.of.has(w) ||
          links.leftovers.includes(c.end + k))
      )
    );
    const before = [...links.cols].reverse().find((m) =>
      m.end <= c.pos && m.col.numeric &&
      r.words.slice(m.end, c.pos).every((w) => V.stopwords.has(w))
    );
    const target = after?.col ?? before?.col ??
      (c.value > 0 && c.value <= 120 ? ageColumn(r) : undefined);
    if (!target) continue;
    filters.push({ column: target.name, op: c.op, value: c.value });
    for (const m of [after, before]) if (m?.col === target) asFilter.add(m);
  }
  // "4 cylinders", "with 8 cylinders", "PSI 1", "where grade is 1": a number
  // next to a column of few whole numbers that holds it.
  const holds = (m: ColMention, at: number) => {
    const t = r.toks[at];
    return t !== undefined && t.num !== null && !intents.used[at] &&
      m.col.numeric && !m.col.yearNumbers && m.col.distinctCount <= 60 &&
      (m.col.profile.distinct?.includes(String(t.num)) ??
        (t.num >= Number(m.col.profile.min) &&
          t.num <= Number(m.col.profile.max)));
  };
  for (const m of links.cols) {
    let at = m.end;
    while (at < m.end + 2 && V.stopwords.has(r.words[at] ?? "")) at++;
    const pos = holds(m, m.pos - 1) ? m.pos - 1 : holds(m, at) ? at : -1;
    if (pos < 0) continue;
    filters.push({ column: m.col.name, op: "in", values: [r.toks[pos].num!] });
    asFilter.add(m);
  }
  // "Q4": the rows of that quarter, where a column holds quarters.
  const quarterCol = r.df.columns.find((c) =>
    c.numeric && c.words.some((w) => QUARTER_WORDS.has(w))
  );
  if (intents.quarters.length && quarterCol) {
    filters.push({
      column: quarterCol.name,
      op: "in",
      values: intents.quarters,
    });
  }

  // "only the prestige committees": a 0/1 column named after "only", beside
  // another measure, keeps the rows where it is 1.
  if (intents.only) {
    const measured = links.cols.filter((m) => isMeasure(m.col));
    for (const m of measured) {
      const flags = [...(m.col.profile.distinct ?? [])].sort().join();
      if (flags !== "0,1" || measured.length < 2 || asFilter.has(m)) continue;
      if (dimMentions.includes(m)) continue;
      filters.push({ column: m.col.name, op: "in", values: [1] });
      asFilter.add(m);
    }
  }

  // Two measures side by side, or joined by "of", are one noun ("staff size",
  // "tasa de desempleo"): the better named one (on a tie, the thing measured:
  // the first of "staff size", the second of "tamanho da equipe").
  const rest0 = links.cols.filter((m) =>
    !dimMentions.includes(m) && !asFilter.has(m)
  );
  const dropped = new Set<ColMention>();
  rest0.forEach((m, i) => {
    const prev = rest0[i - 1];
    if (
      !prev || dropped.has(prev) || !isMeasure(prev.col) || !isMeasure(m.col)
    ) return;
    // Between them only "of", articles and words that name nothing ("mundial").
    let joinedByOf = false;
    for (let k = prev.end; k < m.pos; k++) {
      const w = r.words[k];
      if (!V.of.has(w) && !V.articles.has(w) && !links.leftovers.includes(k)) {
        return;
      }
      if (V.of.has(w)) joinedByOf = true;
    }
    const tie = Math.abs(m.score - prev.score) < 0.02;
    dropped.add(
      tie ? (joinedByOf ? prev : m) : m.score > prev.score ? prev : m,
    );
  });
  const rest = rest0.filter((m) => !dropped.has(m));
  // "deaths" names what death_date dates, not its time: counted rows, no axis.
  const timeWord = (w: string) =>
    V.yearNames.has(w) || V.periodNouns.has(w) ||
    Object.values(V.buckets).some((s) => s.has(w));
  const namesTime = (m: ColMention) =>
    m.end - m.pos >= m.col.words.length ||
    r.words.slice(m.pos, m.end).some(timeWord);
  const times = links.cols.filter((m) =>
    m.col.role === "time" && !asFilter.has(m) && namesTime(m)
  )
    .map((m) => m.col);
  let dims = dimMentions.filter((m) =>
    !asFilter.has(m) && m.col.role !== "time"
  )
    .map((m) => m.col);
  const measures = rest.filter((m) => isMeasure(m.col)).map((m) => m.col);
  // "top 5 movies by worldwide gross" over movies.json: the rows themselves,
  // named by their label column, ranked by the measure after "by".
  const label = intents.top && links.nameMention && !times.length &&
      !intents.bucket && !intents.timeSignal
    ? rowLabel(r.df)
    : undefined;
  // A measure after "by" is a measure when something else gives the axis
  // ("muertes por enfermedad por mes", "top 5 series by average rate").
  const otherAxis = (c: ColumnFeat) =>
    !!label || times.length > 0 || !!intents.bucket || intents.timeSignal ||
    dims.some((d) => d !== c && d.role !== "measure") ||
    rest.some((m) => m.col.role === "category");
  for (const d of [...dims]) {
    if (!d.numeric || d.role === "category") continue;
    if (otherAxis(d)) {
      dims = dims.filter((x) => x !== d);
      measures.push(d);
    }
  }
  // Category columns named without "by" are dimensions too ("pm25 Kampala city").
  for (const m of rest) {
    if (m.col.role === "category" && !dims.includes(m.col)) dims.push(m.col);
  }
  if (label && !dims.length && measures.length) dims.push(label);
  // "by disaster type" where the table names its types nothing like that:
  // its one text column.
  if (!dims.length && !label && byUnnamed(r)) {
    const texts = r.df.columns.filter((c) =>
      c.role === "category" && !c.numeric
    );
    if (texts.length === 1) dims.push(texts[0]);
  }

  // Aggregation words inside a dimension's phrase ("per cylinder count",
  // "por número de cilindros") or echoing a name are not aggregations.
  const dimAt = dimMentions.filter((m) => dims.includes(m.col));
  const inDimPhrase = (pos: number) =>
    dimAt.some((m) =>
      pos === m.end || intents.by.some((b) => b.end <= pos && pos < m.pos)
    );
  const aggs = intents.aggs
    .filter((a) => !inDimPhrase(a.pos) && !echoesName(r, a.pos))
    .map((a) => a.agg);

  // What is counted: an identifier named outside "by" ("customers by region"),
  // or the column right after a counting phrase ("number of distinct individuals").
  const counted: ColumnFeat[] = [];
  for (const a of intents.aggs) {
    if (a.agg !== "count" || inDimPhrase(a.pos)) continue;
    const m = mentionAfter(r, a.end);
    if (
      m && (m.col.role === "category" || m.col.role === "id") &&
      !dims.includes(m.col)
    ) {
      counted.push(m.col);
    }
  }
  for (const m of rest) {
    if (
      m.col.role === "id" && !counted.includes(m.col) && !dims.includes(m.col)
    ) {
      counted.push(m.col);
    }
  }
  dims = dims.filter((d) => !counted.includes(d));
  return { dims, measures, times, counted, filters, aggs };
}

/** Whether a "by" is followed by words that name no column, value or time. */
function byUnnamed(r: Reading): boolean {
  const { intents, links } = r;
  return intents.by.some((b) => {
    let k = b.end;
    while (k < r.words.length && skippable(r, k) && !intents.used[k]) k++;
    return k < r.words.length && !intents.used[k] &&
      !V.periodNouns.has(r.words[k]) &&
      !links.cols.some((c) => c.pos <= k && k < c.end) &&
      !links.values.some((v) => v.pos <= k && k < v.end);
  });
}

/**
 * The text column that names a table's rows (a film's title, a person's
 * name): nearly one value per row.
 */
function rowLabel(df: DatasetFeat): ColumnFeat | undefined {
  const rows = df.profile.rowCount;
  return df.columns
    .filter((c) =>
      c.role === "category" && !c.numeric &&
      c.distinctCount >= 0.6 * (rows - (c.profile.nulls ?? 0))
    )
    .sort((a, b) => b.distinctCount - a.distinctCount)[0];
}

/** A column that holds quantities to aggregate. */
function isMeasure(c: ColumnFeat): boolean {
  return c.numeric && (c.role === "measure" || c.role === "geo");
}

const QUARTER_WORDS = new Set(["quarter", "qtr", "trimestre"]);

/** The column of people's ages, if the dataset has one. */
function ageColumn(r: Reading): ColumnFeat | undefined {
  return r.df.columns.find((c) =>
    c.numeric && c.slots.some((s) => s.keys.has("s:age") || s.keys.has("w:age"))
  );
}

/** Filters on values ("for AAPL", "except Lagos"), one per column and sense. */
export function valueFilters(r: Reading): Filter[] {
  const byCol = new Map<
    string,
    { values: string[]; negated: boolean; column: string }
  >();
  for (const v of r.links.values) {
    // "by type of death": a value of the column just named is the kind of
    // thing it holds, not a filter.
    const ofItsColumn = r.links.cols.some((m) =>
      m.col === v.col && m.end < v.pos &&
      r.words.slice(m.end, v.pos).every((w) => V.of.has(w) || V.articles.has(w))
    );
    if (ofItsColumn) continue;
    const key = `${v.col.name}\u0000${v.negated}`;
    const entry = byCol.get(key) ??
      { values: [], negated: v.negated, column: v.col.name };
    if (!entry.values.includes(v.value)) entry.values.push(v.value);
    byCol.set(key, entry);
  }
  return [...byCol.values()].map((e) => ({
    column: e.column,
    op: e.negated ? "not_in" : "in",
    values: e.values,
  }));
}

/** The values a split draws: those a filter names, else all (when few). */
export function splitValues(
  col: ColumnFeat,
  filters: Filter[],
): string[] | null {
  const f = filters.find((x) => x.column === col.name && x.op === "in");
  if (f && f.op === "in") return f.values.map(String);
  const all = col.profile.distinct ?? [];
  if (!all.length || col.distinctCount > MAX_SPLIT) return null;
  const excluded = new Set(
    filters.flatMap((x) =>
      x.column === col.name && x.op === "not_in" ? x.values.map(String) : []
    ),
  );
  const values = all.filter((v) => !excluded.has(v));
  const numeric = values.every((v) => Number.isFinite(Number(v)));
  return values.sort((a, b) =>
    numeric ? Number(a) - Number(b) : a.localeCompare(b)
  );
}

/** A count of rows, or of the distinct values of a column. */
/**
 * The noun a count of rows is asked of, as typed ("number of airports",
 * "how many penguins", "cuántos pingüinos"): a plain word right after the
 * counting phrase that names no column, value or keyword.
 */
function countedNoun(r: Reading): string | undefined {
  const { intents, links, toks } = r;
  const named = (k: number) =>
    [...links.cols, ...links.values].some((m) => m.pos <= k && k < m.end);
  for (const a of intents.aggs) {
    if (a.agg !== "count") continue;
    const k = a.end;
    const tok = toks[k];
    if (
      // ("number of days with rain": the days are what is counted.)
      tok && (!intents.used[k] || V.periodNouns.has(tok.text)) && !named(k) &&
      tok.num === null &&
      /^\p{L}{3,30}$/u.test(tok.raw) && !KEYWORDS.has(tok.text) &&
      !V.stopwords.has(tok.text)
    ) {
      return tok.raw.toLowerCase();
    }
  }
  return undefined;
}

export function countMeasure(
  target: ColumnFeat | null,
  lang: "en" | "es" | "pt",
): Measure {
  if (target) {
    return {
      column: target.name,
      agg: "count",
      distinct: true,
      name: target.name,
    };
  }
  const name = { en: "count", es: "cantidad", pt: "quantidade" }[lang];
  return { column: null, agg: "count", name };
}

function uniqueName(name: string, taken: string[]): string {
  let out = name;
  while (taken.includes(out)) out += "_";
  return out;
}

/** Gives the x column a name no series has. */
export function finishNames(q: ChartQuery): ChartQuery {
  const taken = q.x.kind === "value" || q.x.kind === "bins"
    ? [q.measures[0].name]
    : q.split
    ? q.split.values
    : q.measures.map((m) => m.name);
  return { ...q, x: { ...q.x, name: uniqueName(q.x.name, taken) } as XAxis };
}

/** A "nice" bin width (1, 2 or 5 × 10^k) giving about `target` bins over a range. */
export function binsFor(
  min: number,
  max: number,
  asked?: number,
  target = 12,
): { start: number; width: number } {
  const span = max - min;
  // A width the request names, unless it would make thousands of bins.
  if (asked && span / asked <= 1000) {
    return { start: Math.floor(min / asked) * asked, width: asked };
  }
  if (!(span > 0)) return { start: Math.floor(min), width: 1 };
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 5, 10].map((f) => f * pow).find((w) => w >= raw) ??
    10 * pow;
  return { start: Math.floor(min / width) * width, width };
}

/** Builds a new chart from a reading. */
export function newChart(r: Reading, ctx: PlanContext): Plan {
  const { df, intents, links, lang } = r;
  const t = language(lang).text;
  if (links.ambiguous.length) {
    // "average rating": only the columns that can be averaged.
    const { options } = links.ambiguous[0];
    const averaged = intents.aggs.some((a) => a.agg !== "count");
    const numeric = options.filter((name) =>
      df.columns.find((c) => c.name === name)?.numeric
    );
    const offered = averaged && numeric.length >= 2 ? numeric : options;
    return clarify(t.which(offered), offered);
  }
  const roles = rolesOf(r);
  const filters: Filter[] = [...valueFilters(r), ...roles.filters];
  const timeCol = roles.times[0] ?? df.timeColumns[0];
  filters.push(...rangeFilters(intents, timeCol, lang));
  let { dims, measures } = roles;
  const count = roles.aggs.includes("count") || roles.counted.length > 0;

  // "what percentage of strikes happen at night": the share of each value of
  // the column that holds the one named, not the rows of that value alone.
  const timeNamed = !!intents.bucket || intents.timeSignal ||
    roles.times.length > 0;
  const shareOf = intents.share && !dims.length && !timeNamed
    ? links.values.map((v) => v.col).find((c) => c.role === "category")
    : undefined;
  if (shareOf) dims = [shareOf];
  // A share is of every value of its column: one named ("share of strikes
  // in the climb phase") is not a filter that would leave a single slice.
  const sliced = intents.share ? dims[0] : undefined;
  if (sliced) {
    const kept = filters.filter((f) =>
      !(f.column === sliced.name && f.op === "in" && f.values.length === 1)
    );
    filters.splice(0, filters.length, ...kept);
  }

  // A measure "by" a quantity of many values ("math score by % low income")
  // is two quantities against each other: a scatter of the rows.
  const continuous = dims[0];
  if (
    continuous && continuous.numeric && continuous.role === "measure" &&
    continuous.distinctCount > 30 && measures.length >= 1 && !intents.kind &&
    !intents.timeSignal && !intents.bucket
  ) {
    measures = [continuous, ...measures.filter((c) => c !== continuous)];
    dims = dims.slice(1);
    intents.versus = { pos: -1 };
  }

  // Scatter: two measures against each other.
  if (intents.kind === "scatter" || (intents.versus && measures.length >= 2)) {
    if (measures.length < 2) {
      return clarify(
        t.scatterNeeds,
        df.columns.filter((c) => c.role === "measure").map((c) => c.name),
      );
    }
    // "A vs B" plots A up the y axis against B along x, as people say it;
    // "A by B" (B continuous) has B along x.
    const [xm, ym] = intents.versus && intents.versus.pos >= 0
      ? [measures[1], measures[0]]
      : measures;
    const group = dims.find((d) => d.distinctCount <= MAX_SPLIT) ?? null;
    const q: ChartQuery = {
      datasetId: df.id,
      chartType: "scatter",
      measures: [{ column: ym.name, agg: "avg", name: ym.name }],
      x: { kind: "value", column: xm.name, name: xm.name },
      split: group ? { column: group.name, values: [] } : null,
      filters,
      sort: null,
      limit: null,
      lang,
    };
    return chartPlan(finishNames(q), df.profile);
  }

  // Histogram: the distribution of one measure.
  if (
    intents.kind === "histogram" ||
    (intents.distribution && measures.length && !dims.length)
  ) {
    const m = measures[0] ?? null;
    if (!m) {
      return clarify(
        t.histogramNeeds,
        df.columns.filter((c) => c.role === "measure").map((c) => c.name),
      );
    }
    const { start, width } = binsFor(
      Number(m.profile.min),
      Number(m.profile.max),
      intents.binWidth,
    );
    const q: ChartQuery = {
      datasetId: df.id,
      chartType: "histogram",
      measures: [countMeasure(null, lang)],
      x: { kind: "bins", column: m.name, name: m.name, start, width },
      split: null,
      filters,
      sort: null,
      limit: null,
      lang,
    };
    return chartPlan(finishNames(q), df.profile);
  }

  // Words that name no column where a measure should be: the only measure there is.
  const onlyMeasure = df.columns.filter((c) => c.role === "measure");
  if (
    !measures.length && !count && onlyMeasure.length === 1 &&
    (links.leftovers.length > 0 || links.nameMention)
  ) {
    measures = [onlyMeasure[0]];
  }
  // "countries with life expectancy above 80": the measure the threshold bounds.
  const bounded = roles.filters.find((f) =>
    f.op === "gt" || f.op === "gte" || f.op === "lt" || f.op === "lte"
  );
  const boundedCol = bounded &&
    df.columns.find((c) => c.name === bounded.column && isMeasure(c));
  if (
    !measures.length && !count && boundedCol && dims.length &&
    !intents.bucket && !intents.timeSignal && !roles.times.length
  ) {
    measures = [boundedCol];
  }

  // What is aggregated.
  let ms: Measure[];
  if (measures.length) {
    // "highest rate each year": on a time axis a superlative is the maximum;
    // so it is of each group "by" names, for a measure that does not add up
    // ("highest price per symbol"; "highest sales by region" ranks totals).
    const perGroup = dims.length > 0 && intents.by.length > 0 &&
      !measures[0].additive;
    const superAgg = intents.superlative && !intents.top &&
        (timeCol && !dims.length || perGroup)
      ? (intents.superlative.dir === "desc" ? "max" : "min")
      : undefined;
    const agg = roles.aggs.find((a) => a !== "count") ?? superAgg ??
      (roles.aggs.includes("count")
        ? "count"
        : measures[0].additive
        ? "sum"
        : "avg");
    ms = measures.slice(0, 10).map((c) =>
      agg === "count"
        ? {
          column: c.name,
          agg: "count" as const,
          name: c.name,
          ...(intents.distinct ? { distinct: true } : {}),
        }
        : { column: c.name, agg, name: c.name }
    );
  } else if (roles.counted.length) {
    ms = [countMeasure(roles.counted[0], lang)];
  } else {
    const named = dims.length || roles.times.length || links.values.length ||
      links.nameMention || intents.bucket || intents.timeSignal || count;
    if (!named) return helpPlan(ctx, lang);
    // Words that look like a quantity but name nothing: ask which measure was meant.
    const unknown = links.leftovers.map((i) => r.words[i]).filter((w) =>
      V.additive.has(w)
    );
    const options = df.columns.filter((c) => c.role === "measure").map((c) =>
      c.name
    );
    if (!count && unknown.length && options.length >= 2 && !dims.length) {
      return clarify(t.unknown(unknown.join(" "), df.profile.name), options);
    }
    const noun = countedNoun(r);
    ms = [{ ...countMeasure(null, lang), ...(noun ? { label: noun } : {}) }];
  }

  // The x axis and the series split.
  const multi = filters.find((f) => f.op === "in" && f.values.length >= 2);
  const multiCol = multi
    ? df.columns.find((c) => c.name === multi.column)
    : undefined;
  // A window ("last 6 months") filters; it asks for a time axis only when nothing else is one.
  const kind = intents.kind;
  // A line or area "by" a group of a few values, in a table with dates, is
  // one line per group over time ("line chart of price by symbol").
  const linesOfGroups = (kind === "line" || kind === "area") &&
    dims.length === 1 && dims[0].distinctCount <= MAX_SPLIT &&
    !intents.top;
  const timeAsked = !!intents.bucket || roles.times.length > 0 ||
    intents.timeSignal || linesOfGroups;
  let x: XAxis | null = null;
  let splitCol: ColumnFeat | null = null;
  const categoryX = (c: ColumnFeat): XAxis => ({
    kind: "category",
    column: c.name,
    name: c.name,
  });
  const pieLike = kind === "pie" || kind === "donut" || intents.share;
  if (pieLike && dims.length) {
    x = categoryX(dims[0]);
  } else if (timeAsked && timeCol) {
    x = { kind: "time", column: timeCol.name, bucket: "day", name: "" };
    splitCol = dims[0] ?? multiCol ?? null;
  } else if (dims.length) {
    x = categoryX(dims[0]);
    splitCol = dims[1] ?? (multiCol && multiCol !== dims[0] ? multiCol : null);
  } else if (timeCol) {
    x = { kind: "time", column: timeCol.name, bucket: "day", name: "" };
    splitCol = multiCol ?? null;
  } else if (multiCol) {
    x = categoryX(multiCol);
  } else {
    const options = df.columns
      .filter((c) =>
        (c.role === "category" || (c.numeric && c.distinctCount <= 30)) &&
        c.distinctCount >= 2 && c.distinctCount <= 100 && !measures.includes(c)
      )
      .map((c) => c.name);
    if (options.length === 1) {
      x = categoryX(df.columns.find((c) => c.name === options[0])!);
    } else if (!options.length) {
      return helpPlan(ctx, lang);
    } else {
      return clarify(t.groupBy, options);
    }
  }
  if (x.kind === "time") {
    // A column of years named as the axis ("by year") is drawn by year, not by its quarters.
    const namedYears = roles.times.includes(timeCol!) && !!timeCol!.sub &&
      !intents.bucket;
    x = timeAxis(
      timeCol!,
      namedYears ? "year" : chooseBucket(timeCol!, filters, intents),
    );
  }

  let split: Split | null = null;
  if (splitCol && splitCol.name !== x.column && !pieLike) {
    const values = splitValues(splitCol, filters);
    const options = (splitCol.profile.distinct ?? []).slice(0, 10);
    if (!values && options.length >= 2) {
      return clarify(t.whichMany(splitCol.name), options);
    }
    if (!values) {
      // Too many values to ask about: one series.
    } else if (
      values.length >= 2 || !filters.some((f) => f.column === splitCol!.name)
    ) {
      split = { column: splitCol.name, values: values.slice(0, 50) };
      ms = ms.slice(0, 1);
    }
  }
  if (pieLike || ms[0].agg === "median") ms = ms.slice(0, 1);

  let sort: ChartQuery["sort"] = null;
  let limit: number | null = null;
  if (intents.top) {
    sort = { by: "value", dir: intents.top.dir };
    limit = intents.top.n;
  } else if (intents.sort) {
    sort = intents.sort;
  } else if (intents.superlative && x.kind === "category") {
    sort = { by: "value", dir: intents.superlative.dir };
  }
  if (x.kind === "time" && sort?.by === "value" && limit === null) sort = null;
  const xCol = df.columns.find((c) => c.name === x!.column);
  if (
    x.kind === "category" && limit === null && (xCol?.distinctCount ?? 0) > 100
  ) {
    sort ??= { by: "value", dir: "desc" };
    limit = 50;
  }

  const chartType: ChartKind = chooseKind({
    asked: kind,
    share: intents.share,
    x,
    categories: limit ?? xCol?.distinctCount ?? 0,
    periods: x.kind === "time"
      ? timePeriods(xCol!, x.bucket, filters)
      : undefined,
    split: !!split,
    overTime: intents.timeSignal,
  });
  const q: ChartQuery = {
    datasetId: df.id,
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
  if (
    intents.horizontal ||
    (chartType === "bar" && x.kind === "category" && !kind && xCol &&
      wantsHorizontal(xCol, limit))
  ) q.horizontal = true;
  return chartPlan(finishNames(q), df.profile);
}
