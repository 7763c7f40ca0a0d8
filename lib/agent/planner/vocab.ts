/**
 * The planner's view of the three languages' vocabularies: every list merged
 * across English, Spanish and Portuguese (people mix them, and a short
 * request rarely shows its language), indexed for phrase lookups.
 */
import { EXPORT_CATALOG } from "@/lib/exports/catalog.ts";
import type { ExportMenuFormat } from "@/lib/agent/lang/types.ts";
import { LANGUAGES } from "@/lib/agent/lang/mod.ts";
import type {
  Agg,
  Bucket,
  ChartKind,
  Vocabulary,
  Words,
} from "@/lib/agent/lang/types.ts";

const STEMMERS = Object.values(LANGUAGES).map((l) => l.stem);

const stemCache = new Map<string, string[]>();

/** A word's stems in the three languages ("ordenado" and "ordena" share one); cached. */
function stemsOf(word: string): string[] {
  let stems = stemCache.get(word);
  if (!stems) {
    stems = STEMMERS.map((stem) => stem(word));
    if (stemCache.size > 20_000) stemCache.clear();
    stemCache.set(word, stems);
  }
  return stems;
}

/** A set of phrases (folded word sequences), looked up at a token position. */
export class PhraseSet {
  #byFirst = new Map<string, string[][]>();
  #stems = new Set<string>();
  readonly words = new Set<string>();

  constructor(phrases: Iterable<string>) {
    for (const phrase of phrases) {
      const parts = phrase.split(" ").filter(Boolean);
      if (parts.length === 0) continue;
      if (parts.length === 1) {
        this.words.add(parts[0]);
        if (parts[0].length >= 5) {
          for (const s of stemsOf(parts[0])) this.#stems.add(s);
        }
      }
      const list = this.#byFirst.get(parts[0]) ?? [];
      list.push(parts);
      list.sort((a, b) => b.length - a.length);
      this.#byFirst.set(parts[0], list);
    }
  }

  /** Whether a single word is in the set. */
  has(word: string | undefined): boolean {
    return word !== undefined && this.words.has(word);
  }

