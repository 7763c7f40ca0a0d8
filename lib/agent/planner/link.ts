/**
 * Linking the words of a request to a dataset: which spans name which
 * columns (by their words, stems, translations, abbreviations, initials or
 * a small typo) and which name values the columns hold ("for AAPL", "only
 * Europe"). Spans are scored, and the best non-overlapping ones win.
 */
import type { Intents } from "./intents.ts";
import { englishOf, keyMatch, type Keys, senseOf } from "./lexicon.ts";
import type { ColumnFeat, DatasetFeat, Slot } from "./schema.ts";
import { namesDataset } from "./schema.ts";
import { compact, editDistance, type Token } from "./text.ts";
import { KEYWORDS, V } from "./vocab.ts";

export interface ColMention {
  col: ColumnFeat;
  pos: number;
  end: number;
  score: number;
}

export interface ValueMention {
  col: ColumnFeat;
  value: string;
  pos: number;
  end: number;
  negated: boolean;
}

export interface Links {
  cols: ColMention[];
  values: ValueMention[];
  /** Spans two or more columns fit equally well ("length": beak or flipper). */
  ambiguous: { pos: number; options: string[] }[];
  /** A word names the dataset itself ("penguins" for penguins.json). */
  nameMention: boolean;
  /** Positions of content words nothing claimed. */
  leftovers: number[];
  score: number;
}

/** Words that join the items of a list. */
const LIST_WORDS = new Set([
  "and",
  "or",
  "y",
  "o",
  "e",
  "ou",
  "nor",
  "ni",
  "nem",
]);

/** Score of an exact column name. */
export const FULL = 3;

function fuzzy(token: string, slot: string): number {
  if (/\d/.test(token) || /\d/.test(slot)) return 0;
  if (token.length >= 5 && slot.length >= 5) {
    const d = editDistance(token, slot);
    if (d <= (Math.min(token.length, slot.length) >= 8 ? 2 : 1)) return 0.7;
  }
  const [short, long] = token.length <= slot.length
    ? [token, slot]
    : [slot, token];
  if (
    short.length >= 3 && long.startsWith(short) &&
    short.length / long.length >= 0.4
  ) {
    return 0.6;
  }
  return 0;
}

export /** A Spanish or Portuguese word against an English name word by their look-alike ("ingeniería", engineering). */
function cognate(word: string, slot: string): number {
  for (const c of senseOf(word).cognates) {
    if (c === slot) return 0.75;
    if (c.length >= 5 && slot.length >= 5) {
      const d = editDistance(c, slot);
      if (d <= (Math.min(c.length, slot.length) >= 8 ? 2 : 1)) return 0.65;
    }
  }
  return 0;
}

interface Virtual {
  word: string;
  keys: Keys;
}

function cover(tokens: Virtual[], slots: Slot[]): number {
  if (tokens.length === 0) return 0;
  const used = new Set<number>();
  let quality = 1;
  for (const tk of tokens) {
    let best = 0;
    let at = -1;
    slots.forEach((s, k) => {
      let q = keyMatch(tk.keys, s.keys);
      if (q === 0) q = fuzzy(tk.word, s.word);
      if (q === 0) q = cognate(tk.word, s.word);
      if (q > best || (q === best && q > 0 && !used.has(k) && used.has(at))) {
        best = q;
        at = k;
      }
    });
    if (best === 0) return 0;
    used.add(at);
    quality = Math.min(quality, best);
  }
  const all = slots.map((_, k) => k);
  const required = all.filter((k) => !slots[k].optional);
  const req = required.length ? required : all;
  const covered = req.filter((k) => used.has(k));
  if (covered.length === 0) return 0;
  if (covered.length === req.length) return FULL * quality;
  if (covered.every((k) => slots[k].generic)) return 0.8 * quality;
  const uncovered = req.filter((k) => !used.has(k));
  if (uncovered.every((k) => slots[k].generic)) return 2 * quality;
  // The last word of a name is what it names: "region" for store_rgn.
  if (uncovered.length === 1 && used.has(req[req.length - 1])) {
    return 1.8 * quality;
  }
  return (1 + 0.8 * covered.length / req.length) * quality;
}

/**
 * How well words name a column whose name is one run of letters
 * ("SUNACTIVITY", "realgdp", "TOTEMP", "hinc"): each word (or a word it
 * translates to) must start a piece of the name, pieces of three letters or
 * more ("tot" of total, "emp" of employment); the share of the name covered
 * sets the weight.
 */
