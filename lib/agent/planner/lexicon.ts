/**
 * What a word can mean, as keys shared by request words and column-name
 * words: the word itself, its English stem, the English words a Spanish or
 * Portuguese word translates to (and their stems), and the synonyms and
 * abbreviations of `en.ts`. Two words match when they share a key; the key's
 * weight says how sure the match is (exact 1, same stem 0.95, translation or
 * synonym 0.85).
 */
import { LANGUAGES } from "@/lib/agent/lang/mod.ts";
import { singulars } from "./text.ts";

/** Key → weight. Keys are `w:<word>` (the exact word) or `s:<English stem>`. */
export type Keys = Map<string, number>;

export interface Sense {
  keys: Keys;
  /** The word and the English words it stands for (for matching inside compound names). */
  forms: string[];
  /**
   * English look-alikes of a Spanish or Portuguese word the lexicon does not
   * hold ("biología" → biology, "producción" → production), matched with a typo's slack.
   */
  cognates: string[];
  /** Multi-word expansions ("mpg" → miles per gallon), each word's keys. */
  phrases: Keys[][];
}

const EXACT = 1;
const STEM = 0.95;
const TRANSLATED = 0.85;

const enStem = LANGUAGES.en.stem;

function alternatives(value: string): string[][] {
  return value.split("|").map((alt) => alt.trim().split(/\s+/)).filter((a) =>
    a.length > 0 && a[0] !== ""
  );
}

/** Foreign word (and its Spanish or Portuguese stem) → English alternatives. */
const foreign = new Map<string, string[][]>();
const foreignStems = new Map<string, string[][]>();
for (const lang of [LANGUAGES.es, LANGUAGES.pt]) {
  for (const [word, value] of Object.entries(lang.vocab.lexicon)) {
    const alts = alternatives(value);
    foreign.set(word, [...(foreign.get(word) ?? []), ...alts]);
    const stem = `${lang.code}:${lang.stem(word)}`;
    foreignStems.set(stem, [...(foreignStems.get(stem) ?? []), ...alts]);
  }
}
/** Every English word the lexicons know (the words translations and synonyms name). */
const englishWords = new Set<string>();
for (const lang of Object.values(LANGUAGES)) {
  // (Not en.ts's keys: many are abbreviations — "realgdp", "mpg".)
  for (const value of Object.values(lang.vocab.lexicon)) {
    for (const alt of alternatives(value)) {
      for (const w of alt) englishWords.add(w);
    }
  }
}

/**
 * Whether a name word is an ordinary English word ("name", "product"):
 * such a name is not a run of abbreviations to match piece by piece.
 */
export function isKnownWord(word: string): boolean {
  return singulars(word).some((w) => englishWords.has(w));
}

/** English word → synonyms and expansions. */
const synonyms = new Map<string, string[][]>(
  Object.entries(LANGUAGES.en.vocab.lexicon).map((
    [k, v],
  ) => [k, alternatives(v)]),
);

function stemKey(word: string): string {
  return /^\d+$/.test(word) || word.length < 3
    ? `w:${word}`
    : `s:${enStem(word)}`;
}

function put(keys: Keys, key: string, weight: number): void {
  if ((keys.get(key) ?? 0) < weight) keys.set(key, weight);
}

function translationsOf(word: string): string[][] {
  const out: string[][] = [];
  for (const form of singulars(word)) {
    out.push(...(foreign.get(form) ?? []));
  }
  if (out.length === 0 && word.length >= 4 && !/\d/.test(word)) {
    for (const lang of [LANGUAGES.es, LANGUAGES.pt]) {
      out.push(...(foreignStems.get(`${lang.code}:${lang.stem(word)}`) ?? []));
    }
  }
  return out;
}

/** What a Spanish or Portuguese word says in English ("inundaciones" → flood, flooding). */
export function englishOf(word: string): string[] {
  return [...new Set(translationsOf(word).map((alt) => alt.join(" ")))];
}

function synonymsOf(word: string): string[][] {
  const out: string[][] = [];
  for (const form of singulars(word)) out.push(...(synonyms.get(form) ?? []));
  return out;
}

