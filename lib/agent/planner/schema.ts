/**
 * A dataset as the planner sees it: each column's words (and what they can
 * mean), its role — time, measure, category, identifier or coordinate —
 * read from its type, values and name, and an index of its text values so
 * that "for Construction" or "only Europe" finds the column that holds them.
 * Built once per dataset and kept in a small per-process cache (a pure
 * function of the immutable profile, so no instance needs another's copy).
 */
import type { ColumnProfile, DatasetProfile } from "@/lib/data/table.ts";
import { isKnownWord, keyMatch, type Keys, senseOf } from "./lexicon.ts";
import { compact, identifierWords, tokenize } from "./text.ts";
import { KEYWORDS, V } from "./vocab.ts";

export type Role = "time" | "measure" | "category" | "id" | "geo";

/** One word of a column name and what it can mean. */
export interface Slot {
  word: string;
  keys: Keys;
  /** A unit or function word: a name matches without it. */
  optional: boolean;
  /** Says little alone ("code", "name", "value"). */
  generic: boolean;
}

export interface ColumnFeat {
  profile: ColumnProfile;
  name: string;
  index: number;
  compact: string;
  words: string[];
  slots: Slot[];
  /** The slots with abbreviations spelled out ("realgdp" → real gross domestic product). */
  expanded: Slot[] | null;
  /** Initials of the name's words ("mpg" for Miles_per_Gallon), with and without function words. */
  initials: Set<string>;
  role: Role;
  numeric: boolean;
  /** A numeric column of years (whole numbers named like a year): a time axis at year grain. */
  yearNumbers: boolean;
  distinctCount: number;
  /** Folded value → the value as stored. */
  values: Map<string, string>;
  /** Summed (not averaged) when no aggregation is named. */
  additive: boolean;
  /** A name of one run of letters that is no known word ("realgdp", "TOTEMP"): matched piece by piece. */
  compound: boolean;
  /** Name words most columns of the dataset share (matched, but naming none alone). */
  commonWords: Set<string>;
  /** A column of years with a sibling column of quarters or months: together one time axis. */
  sub?: { column: string; unit: "quarter" | "month" };
}

export interface ValueHit {
  col: ColumnFeat;
  value: string;
  /** Matched by its initials ("GM"), not spelled out: a weaker match than a column name. */
  initials?: true;
}

