/**
 * What a request asks for apart from the data's own names: the chart kind,
 * aggregations, time grain and windows, years, top-N, sorting, comparisons,
 * and the small words that change a chart ("only", "also", "except",
 * "instead"). Each intent marks the tokens it used, so the schema linker
 * only looks at what is left.
 */
import type { Agg, Bucket, ChartKind } from "@/lib/agent/lang/types.ts";
import type { Token } from "./text.ts";
import { KEYWORDS, V } from "./vocab.ts";
import { superlativeBase } from "./lexicon.ts";
import { CYCLES, isCycle } from "./time.ts";

export type CompareOp = "gt" | "gte" | "lt" | "lte" | "eq";

export interface Intents {
  /** Tokens an intent used. */
  used: boolean[];
  kind?: ChartKind;
  horizontal: boolean;
  stacked: boolean;
  share: boolean;
  distribution: boolean;
  /** A histogram's bin width the request names ("in 5 degree bins", "intervalos de 20 anos"). */
  binWidth?: number;
  versus: { pos: number } | null;
  /** Every aggregation word, in order (one may only echo a column's name: "temperatura máxima"). */
  aggs: { agg: Agg; pos: number; end: number }[];
  distinct: boolean;
  bucket?: Bucket;
  timeSignal: boolean;
  window?: { n: number; unit: Bucket };
  years: { from?: number; to?: number; pos: number }[];
  monthYears: { y: number; m: number }[];
  top?: { n: number; dir: "asc" | "desc"; pos: number; end: number };
  superlative?: { dir: "asc" | "desc"; pos: number };
  sort?: { by: "value" | "x"; dir: "asc" | "desc" };
  comparisons: { op: CompareOp; value: number; pos: number; end: number }[];
  /** Quarters named as "Q4". */
  quarters: number[];
  /** "first half", "primer semestre": 1 or 2. */
  half?: 1 | 2;
  /** Positions of a bare "x", which is "by" or "vs" depending on what stands around it. */
  xWords: number[];
  /** "by"-phrases ("by", "per", "for each"): a dimension follows each. */
  by: { pos: number; end: number }[];
  instead: boolean;
  only: boolean;
  add: boolean;
  /** Positions of negation words ("except", "sin"). */
  negations: number[];
  chartNoun: boolean;
}

/** Words for half a year, and the ordinals that say which half. */
const HALF_WORDS = new Set(["half", "semester", "semestre", "mitad", "metade"]);
const ORDINALS = new Map<string, number>([
  ["first", 1],
  ["1st", 1],
  ["primer", 1],
  ["primero", 1],
  ["primera", 1],
  ["primeiro", 1],
  ["primeira", 1],
  ["second", 2],
  ["2nd", 2],
  ["segundo", 2],
  ["segunda", 2],
]);

/** Whether a token is a number or a word the planner reads as an instruction. */
function keywordOrNumber(t: Token): boolean {
  return t.num !== null || KEYWORDS.has(t.text);
}

/** A four-digit year of the kind data holds (1000–2999). */
export function isYear(t: Token | undefined): boolean {
  return t !== undefined && /^[12]\d{3}$/.test(t.text);
}