function compoundScore(words: string[], name: string): number {
  if (name.length < 3 || /\d/.test(name)) return 0;
  const used = new Array<boolean>(name.length).fill(false);
  // A piece may not follow a negating prefix: "employment" is not in "unemp".
  const negated = /^(un|in|non|dis)/.exec(name)?.[0].length ?? -1;
  let covered = 0;
  let endsName = false;
  for (const [w, word] of words.entries()) {
    let best: { at: number; len: number } | null = null;
    for (const form of senseOf(word).forms) {
      // Pieces under three letters only open the name ("t" of t-bill rate, "p" of party size).
      const shortest = w === 0 && words.length > 1
        ? 1
        : Math.min(3, form.length);
      for (let len = form.length; len >= shortest; len--) {
        if (best && len <= best.len) break;
        const piece = form.slice(0, len);
        for (
          let at = name.indexOf(piece);
          at !== -1;
          at = name.indexOf(piece, at + 1)
        ) {
          // Short pieces open the name, or are a whole short word right after
          // the previous piece ("id" of party id in "pid").
          if (len < 3 && at !== 0 && !(len === form.length && used[at - 1])) {
            continue;
          }
          if (at === negated) continue;
          if (used.slice(at, at + len).some(Boolean)) continue;
          best = { at, len };
          break;
        }
      }
    }
    if (!best) return 0;
    for (let k = best.at; k < best.at + best.len; k++) used[k] = true;
    covered += best.len;
    endsName ||= best.at + best.len === name.length && best.len >= 4;
  }
  const share = covered / name.length;
  // A short name must be a whole word's start ("mor" of mortality, not of "more").
  if (
    name.length <= 3 &&
    (share < 1 || (words.length === 1 && words[0].length < 5))
  ) {
    return 0;
  }
  // One word must cover half the name ("emp" of TOTEMP) or end it ("dist" of
  // COUNCILDIST), not share a beginning by chance ("pro" of product in
  // "prompt"); several words may share it.
  const least = words.length === 1 && !endsName ? 0.5 : 0.34;
  return share < least ? 0 : FULL * (0.5 + 0.4 * share);
}

/** A span of words, read once for scoring against many columns. */
export interface Span {
  words: string[];
  content: string[];
  joined: string;
  plain: Virtual[];
  expanded: Virtual[];
}

/** Reads a span of tokens for `scoreSpan`. */
export function spanOf(span: Token[]): Span {
  const words = span.map((t) => t.text);
  const content = words.filter((w) => !V.stopwords.has(w));
  const plain = content.map((w) => ({ word: w, keys: senseOf(w).keys }));
  const expanded = content.flatMap((w) => {
    const phrase = senseOf(w).phrases[0];
    return phrase
      ? phrase.map((keys) => ({ word: w, keys }))
      : [{ word: w, keys: senseOf(w).keys }];
  });
  return { words, content, joined: compact(words.join("")), plain, expanded };
}

/** How well a span of words names a column: 3 is its full name, 0 no match. */
export function scoreSpan(span: Span, col: ColumnFeat): number {
  const { words, content, joined, plain, expanded } = span;
  if (
    joined === col.compact && (content.length > 0 || col.compact.length >= 4)
  ) {
    return FULL;
  }
  if (content.length === 0) return 0;
  if (V.stopwords.has(words[0]) || V.stopwords.has(words[words.length - 1])) {
    return 0;
  }
  // A word most names share ("amt") names no column alone.
  if (content.every((w) => col.commonWords.has(w))) return 0;
  if (
    content.length === 1 && words.length === 1 && col.initials.has(words[0]) &&
    !KEYWORDS.has(words[0])
  ) {
    return 0.9 * FULL;
  }
  let best = 0;
  for (const slots of [col.slots, col.expanded]) {
    if (!slots) continue;
    best = Math.max(best, cover(plain, slots));
    if (expanded.length !== plain.length) {
      best = Math.max(best, cover(expanded, slots));
    }
  }
  if (best < 0.75 * FULL && col.compound) {
    best = Math.max(best, compoundScore(content, col.words[0]));
  }
  // A word the name starts with ("temp" for temperature_max) is a weak match.
  if (
    best === 0 && words.length === 1 && !KEYWORDS.has(words[0]) &&
    words[0].length >= 2
  ) {
    if (
      col.compact.startsWith(words[0]) &&
      words[0].length / col.compact.length >= 0.4
    ) {
      best = 1;
    }
  }
  return best;
}