export interface DatasetFeat {
  profile: DatasetProfile;
  id: string;
  demo: boolean;
  columns: ColumnFeat[];
  /** Key → columns with a word that has it, for finding candidates fast. */
  byKey: Map<string, ColumnFeat[]>;
  /** The dataset name's words ("penguins.json" → penguins). */
  nameKeys: Keys[];
  /** Folded value text (space-joined tokens) → columns holding it. */
  values: Map<string, ValueHit[]>;
  /** Longest value, in tokens. */
  maxValueWords: number;
  /** Time columns, the most useful first (a real date before a year number). */
  timeColumns: ColumnFeat[];
  /** Names that are one run of letters, by every three letters they hold ("realgdp"). */
  compounds: Map<string, ColumnFeat[]>;
  /** Columns by their compact name and by their initials. */
  byName: Map<string, ColumnFeat[]>;
  /** Columns by the first letter of each name word (for prefixes and typos). */
  byFirst: Map<string, ColumnFeat[]>;
  /** Single-word values by first letter (for typos). */
  valuesByFirst: Map<string, [string, ValueHit[]][]>;
  /** Compact names of every column ("tempmax"). */
  compactNames: Set<string>;
  /** The required parts of two- or three-part names that hold a keyword (temp_max). */
  keywordNames: Slot[][];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

const NUMERIC = new Set(["integer", "number"]);

function slotsOf(
  words: string[],
  capitals: ReadonlySet<string> = new Set(),
): Slot[] {
  return words.map((word, i) => ({
    word,
    keys: senseOf(word).keys,
    // (A unit is optional, unless it is also a statistic: temp_min is not "temp in minutes".
    // A word in capitals is an abbreviation, not a function word: the US of "US Gross".)
    optional:
      V.stopwords.has(word) && !capitals.has(word) && words.length > 1 ||
      (V.units.has(word) && i > 0 &&
        !Object.values(V.aggregations).some((s) => s.has(word))),
    // ("cd" is generic as "code" is, "tot" as "total".)
    generic: V.genericNames.has(word) ||
      [...senseOf(word).keys.keys()].some((k) =>
        k.startsWith("w:") && V.genericNames.has(k.slice(2))
      ),
  }));
}

function expandedSlots(words: string[]): Slot[] | null {
  let changed = false;
  const out: Slot[] = [];
  words.forEach((word, i) => {
    const phrase = senseOf(word).phrases[0];
    if (phrase && !V.units.has(word)) {
      changed = true;
      for (const keys of phrase) {
        out.push({ word, keys, optional: false, generic: false });
      }
    } else out.push(...slotsOf(words.slice(i, i + 1)));
  });
  return changed ? out : null;
}

function isYearColumn(col: ColumnProfile, words: string[]): boolean {
  if (!NUMERIC.has(col.type)) return false;
  if (!words.some((w) => V.yearNames.has(w))) return false;
  const min = Number(col.min);
  const max = Number(col.max);
  return Number.isFinite(min) && Number.isFinite(max) && min >= 1000 &&
    max <= 2999;
}

function roleOf(
  col: ColumnProfile,
  words: string[],
  yearNumbers: boolean,
): Role {
  if (col.type === "date" || col.type === "datetime" || yearNumbers) {
    return "time";
  }
  const has = (set: typeof V.identifiers) => words.some((w) => set.has(w));
  if (has(V.identifiers)) return "id";
  if (NUMERIC.has(col.type)) {
    const min = Number(col.min);
    const max = Number(col.max);
    if (has(V.latitude) && min >= -90 && max <= 90) return "geo";
    if (has(V.longitude) && min >= -180 && max <= 180) return "geo";
    if (col.type === "integer" && has(V.labelNumbers)) {
      return has(V.additive) ? "measure" : "category";
    }
    return "measure";
  }
  return "category";
}

/** The words a name writes in capitals ("US" of "US Gross"), lower-cased. */
function capitalWords(name: string): Set<string> {
  return new Set(
    [...name.matchAll(/(?<![\p{L}])\p{Lu}{2,}(?![\p{L}])/gu)].map((m) =>
      m[0].toLowerCase()
    ),
  );
}

function initialsOf(words: string[]): Set<string> {
  const out = new Set<string>();
  const letters = (ws: string[]) => ws.map((w) => w[0]).join("");
  if (words.length >= 2) out.add(letters(words));
  const content = words.filter((w) => !V.stopwords.has(w) && !V.units.has(w));
  if (content.length >= 2) out.add(letters(content));
  return out;
}

function columnFeat(col: ColumnProfile, index: number): ColumnFeat {
  const words = identifierWords(col.name);
  const yearNumbers = isYearColumn(col, words);
  const role = roleOf(col, words, yearNumbers);
  const values = new Map<string, string>();
  for (const v of col.distinct ?? []) {
    const toks = tokenize(v).map((t) => t.text);
    const key = toks.join(" ");
    if (key.length < 2 || /^[\d\s]+$/.test(key)) continue;
    if (toks.length === 1 && KEYWORDS.has(key)) continue;
    if (!values.has(key)) values.set(key, v);
  }
  // Only abbreviations are spelled out: a word's synonyms ("price" → cost)
  // do not say whether it adds up.
  const spelled = words.flatMap((w) =>
    isKnownWord(w) ? [w] : [
      w,
      ...[...senseOf(w).keys.keys()].filter((k) => k.startsWith("w:"))
        .map((k) => k.slice(2)),
    ]
  );
  return {
    profile: col,
    name: col.name,
    index,
    compact: compact(col.name),
    words,
    slots: slotsOf(words, capitalWords(col.name)),
    expanded: expandedSlots(words),
    initials: initialsOf(words),
    role,
    numeric: NUMERIC.has(col.type),
    yearNumbers,
    distinctCount: col.distinctCount ?? col.distinct?.length ?? 0,
    values,
    // "revenue" adds up; "revenue per head", a rate or an average does not.
    // (Abbreviations count as their words: tot_amt is a total amount.)
    additive: spelled.some((w) => V.additive.has(w)) &&
      !spelled.some((w) => V.ratios.has(w)),
    commonWords: new Set(),
    compound: words.length === 1 && words[0].length >= 3 &&
      !isKnownWord(words[0]),
  };
}

function build(ds: DatasetProfile): DatasetFeat {
  const columns = ds.columns.map(columnFeat);
  // A word in most column names ("amt" of every *_amt) tells them apart from
  // nothing: it is generic here, and a name matches without it.
  if (columns.length >= 20) {
    const uses = new Map<string, number>();
    for (const col of columns) {
      for (const w of new Set(col.words)) uses.set(w, (uses.get(w) ?? 0) + 1);
    }
    for (const col of columns) {
      for (const slot of col.slots) {
        if (
          (uses.get(slot.word) ?? 0) > columns.length * 0.3 &&
          col.slots.length > 1
        ) {
          slot.generic = true;
          slot.optional = true;
          col.commonWords.add(slot.word);
        }
      }
    }
  }
  const byKey = new Map<string, ColumnFeat[]>();
  for (const col of columns) {
    for (const slot of [...col.slots, ...(col.expanded ?? [])]) {
      for (const key of slot.keys.keys()) {
        const list = byKey.get(key) ?? [];
        if (!list.includes(col)) list.push(col);
        byKey.set(key, list);
      }
    }
  }
  const values = new Map<string, ValueHit[]>();
  let maxValueWords = 1;
  for (const col of columns) {
    for (const [key, value] of col.values) {
      const list = values.get(key) ?? [];
      list.push({ col, value });
      values.set(key, list);
      maxValueWords = Math.max(maxValueWords, key.split(" ").length);
    }
  }
  // Initials of many-word values ("GM" for General Motors), where they name nothing else.
  const byInitials = new Map<string, ValueHit[]>();
  for (const col of columns) {
    for (const [key, value] of col.values) {
      const parts = key.split(" ").filter((p) => /^\p{L}/u.test(p));
      if (parts.length < 2) continue;
      const initials = parts.map((p) => p[0]).join("");
      if (
        values.has(initials) || KEYWORDS.has(initials) ||
        V.stopwords.has(initials)
      ) continue;
      byInitials.set(initials, [...(byInitials.get(initials) ?? []), {
        col,
        value,
        initials: true,
      }]);
    }
  }
  for (const [k, hits] of byInitials) {
    if (hits.length === 1) values.set(k, hits);
  }
  // Years with quarters or months beside them ("year", "quarter") make one time axis.
  for (const col of columns) {
    if (!col.yearNumbers) continue;
    const sibling = (words: string[], max: number) =>
      columns.find((c) =>
        c !== col && c.numeric && c.words.some((w) => words.includes(w)) &&
        Number(c.profile.min) >= 1 && Number(c.profile.max) <= max
      );
    const q = sibling(["quarter", "qtr", "trimestre"], 4);
    const m = sibling(["month", "mes", "mon", "mth"], 12);
    if (q) col.sub = { column: q.name, unit: "quarter" };
    else if (m) col.sub = { column: m.name, unit: "month" };
  }
  const compounds = new Map<string, ColumnFeat[]>();
  const byName = new Map<string, ColumnFeat[]>();
  const byFirst = new Map<string, ColumnFeat[]>();
  for (const col of columns) {
    push(byName, col.compact, col);
    for (const i of col.initials) push(byName, i, col);
    push(byFirst, col.compact[0], col);
    for (const w of col.words) push(byFirst, w[0], col);
    if (col.compound) {
      const name = col.words[0];
      for (let k = 0; k + 3 <= name.length; k++) {
        push(compounds, name.slice(k, k + 3), col);
      }
      push(compounds, `^${name[0]}`, col);
      for (let k = 1; k + 2 <= name.length; k++) {
        push(compounds, `2:${name.slice(k, k + 2)}`, col);
      }
    }
  }
  const valuesByFirst = new Map<string, [string, ValueHit[]][]>();
  for (const [key, hits] of values) {
    if (!key.includes(" ")) push(valuesByFirst, key[0], [key, hits]);
  }
  const stem = ds.name.replace(
    /\.(csv|tsv|txt|tab|xlsx?|json|ndjson|jsonl)$/i,
    "",
  );
  const nameKeys = identifierWords(stem).filter((w) => !V.stopwords.has(w))
    .map((w) => senseOf(w).keys);
  const timeColumns = columns.filter((c) => c.role === "time").sort((a, b) =>
    Number(a.numeric) - Number(b.numeric) ||
    grainRank(a) - grainRank(b)
  );
  const keyword = (s: Slot) =>
    KEYWORDS.has(s.word) ||
    [...s.keys.keys()].some((k) =>
      k.startsWith("w:") && KEYWORDS.has(k.slice(2))
    );
  const keywordNames = columns.map((c) => c.slots.filter((s) => !s.optional))
    .filter((slots) =>
      slots.length >= 2 && slots.length <= 3 && slots.some(keyword)
    );
  return {
    compactNames: new Set(columns.map((c) => c.compact)),
    keywordNames,
    profile: ds,
    id: ds.id,
    demo: ds.id.startsWith("demo:"),
    columns,
    byKey,
    nameKeys,
    values,
    maxValueWords: Math.min(maxValueWords, 6),
    timeColumns,
    compounds,
    byName,
    byFirst,
    valuesByFirst,
  };
}

function grainRank(c: ColumnFeat): number {
  if (c.numeric) return 3;
  return c.profile.grain === "year" ? 2 : c.profile.grain === "month" ? 1 : 0;
}

const cache = new Map<string, DatasetFeat>();
const CACHE_SIZE = 32;

/** Returns the planner's view of a dataset (cached by id and shape: stored datasets never change). */
export function datasetFeat(ds: DatasetProfile): DatasetFeat {
  const key = `${ds.id}\u0000${ds.rowCount}\u0000${ds.columns.length}`;
  const hit = cache.get(key);
  if (
    hit && hit.profile.columns.every((c, i) => c.name === ds.columns[i].name)
  ) {
    // Refresh its place in the LRU order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const feat = build(ds);
  cache.set(key, feat);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return feat;
}

/** Whether a word is (part of) the dataset's name ("penguins" for penguins.json). */
export function namesDataset(df: DatasetFeat, word: string): boolean {
  const keys = senseOf(word).keys;
  return df.nameKeys.some((k) => keyMatch(k, keys) >= 0.85);
}
