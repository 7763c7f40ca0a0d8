/**
 * A request read against one dataset: its intents and its links to the
 * dataset's columns and values, with the roles the request gives each
 * mentioned column (dimension after "by", measure, filter).
 */
import type { Lang } from "@/lib/agent/lang/types.ts";
import { type Intents, readIntents } from "./intents.ts";
import { type ColMention, FULL, linkDataset, type Links } from "./link.ts";
import { senseOf } from "./lexicon.ts";
import { type DatasetFeat, datasetFeat, type Slot } from "./schema.ts";
import type { DatasetProfile } from "@/lib/data/table.ts";
import { compact, type Token } from "./text.ts";
import { KEYWORDS, V } from "./vocab.ts";

export interface Reading {
  df: DatasetFeat;
  toks: Token[];
  words: string[];
  intents: Intents;
  links: Links;
  lang: Lang;
}

/**
 * Tokens that spell a column's whole name ("total", "count", "year", "date")
 * are read as that column rather than as a keyword.
 */
function lockedTokens(words: string[], df: DatasetFeat): Set<number> {
  const out = new Set<number>();
  const names = df.compactNames;
  for (let i = 0; i < words.length; i++) {
    for (let len = 1; len <= 4 && i + len <= words.length; len++) {
      const joined = words.slice(i, i + len).join("");
      if (names.has(joined) && (len > 1 || KEYWORDS.has(joined))) {
        for (let k = i; k < i + len; k++) out.add(k);
      }
    }
  }
  // "max temp", "temperatura máxima": words that name every part of a column
  // whose name holds a keyword (temp_max), in any order, are that column.
  // (A name's part may be cut short: temp for temperature, max for máxima.)
  const wordKeys = words.map((w) => senseOf(w).keys);
  const means = (i: number, slot: Slot) => {
    const word = words[i];
    if (word === slot.word) return true;
    if (slot.word.length >= 3 && word.startsWith(slot.word)) return true;
    for (const k of slot.keys.keys()) if (wordKeys[i].has(k)) return true;
    return false;
  };
  // ("período do dia" for Time of day: "of" and articles may come between.)
  const joiner = (w: string) => V.of.has(w) || V.articles.has(w);
  for (const slots of df.keywordNames) {
    const n = slots.length;
    for (let i = 0; i + n <= words.length; i++) {
      if (joiner(words[i])) continue;
      const positions: number[] = [];
      for (let k = i; k < words.length && positions.length < n; k++) {
        if (!joiner(words[k])) positions.push(k);
      }
      if (positions.length < n) break;
      const free = new Set(positions);
      const covered = slots.every((s) => {
        const at = [...free].find((k) => means(k, s));
        return at !== undefined && free.delete(at);
      });
      if (covered) {
        for (let k = i; k <= positions[n - 1]; k++) out.add(k);
      }
    }
  }
  return out;
}

function byTokensOf(intents: Intents): Set<number> {
  const out = new Set<number>();
  for (const b of intents.by) for (let k = b.pos; k < b.end; k++) out.add(k);
  return out;
}

/** Merges mentions of one column and settles ambiguities another mention answers. */
function tidy(links: Links): void {
  // "comprimento … da nadadeira": an ambiguous word settled by a word naming one option.
  const unsure = new Set(links.ambiguous.map((a) => a.pos));
  links.ambiguous = links.ambiguous.filter((a) => {
    const named = links.cols.find((m) =>
      m.pos !== a.pos && !unsure.has(m.pos) && a.options.includes(m.col.name)
    );
    if (!named) return true;
    const ambiguous = links.cols.find((m) => m.pos === a.pos);
    if (ambiguous) ambiguous.col = named.col;
    return false;
  });
  const seen = new Map<string, ColMention>();
  links.cols = links.cols.filter((m) => {
    const first = seen.get(m.col.name);
    if (!first) {
      seen.set(m.col.name, m);
      return true;
    }
    first.score = Math.max(first.score, m.score);
    first.end = Math.max(first.end, m.end);
    return false;
  });
}

/** Reads a request against one dataset. */
export function read(
  toks: Token[],
  profile: DatasetProfile,
  lang: Lang,
): Reading {
  const df = datasetFeat(profile);
  const words = toks.map((t) => t.text);
  const locked = lockedTokens(words, df);
  let intents = readIntents(toks, (i) => locked.has(i));
  let links = linkDataset(toks, intents, df, byTokensOf(intents));
  // "cantidad total", "count by series": a keyword that is also a column's
  // name is the keyword when another measure is named, or when it counts.
  const keywordColumns = links.cols.filter((c) =>
    c.end - c.pos === 1 && locked.has(c.pos) &&
    c.col.compact === words[c.pos] &&
    Object.values(V.aggregations).some((s) => s.has(words[c.pos]))
  );
  if (
    keywordColumns.length &&
    links.cols.some((c) =>
      c.col.role === "measure" && !keywordColumns.includes(c)
    )
  ) {
    for (const c of keywordColumns) locked.delete(c.pos);
    intents = readIntents(toks, (i) => locked.has(i));
    links = linkDataset(toks, intents, df, byTokensOf(intents));
  }
  // A column span over a "by" word ("miles per gallon") cancels that "by".
  intents.by = intents.by.filter((b) =>
    !links.cols.some((m) => m.pos < b.pos && m.end > b.pos) &&
    !links.values.some((v) => v.pos < b.pos && v.end > b.pos)
  );
  tidy(links);
  return { df, toks, words, intents, links, lang };
}

/** Whether an aggregation word only echoes part of a measure's name ("temperatura máxima" of Temp_Max). */
export function echoesName(r: Reading, pos: number): boolean {
  const word = r.words[pos];
  const keys = senseOf(word).keys;
  return r.links.cols.some((m) => {
    if (
      m.score >= FULL &&
      compact(r.words.slice(m.pos, m.end).join("")) === m.col.compact
    ) {
      return false;
    }
    const near = pos === m.pos - 1 || pos === m.end;
    return near &&
      m.col.slots.some((s) =>
        !r.words.slice(m.pos, m.end).some((w) =>
          senseOf(w).keys.has(`w:${s.word}`)
        ) &&
        [...keys.keys()].some((k) => s.keys.has(k))
      );
  });
}