/** Columns one word can name: by a shared key, a piece of a one-word name, or (when nothing else) a prefix or typo. */
function wordCandidates(df: DatasetFeat, word: string): Set<ColumnFeat> {
  const out = new Set<ColumnFeat>();
  const sense = senseOf(word);
  for (const key of sense.keys.keys()) {
    for (const c of df.byKey.get(key) ?? []) out.add(c);
  }
  for (const phrase of sense.phrases) {
    for (const keys of phrase) {
      for (const key of keys.keys()) {
        for (const c of df.byKey.get(key) ?? []) out.add(c);
      }
    }
  }
  // Names that are one run of letters hold pieces of words ("realgdp"), or
  // start with a word's first letter ("p" of party size in "psize").
  for (const f of sense.forms) {
    if (f.length >= 3) {
      for (const c of df.compounds.get(f.slice(0, 3)) ?? []) out.add(c);
    }
    for (const c of df.compounds.get(`^${f[0]}`) ?? []) out.add(c);
    if (f.length === 2) {
      for (const c of df.compounds.get(`2:${f}`) ?? []) out.add(c);
    }
  }
  for (const c of df.byName.get(word) ?? []) out.add(c);
  if (out.size === 0 && word.length >= 2) {
    for (const c of df.byFirst.get(word[0]) ?? []) {
      if (c.words.some((w) => cognate(word, w) > 0)) out.add(c);
      if (
        c.compact.startsWith(word) || c.words.some((w) => fuzzy(word, w) > 0)
      ) {
        out.add(c);
      }
    }
  }
  return out;
}

/**
 * Candidate columns for a span: those every content word can name (a name
 * must account for each word), plus names the joined words spell ("pm25").
 */
function candidates(
  df: DatasetFeat,
  span: Token[],
  perWord: (t: Token) => Set<ColumnFeat>,
): Set<ColumnFeat> {
  const sets = span.filter((t) => !V.stopwords.has(t.text)).map(perWord)
    .sort((a, b) => a.size - b.size);
  let out: Set<ColumnFeat>;
  if (sets.length === 0) out = new Set();
  else if (sets.length === 1 && span.length === 1) out = sets[0];
  else {
    out = new Set([...sets[0]].filter((c) => sets.every((s) => s.has(c))));
  }
  if (span.length <= 3) {
    out = new Set(out);
    const joined = compact(span.map((t) => t.text).join(""));
    for (const c of df.byName.get(joined) ?? []) out.add(c);
  }
  return out;
}

interface Candidate {
  start: number;
  end: number;
  score: number;
  col: ColumnFeat;
  value?: string;
}

/**
 * A span's readings with some of its words in English, the span itself left
 * out (at most 16: each word keeps its first three translations).
 */
function inEnglish(span: string[]): string[] {
  let out: string[][] = [[]];
  let translated = false;
  for (const word of span) {
    const english = englishOf(word).slice(0, 3);
    if (english.length) translated = true;
    out = out.flatMap((head) => [word, ...english].map((w) => [...head, w]))
      .slice(0, 16);
  }
  if (!translated) return [];
  const own = span.join(" ");
  return out.map((ws) => ws.join(" ")).filter((k) => k !== own);
}

/**
 * Links a request's free tokens to a dataset. Spans may run over a "by"
 * word ("miles per gallon"); `intents.byEnds` then loses that "by".
 */