/**
 * The plain adjective of an English superlative the lexicon knows
 * ("heaviest" → heavy, "fastest" → fast), or null.
 */
export function superlativeBase(word: string): string | null {
  if (word.length < 6) return null;
  const bases = word.endsWith("iest")
    ? [word.slice(0, -4) + "y"]
    : word.endsWith("est")
    ? [word.slice(0, -3), word.slice(0, -2), word.slice(0, -4)]
    : [];
  return bases.find((b) => synonyms.has(b)) ?? null;
}

/** The keys of a word without following translations or synonyms. */
function plainKeys(word: string, weight: number): Keys {
  const keys: Keys = new Map();
  put(keys, `w:${word}`, weight);
  for (const form of singulars(word)) put(keys, stemKey(form), weight * STEM);
  return keys;
}

/** Spanish and Portuguese endings and the English endings of their cognates. */
const COGNATE_ENDINGS: [RegExp, string][] = [
  [/ciones$/, "tions"],
  [/cion$/, "tion"],
  [/coes$/, "tions"],
  [/cao$/, "tion"],
  [/sion(es)?$/, "sion"],
  [/sao$/, "sion"],
  [/dades?$/, "ty"],
  [/dad$/, "ty"],
  [/erias?$/, "eering"],
  [/ias$/, "ies"],
  [/ia$/, "y"],
  [/ismos?$/, "ism"],
  [/istas?$/, "ist"],
  [/icas$/, "ics"],
  [/ic[oa]s?$/, "ic"],
  [/mente$/, "ly"],
  [/os[oa]s?$/, "ous"],
  [/uras?$/, "ure"],
  [/aje$/, "age"],
  [/agem$/, "age"],
  [/ari[oa]s?$/, "ary"],
  [/iv[oa]s?$/, "ive"],
  [/encias?$/, "ence"],
  [/ancias?$/, "ance"],
  [/entes?$/, "ent"],
  [/antes?$/, "ant"],
  [/ales$/, "als"],
  [/eis$/, "els"],
  [/[oa]s$/, ""],
  [/[oae]$/, ""],
];

/** English look-alikes of a word by its ending (none for short or English-looking words). */
function cognatesOf(word: string): string[] {
  if (word.length < 5 || /\d/.test(word)) return [];
  const out = new Set<string>();
  for (const [ending, english] of COGNATE_ENDINGS) {
    if (ending.test(word)) {
      // Spelling Romance languages share: "qu" for "c", "f" for "ph", "t" for "th".
      const stem = word.replace(ending, english);
      out.add(stem);
      out.add(stem.replace(/qu/g, "ch").replace(/^f/, "ph"));
    }
  }
  out.delete(word);
  return [...out].filter((w) => w.length >= 4);
}

const cache = new Map<string, Sense>();

/** Returns what a folded word can mean (cached: words repeat across requests and columns). */
export function senseOf(word: string): Sense {
  const hit = cache.get(word);
  if (hit) return hit;
  const keys = plainKeys(word, EXACT);
  const phrases: Keys[][] = [];
  const forms = [word];
  const base = superlativeBase(word);
  for (
    const alt of [
      ...translationsOf(word),
      ...synonymsOf(word),
      ...(base ? synonymsOf(base) : []),
    ]
  ) {
    forms.push(...alt);
    if (alt.length === 1) {
      for (const [k, v] of plainKeys(alt[0], TRANSLATED)) put(keys, k, v);
    } else {
      phrases.push(alt.map((x) => plainKeys(x, TRANSLATED)));
    }
  }
  const sense = {
    keys,
    phrases,
    forms: [...new Set(forms)],
    cognates: forms.length === 1 ? cognatesOf(word) : [],
  };
  if (cache.size > 50_000) cache.clear();
  cache.set(word, sense);
  return sense;
}

/** How well two key sets match: the best shared key's weaker weight, or 0. */
export function keyMatch(a: Keys, b: Keys): number {
  let best = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [k, v] of small) {
    const u = large.get(k);
    if (u !== undefined) best = Math.max(best, Math.min(u, v));
  }
  return best;
}