  /** Whether a word or an inflection of one is in the set ("descárgalo" for "descarga"). */
  hasForm(word: string | undefined, stems = true): boolean {
    if (word === undefined) return false;
    if (this.words.has(word)) return true;
    // A pronoun joined to a verb: "ordénalo", "descárgala", "muéstramelos".
    const bare = /^(.{4,}?)(melos|melas|selo|sela|los|las|les|lo|la|le|me|nos)$/
      .exec(word)?.[1];
    if (
      bare &&
      (this.words.has(bare) || stemsOf(bare).some((s) => this.#stems.has(s)))
    ) {
      return true;
    }
    return stems && word.length >= 5 &&
      stemsOf(word).some((s) => this.#stems.has(s));
  }

  /**
   * Length of the longest phrase starting at `i` whose words are all free
   * (`free(k)`), or 0.
   */
  at(
    words: string[],
    i: number,
    free: (k: number) => boolean = () => true,
  ): number {
    const list = this.#byFirst.get(words[i]);
    if (!list) return 0;
    for (const parts of list) {
      if (i + parts.length > words.length) continue;
      if (parts.every((x, k) => words[i + k] === x && free(i + k))) {
        return parts.length;
      }
    }
    return 0;
  }
}

const all = <K extends keyof Vocabulary>(key: K): Vocabulary[K][] =>
  Object.values(LANGUAGES).map((l) => l.vocab[key]);
const merged = (key: keyof Vocabulary): PhraseSet =>
  new PhraseSet((all(key) as Words[]).flat());
function mergedRecord<T extends string>(
  key: keyof Vocabulary,
): Record<T, PhraseSet> {
  const out = {} as Record<T, PhraseSet>;
  const records = all(key) as unknown as Record<T, Words>[];
  for (const name of Object.keys(records[0]) as T[]) {
    out[name] = new PhraseSet(records.flatMap((r) => [...r[name]]));
  }
  return out;
}

export const V = {
  stopwords: merged("stopwords"),
  chartNouns: merged("chartNouns"),
  chartKinds: mergedRecord<ChartKind>("chartKinds"),
  weakKindWords: merged("weakKindWords"),
  kindPrepositions: merged("kindPrepositions"),
  horizontal: merged("horizontal"),
  stacked: merged("stacked"),
  share: merged("share"),
  distribution: merged("distribution"),
  binWords: merged("binWords"),
  versus: merged("versus"),
  aggregations: mergedRecord<Agg>("aggregations"),
  distinct: merged("distinct"),
  buckets: mergedRecord<Bucket>("buckets"),
  timePhrases: merged("timePhrases"),
  periodNouns: merged("periodNouns"),
  window: merged("window"),
  thisPeriod: merged("thisPeriod"),
  top: merged("top"),
  bottom: merged("bottom"),
  most: merged("most"),
  least: merged("least"),
  sortDesc: merged("sortDesc"),
  sortAsc: merged("sortAsc"),
  sort: merged("sort"),
  alphabetical: merged("alphabetical"),
  negation: merged("negation"),
  instead: merged("instead"),
  only: merged("only"),
  add: merged("add"),
  since: merged("since"),
  until: merged("until"),
  before: merged("before"),
  after: merged("after"),
  between: merged("between"),
  rangeJoin: merged("rangeJoin"),
  onwards: merged("onwards"),
  comparisons: mergedRecord<"gt" | "gte" | "lt" | "lte" | "eq">(
    "comparisons",
  ),
  by: merged("by"),
  of: merged("of"),
  forWords: merged("forWords"),
  articles: merged("articles"),
  export: merged("export"),
  additive: merged("additive"),
  ratios: merged("ratios"),
  labelNumbers: merged("labelNumbers"),
  identifiers: merged("identifiers"),
  yearNames: merged("yearNames"),
  latitude: merged("latitude"),
  longitude: merged("longitude"),
  genericNames: merged("genericNames"),
  units: merged("units"),
  /** Number words → values. */
  numbers: new Map<string, number>(
    all("numbers").flatMap((r) => Object.entries(r)),
  ),
  /** Month names → 1–12. */
  months: new Map<string, number>(
    all("months").flatMap((lists) =>
      lists.flatMap((list) =>
        list.map((m, i) => [m, i + 1] as [string, number])
      )
    ),
  ),
  /**
   * Format words and phrases → export format id: every format of the export
   * registry by its own name, and each language's other words for them.
   */
  formats: new Map<string, ExportMenuFormat>([
    ...EXPORT_CATALOG.map((id) => [id, id] as const),
    ...all("formats").flatMap((r) => Object.entries(r)),
  ]),
};

/** Format phrases as a PhraseSet, for multi-word names ("hoja de calculo"). */
export const FORMAT_PHRASES = new PhraseSet(V.formats.keys());

/** Every word the planner reads as an instruction, not as data. */
export const KEYWORDS = new Set<string>([
  ...[
    V.stopwords,
    V.chartNouns,
    V.horizontal,
    V.stacked,
    V.share,
    V.distribution,
    V.versus,
    V.distinct,
    V.timePhrases,
    V.window,
    V.thisPeriod,
    V.top,
    V.bottom,
    V.most,
    V.least,
    V.sortDesc,
    V.sortAsc,
    V.sort,
    V.alphabetical,
    V.negation,
    V.instead,
    V.only,
    V.add,
    V.since,
    V.until,
    V.export,
    V.by,
  ].flatMap((s) => [...s.words]),
  ...Object.values(V.chartKinds).flatMap((s) => [...s.words]),
  ...Object.values(V.aggregations).flatMap((s) => [...s.words]),
  ...Object.values(V.buckets).flatMap((s) => [...s.words]),
  ...V.numbers.keys(),
  ...[...V.formats.keys()].filter((k) => !k.includes(" ")),
]);