export function linkDataset(
  toks: Token[],
  intents: Intents,
  df: DatasetFeat,
  byTokens: Set<number>,
): Links {
  const words = toks.map((t) => t.text);
  const usable = (k: number) => !intents.used[k] || byTokens.has(k);
  const cands: Candidate[] = [];
  const memo = new Map<string, Set<ColumnFeat>>();
  const perWord = (t: Token) => {
    let set = memo.get(t.text);
    if (!set) memo.set(t.text, set = wordCandidates(df, t.text));
    return set;
  };
  for (let i = 0; i < toks.length; i++) {
    if (intents.used[i]) continue;
    for (
      let len = 1;
      len <= Math.max(5, df.maxValueWords) && i + len <= toks.length;
      len++
    ) {
      if (!usable(i + len - 1)) break;
      const span = toks.slice(i, i + len);
      // A span may not start or end on a "by" word.
      if (byTokens.has(i + len - 1)) continue;
      const key = words.slice(i, i + len).join(" ");
      for (const hit of df.values.get(key) ?? []) {
        cands.push({
          start: i,
          end: i + len,
          score: hit.initials ? 0.8 * FULL : FULL + 0.01 * len,
          col: hit.col,
          value: hit.value,
        });
      }
      // A word made from a value ("japanese" of Japan, "european" of Europe,
      // "sunny" of sun, "rainy" of rain).
      if (
        len === 1 && key.length >= 4 && !KEYWORDS.has(key) &&
        !df.values.has(key)
      ) {
        for (const [vk, hits] of df.valuesByFirst.get(key[0]) ?? []) {
          if (
            (vk.length >= 4 && key.length >= 5 && key.startsWith(vk) &&
              key.length - vk.length <= 4) ||
            (vk.length >= 3 &&
              (key === `${vk}y` || key === `${vk}${vk.at(-1)}y`))
          ) {
            for (const hit of hits) {
              cands.push({
                start: i,
                end: i + 1,
                score: 2,
                col: hit.col,
                value: hit.value,
              });
            }
          }
        }
      }
      // A value named in another language ("inundaciones" of Flood, "Nueva
      // York" of New York): the span with its words in English.
      if (len <= 3 && !df.values.has(key)) {
        for (const english of inEnglish(words.slice(i, i + len))) {
          for (const hit of df.values.get(english) ?? []) {
            if (hit.initials) continue;
            cands.push({
              start: i,
              end: i + len,
              score: 0.9 * FULL + 0.01 * len,
              col: hit.col,
              value: hit.value,
            });
          }
        }
      }
      if (len <= 5) {
        const read = spanOf(span);
        for (const col of candidates(df, span, perWord)) {
          const s = scoreSpan(read, col);
          if (s > 0) cands.push({ start: i, end: i + len, score: s, col });
        }
      }
      // One typo in a long single-word value ("Constrution").
      if (
        len === 1 && key.length >= 5 && !KEYWORDS.has(key) &&
        !df.values.has(key)
      ) {
        for (const [vk, hits] of df.valuesByFirst.get(key[0]) ?? []) {
          if (Math.abs(vk.length - key.length) > 1) continue;
          if (editDistance(vk, key, 2) > 1) continue;
          for (const hit of hits) {
            cands.push({
              start: i,
              end: i + 1,
              score: 1.8,
              col: hit.col,
              value: hit.value,
            });
          }
        }
      }
    }
  }
  // "number of deaths" where death_date dates each row: the rows are what is
  // counted, not the value Death of another column ("number of homicides"
  // still counts that value).
  const afterCount = (start: number) =>
    intents.aggs.some((a) =>
      a.agg === "count" && a.end <= start && start - a.end <= 1
    );
  for (const c of cands) {
    if (c.value === undefined || !afterCount(c.start)) continue;
    const dated = cands.some((o) =>
      o.value === undefined && o.col.role === "time" && o.start === c.start &&
      o.end === c.end
    );
    if (dated) c.score = 0;
  }
  cands.sort((a, b) =>
    b.score - a.score || (b.end - b.start) - (a.end - a.start) ||
    a.start - b.start ||
    (a.value === undefined ? -1 : 1) - (b.value === undefined ? -1 : 1)
  );
  const taken = new Array<boolean>(toks.length).fill(false);
  const out: Links = {
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
        p < c.start && c.start - p <= 3
      );
      out.values.push({
        col: c.col,
        value: c.value,
        pos: c.start,
        end: c.end,
        negated,
      });
      continue;
    }
    out.cols.push({ col: c.col, pos: c.start, end: c.end, score: c.score });
    if (c.score < FULL) {
      // Equal fits, or names that end in the same word the span names
      // ("rating": IMDB Rating, Rotten Tomatoes Rating).
      const head = (col: ColumnFeat) => col.words.at(-1);
      const rivals = cands.filter((o) =>
        o !== c && o.value === undefined && o.start === c.start &&
        o.end === c.end && o.col !== c.col &&
        (Math.abs(o.score - c.score) < 0.02 ||
          (o.score >= 0.6 * c.score && head(o.col) === head(c.col) &&
            c.end - c.start === 1 && keyMatch(
                senseOf(words[c.start]).keys,
                senseOf(head(c.col)!).keys,
              ) > 0))
      );
      if (rivals.length) {
        out.ambiguous.push({
          pos: c.start,
          options: [c.col.name, ...new Set(rivals.map((r) => r.col.name))],
        });
      }
    }
  }
  for (let i = 0; i < toks.length; i++) {
    if (intents.used[i] || taken[i]) continue;
    const t = words[i];
    if (V.stopwords.has(t) || toks[i].num !== null) continue;
    if (namesDataset(df, t)) {
      out.nameMention = true;
      out.score += 0.5;
    } else if (!KEYWORDS.has(t)) {
      out.leftovers.push(i);
    }
  }
  // A word the table cannot place counts against it: "unit price" fits a
  // table with unit_prc better than one with units and no price.
  out.score -= out.leftovers.length;
  // "by month" names a table with dates as well as one with a month column.
  if (intents.bucket && df.timeColumns.length) out.score += FULL;
  out.cols.sort((a, b) => a.pos - b.pos);
  out.values.sort((a, b) => a.pos - b.pos);
  // "except X", "excluding X and Y": a negation covers a list of values of one column.
  out.values.forEach((v, i) => {
    const prev = out.values[i - 1];
    const between = prev ? words.slice(prev.end, v.pos) : [];
    v.negated = intents.negations.some((p) => p < v.pos && v.pos - p <= 3) ||
      (!!prev?.negated && prev.col === v.col &&
        between.every((w) => LIST_WORDS.has(w)));
  });
  return out;
}