/** Reads every intent; `locked(i)` says a token spells a column's whole name. */
export function readIntents(
  toks: Token[],
  locked: (i: number) => boolean,
): Intents {
  const words = toks.map((t) => t.text);
  const n = toks.length;
  const used = new Array<boolean>(n).fill(false);
  const free = (i: number) => i >= 0 && i < n && !used[i];
  const open = (i: number) => free(i) && !locked(i);
  const mark = (i: number, len = 1) => {
    for (let k = i; k < i + len; k++) if (k >= 0 && k < n) used[k] = true;
  };
  const num = (i: number): number | null => {
    const t = toks[i];
    if (!t) return null;
    if (t.num !== null) return t.num;
    return V.numbers.get(t.text) ?? null;
  };
  const phrase = (set: { at: typeof V.by.at }, i: number, unlocked = false) =>
    set.at(words, i, unlocked ? open : free);
  const it: Intents = {
    used,
    horizontal: false,
    stacked: false,
    share: false,
    distribution: false,
    versus: null,
    aggs: [],
    distinct: false,
    timeSignal: false,
    years: [],
    monthYears: [],
    comparisons: [],
    quarters: [],
    xWords: [],
    by: [],
    instead: false,
    only: false,
    add: false,
    negations: [],
    chartNoun: false,
  };
  const bucketAt = (i: number): Bucket | undefined => {
    if (!open(i)) return undefined;
    for (const [b, set] of Object.entries(V.buckets)) {
      if (isCycle(b as Bucket)) continue;
      if (set.has(words[i]) && words[i] !== "date" && words[i] !== "fecha") {
        return b as Bucket;
      }
    }
    return undefined;
  };

  // Bin widths, before anything else reads their number or unit ("10-year
  // bins" is no yearly axis): a number just before a bin word, units between,
  // or just after it ("bins of 5", "intervalos de 20 anos").
  for (let i = 0; i < n; i++) {
    if (!free(i) || !V.binWords.has(words[i])) continue;
    const after = V.of.has(words[i + 1] ?? "") ? i + 2 : i + 1;
    const nearest = [i - 1, i - 2, i - 3].find((k) => num(k) !== null);
    const before = nearest !== undefined && free(nearest) ? nearest : undefined;
    const at = num(after) !== null && free(after) ? after : before;
    const width = at === undefined ? null : num(at);
    if (width === null || !(width > 0)) continue;
    it.binWidth = width;
    it.distribution = true;
    const from = Math.min(at!, i);
    // The unit after "bins of 5" ("anos", "degrees") goes with it.
    const to = at! > i && bucketAt(at! + 1) ? at! + 1 : Math.max(at!, i);
    mark(from, to - from + 1);
  }

  // Relative windows: "last 3 months", "últimos 6 meses", "3 últimos meses", "this year".
  for (let i = 0; i < n; i++) {
    if (!free(i)) continue;
    if (V.window.has(words[i])) {
      const count = num(i + 1);
      const unitPos = count !== null && !isYear(toks[i + 1]) ? i + 2 : i + 1;
      const unit = bucketAt(unitPos);
      if (unit) {
        const before = num(i - 1);
        const value = unitPos === i + 2 ? count! : before ?? 1;
        it.window = { n: Math.max(1, Math.min(value, 1000)), unit };
        mark(i, unitPos - i + 1);
        if (unitPos === i + 1 && before !== null) mark(i - 1);
      }
    } else if (V.thisPeriod.has(words[i]) && bucketAt(i + 1)) {
      it.window = { n: 1, unit: bucketAt(i + 1)! };
      mark(i, 2);
    }
  }

  // Decades ("the 1980s"), quarters ("Q4"), halves ("first half", "primer semestre").
  for (let i = 0; i < n; i++) {
    if (!free(i)) continue;
    const decade = /^([12]\d{2})0s$/.exec(words[i]);
    const quarter = /^q([1-4])$/.exec(words[i]);
    if (decade) {
      const from = Number(decade[1]) * 10;
      it.years.push({ from, to: from + 9, pos: i });
      mark(i);
    } else if (quarter) {
      it.quarters.push(Number(quarter[1]));
      mark(i);
    } else if (/^h[12]$/.test(words[i])) {
      it.half = words[i] === "h1" ? 1 : 2;
      mark(i);
    } else if (HALF_WORDS.has(words[i])) {
      const ordinal = ORDINALS.get(words[i - 1]) ??
        ORDINALS.get(words[i + 1] ?? "");
      if (ordinal === 1 || ordinal === 2) {
        it.half = ordinal;
        mark(i);
        mark(ORDINALS.has(words[i - 1]) ? i - 1 : i + 1);
      }
    } else if (words[i] === "x" && i > 0 && i < n - 1) {
      it.xWords.push(i);
      mark(i);
    }
  }

  // Years: "2025", "since 2023", "2023 to 2024", "entre 2023 y 2024", "March 2025".
  for (let i = 0; i < n; i++) {
    if (!free(i) || !isYear(toks[i])) continue;
    const y = Number(words[i]);
    const monthAt = V.months.has(words[i - 1])
      ? i - 1
      : V.of.has(words[i - 1]) && V.months.has(words[i - 2])
      ? i - 2
      : -1;
    if (monthAt >= 0 && free(monthAt) && !locked(monthAt)) {
      it.monthYears.push({ y, m: V.months.get(words[monthAt])! });
      mark(monthAt, i - monthAt + 1);
      continue;
    }
    const joinLen = V.rangeJoin.at(words, i + 1, free);
    if (joinLen && isYear(toks[i + 1 + joinLen]) && free(i + 1 + joinLen)) {
      const y2 = Number(words[i + 1 + joinLen]);
      it.years.push({ from: Math.min(y, y2), to: Math.max(y, y2), pos: i });
      mark(i, joinLen + 2);
      if (V.between.has(words[i - 1]) && free(i - 1)) mark(i - 1);
      continue;
    }
    // "desde el 2000": an article may stand between the word and the year.
    const article = V.articles.has(words[i - 1]) && free(i - 1) ? 1 : 0;
    const prev = words[i - 1 - article];
    if (
      article &&
      (V.since.has(prev) || V.until.has(prev) || V.before.has(prev) ||
        V.after.has(prev))
    ) {
      mark(i - 1);
    }
    const onwards = V.onwards.has(words[i + 1])
      ? 1
      : V.onwards.has(words[i + 2]) &&
          ["en", "em", "and", "or"].includes(words[i + 1])
      ? 2
      : 0;
    if (onwards) {
      it.years.push({ from: y, pos: i });
      mark(i, onwards + 1);
    } else if (free(i - 1 - article) && V.after.has(prev)) {
      it.years.push({ from: y + 1, pos: i });
      mark(i - 1 - article, 2 + article);
    } else if (free(i - 1 - article) && V.before.has(prev)) {
      it.years.push({ to: y - 1, pos: i });
      mark(i - 1 - article, 2 + article);
    } else if (free(i - 1 - article) && V.since.has(prev)) {
      it.years.push({ from: y, pos: i });
      mark(i - 1 - article, 2 + article);
      // "a partir de 2023"
      if (prev === "de" || words[i - 2] === "partir") mark(i - 3, 2);
    } else if (prev === "de" && words[i - 2] === "partir") {
      it.years.push({ from: y, pos: i });
      mark(i - 3, 4);
    } else if (free(i - 1 - article) && V.until.has(prev)) {
      it.years.push({ to: y, pos: i });
      mark(i - 1 - article, 2 + article);
    } else {
      it.years.push({ from: y, to: y, pos: i });
      mark(i);
    }
  }

  // Sort order.
  for (let i = 0; i < n; i++) {
    let len = phrase(V.sortDesc, i);
    if (len) {
      it.sort = { by: "value", dir: "desc" };
      mark(i, len);
      continue;
    }
    len = phrase(V.sortAsc, i);
    if (len) {
      it.sort = { by: "value", dir: "asc" };
      mark(i, len);
    }
  }
  for (let i = 0; i < n; i++) {
    if (!open(i)) continue;
    if (V.alphabetical.has(words[i])) {
      it.sort = { by: "x", dir: "asc" };
      mark(i);
    } else if (V.sort.hasForm(words[i], false)) {
      // (No stems: "orders" is a noun, not "order".)
      it.sort ??= { by: "value", dir: "desc" };
      mark(i);
      if (V.by.has(words[i + 1])) mark(i + 1);
    }
  }

  // Comparisons: "more than 4", "at least 100", "> 3", "4 or more".
  for (let i = 0; i < n; i++) {
    if (!free(i)) continue;
    for (const [op, set] of Object.entries(V.comparisons)) {
      const len = set.at(words, i, free);
      if (!len) continue;
      const phraseText = words.slice(i, i + len).join(" ");
      const trailing = phraseText.startsWith("or ") ||
        phraseText.startsWith("o ") ||
        phraseText.startsWith("ou ");
      if (trailing) {
        const value = num(i - 1);
        if (value !== null && free(i - 1)) {
          it.comparisons.push({
            op: op as CompareOp,
            value,
            pos: i - 1,
            end: i + len,
          });
          mark(i - 1, len + 1);
        }
      } else {
        const value = num(i + len);
        if (value !== null && free(i + len)) {
          it.comparisons.push({
            op: op as CompareOp,
            value,
            pos: i,
            end: i + len + 1,
          });
          mark(i, len + 1);
        }
      }
      break;
    }
  }

  // Top-N: "top 5", "5 highest", "los 3 … con más", "bottom 3".
  const dirOf = (i: number): "asc" | "desc" | undefined =>
    !open(i)
      ? undefined
      : V.top.has(words[i])
      ? "desc"
      : V.bottom.has(words[i])
      ? "asc"
      : undefined;
  for (let i = 0; i < n; i++) {
    if (!free(i) || isYear(toks[i]) || locked(i)) continue;
    const count = num(i);
    if (
      count === null || count < 1 || count > 1000 || !Number.isInteger(count)
    ) {
      continue;
    }
    let dir = dirOf(i - 1);
    let at = i - 1;
    if (!dir) {
      dir = dirOf(i + 1);
      at = i + 1;
    }
    if (!dir) {
      at = words.findIndex((t, k) =>
        open(k) && k !== i && (V.most.has(t) || V.least.has(t))
      );
      dir = at >= 0 ? (V.least.has(words[at]) ? "asc" : "desc") : undefined;
      if (!dir && V.articles.has(words[i - 1]) && toks[i].num !== null) {
        dir = "desc";
        at = -1;
      }
    }
    if (!dir) continue;
    // "top 5 X", "5 best X": X follows; "the 3 X with the most …": X follows the number.
    const end = at === i - 1 || at === i + 1 ? Math.max(i, at) + 1 : i + 1;
    it.top = { n: count, dir, pos: Math.min(i, at < 0 ? i : at), end };
    mark(i);
    if (at >= 0) mark(at);
    break;
  }
  for (let i = 0; i < n; i++) {
    if (!open(i)) continue;
    if (V.most.has(words[i]) || V.least.has(words[i])) {
      // "more than" was a comparison; a bare "most" or "least" sorts.
      it.superlative = { dir: V.least.has(words[i]) ? "asc" : "desc", pos: i };
      mark(i);
    }
  }

  // Time phrases: "over time", "a lo largo del tiempo".
  for (let i = 0; i < n; i++) {
    const len = phrase(V.timePhrases, i);
    if (len) {
      it.timeSignal = true;
      mark(i, len);
    }
  }

  // Chart kinds, chart nouns, versus, and the words that shape a chart.
  const nounNear = (i: number, len: number) =>
    V.chartNouns.has(words[i - 1]) || V.chartNouns.has(words[i + len]) ||
    (V.chartNouns.has(words[i - 2]) && V.of.has(words[i - 1])) ||
    V.stacked.has(words[i - 1]) || V.stacked.has(words[i + len]) ||
    V.horizontal.has(words[i + len]) || V.horizontal.has(words[i - 1]);
  for (let i = 0; i < n; i++) {
    if (!free(i)) continue;
    let matched = false;
    for (const [kind, set] of Object.entries(V.chartKinds)) {
      const len = set.at(words, i, free);
      if (!len) continue;
      const weak = len === 1 && V.weakKindWords.has(words[i]);
      const strong = nounNear(i, len) ||
        (V.kindPrepositions.has(words[i - 1]) &&
          !(kind === "area" && ["de", "a"].includes(words[i - 1])));
      if ((weak || locked(i)) && !strong) continue;
      it.kind = kind as ChartKind;
      mark(i, len);
      matched = true;
      break;
    }
    if (matched) continue;
    const w = words[i];
    if (V.versus.has(w) && !locked(i)) {
      it.versus = { pos: i };
      mark(i);
    } else if (V.chartNouns.has(w)) {
      it.chartNoun = true;
      mark(i);
    }
  }
  for (let i = 0; i < n; i++) {
    if (!open(i)) continue;
    let len = phrase(V.share, i, true);
    if (len) {
      it.share = true;
      mark(i, len);
      continue;
    }
    len = phrase(V.distribution, i, true);
    if (len) {
      it.distribution = true;
      mark(i, len);
    }
  }

  // Aggregations: phrases ("number of", "how many") first, then words.
  for (let i = 0; i < n; i++) {
    for (const [agg, set] of Object.entries(V.aggregations)) {
      const len = set.at(words, i, open);
      if (len > 1) {
        it.aggs.push({ agg: agg as Agg, pos: i, end: i + len });
        mark(i, len);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (!open(i)) continue;
    for (const [agg, set] of Object.entries(V.aggregations)) {
      if (set.has(words[i])) {
        it.aggs.push({ agg: agg as Agg, pos: i, end: i + 1 });
        mark(i);
        break;
      }
    }
    if (open(i) && V.distinct.has(words[i])) {
      it.distinct = true;
      mark(i);
    }
  }
  // "the heaviest cars by origin": the largest weight (the word still names the measure).
  for (let i = 0; i < n; i++) {
    if (free(i) && superlativeBase(words[i])) {
      it.aggs.push({ agg: "max", pos: i, end: i + 1 });
    }
  }
  it.aggs.sort((a, b) => a.pos - b.pos);

  // Time grains: "monthly", "por mes", "by year"; Portuguese "por data" is "by date".
  // "years of marriage", "años de experiencia" name a thing, not a grain;
  // one period after "by" ("by decade of release", "por año de nacimiento")
  // is the grain of that date.
  const plural = (word: string) =>
    [word.slice(0, -1), word.slice(0, -2)].some((stem) =>
      V.periodNouns.has(stem)
    );
  const ofThing = (i: number) =>
    !(V.by.has(words[i - 1] ?? "") && !plural(words[i])) &&
    V.periodNouns.has(words[i]) && V.of.has(words[i + 1]) &&
    words[i + 2] !== undefined &&
    !keywordOrNumber(toks[i + 2]);
  // "number of days with …", "how many rainy days" count days: a grain word
  // after a count (and its "of" or a describing word or two) is what is counted.
  const counted = (i: number) =>
    it.aggs.some((a) =>
      a.agg === "count" && a.end <= i && i - a.end <= 2 &&
      words.slice(a.end, i).every((w) => V.of.has(w) || !KEYWORDS.has(w))
    );
  // A part of the date that repeats: "by day of the week", "por mes del año".
  for (let i = 0; i < n; i++) {
    for (const cycle of CYCLES) {
      const len = phrase(V.buckets[cycle], i);
      if (!len) continue;
      it.bucket ??= cycle;
      mark(i, len);
      break;
    }
  }
  for (let i = 0; i < n; i++) {
    if (ofThing(i) || counted(i)) continue;
    const bucket = bucketAt(i) ??
      (words[i] === "data" && V.by.has(words[i - 1]) && open(i)
        ? "day"
        : undefined);
    if (bucket) {
      it.bucket ??= bucket;
      mark(i);
    }
  }

  // "by", "per", "for each": what follows is a dimension.
  for (let i = 0; i < n; i++) {
    const len = phrase(V.by, i);
    if (len) {
      it.by.push({ pos: i, end: i + len });
      mark(i, len);
      i += len - 1;
    }
  }

  // Modifiers.
  for (let i = 0; i < n; i++) {
    if (!open(i)) continue;
    const w = words[i];
    if (V.stacked.hasForm(w)) it.stacked = true;
    else if (V.horizontal.hasForm(w)) it.horizontal = true;
    else if (V.instead.hasForm(w)) it.instead = true;
    else if (V.only.has(w)) it.only = true;
    else if (V.add.hasForm(w)) it.add = true;
    else if (V.negation.hasForm(w)) it.negations.push(i);
    else continue;
    mark(i);
  }
  return it;
}
