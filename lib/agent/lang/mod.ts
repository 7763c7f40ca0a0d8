/**
 * The three languages Chartroom speaks, and the helpers every reader of a
 * request shares: folding, language detection, and a lookup of a language's
 * texts.
 */
import { en } from "./en.ts";
import { es } from "./es.ts";
import { pt } from "./pt.ts";
import type { Lang, Language } from "./types.ts";

export type { Lang, Language } from "./types.ts";
export { LANGS } from "./types.ts";

export const LANGUAGES: Record<Lang, Language> = { en, es, pt };

/** Returns a language's words and texts. */
export function language(lang: Lang): Language {
  return LANGUAGES[lang];
}

/** Lower-cases and strips diacritics: "Evolução" → "evolucao". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/** Hint words, and (for Spanish and Portuguese) the words of their lexicons. */
const HINTS: Record<Lang, Set<string>> = {
  en: new Set(en.vocab.hints),
  es: new Set([...es.vocab.hints, ...Object.keys(es.vocab.lexicon)]),
  pt: new Set([...pt.vocab.hints, ...Object.keys(pt.vocab.lexicon)]),
};

/**
 * Returns the language a request is most likely written in: hint words of
 * each language, and letters only Spanish (ñ ¿ ¡) or Portuguese (ã õ ç) use.
 * English wins a tie, Portuguese a tie with Spanish only on its own letters;
 * a request with no sign of any language ("pm25", "histograma pm25") is in
 * `fallback`, the language of the conversation so far.
 */
export function detectLang(
  text: string,
  words: string[],
  fallback: Lang = "en",
): Lang {
  const score: Record<Lang, number> = { en: 0, es: 0, pt: 0 };
  for (const t of words) {
    const langs = (["en", "es", "pt"] as const).filter((l) => HINTS[l].has(t));
    // A word two languages share ("de", "por", "desde") tells them apart
    // from the third only.
    for (const lang of langs) score[lang] += langs.length === 1 ? 1 : 0.5;
  }
  if (/[ãõç]/i.test(text)) score.pt += 3;
  if (/[ñ¿¡]/i.test(text)) score.es += 3;
  if (/ção|ções|ê|ô/i.test(text)) score.pt += 2;
  // (An "á" that ends a word: "está", "más"; not the one in "máxima".)
  if (/ción|ciones|á(?!\p{L})/iu.test(text)) score.es += 1;
  if (score.en === 0 && score.es === 0 && score.pt === 0) return fallback;
  if (score.en >= score.es && score.en >= score.pt) return "en";
  return score.pt > score.es ? "pt" : "es";
}

/** Picks the page language from an Accept-Language header (English by default). */
export function langFromAcceptLanguage(
  header: string | null | undefined,
): Lang {
  if (!header) return "en";
  const ranked = header.split(",").map((part) => {
    const [tag, ...params] = part.trim().split(";");
    const q = params.map((x) => /^\s*q=([\d.]+)/.exec(x)?.[1]).find(Boolean);
    return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
  }).sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (base === "en" || base === "es" || base === "pt") return base;
  }
  return "en";
}
