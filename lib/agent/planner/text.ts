/**
 * Reading a request into tokens: folded words with their offsets, numbers
 * read as numbers. Identifiers split into words the same way column names do
 * ("Miles_per_Gallon", "postalCode" → miles per gallon, postal code).
 */
import { fold } from "@/lib/agent/lang/mod.ts";

export { fold };

export interface Token {
  /** Folded word: lower case, no accents. */
  text: string;
  /** The word as typed. */
  raw: string;
  /** The value of a numeral ("5", "4.5", "1,000"), else null. */
  num: number | null;
}

const TOKEN = /\d+(?:[.,]\d+)*(?![\p{L}\d])|[\p{L}\p{N}]+|[<>]=?|=/gu;

/** Splits a request into tokens: words, numbers, and the comparison signs < > = <= >=. */
export function tokenize(text: string): Token[] {
  const spaced = text.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ");
  const out: Token[] = [];
  for (const m of spaced.matchAll(TOKEN)) {
    const raw = m[0];
    const t = fold(raw);
    let num: number | null = null;
    if (/^\d/.test(t)) {
      // "1,000", "100,000" and "1.000.000" group thousands; "4.5", "4,5"
      // and "1.250" (one group after a dot) are decimals.
      const grouped = /^[1-9]\d{0,2}(,\d{3})+$/.test(t) ||
          (/^\d{1,3}([.,]\d{3})+$/.test(t) && !/^\d+[.,]\d{3}$/.test(t))
        ? t.replace(/[.,]/g, "")
        : t;
      const n = Number(grouped.replace(",", "."));
      num = Number.isFinite(n) ? n : null;
    }
    out.push({ text: t, raw, num });
  }
  return out;
}

/**
 * Splits an identifier such as "postalCode", "Body Mass (g)", "BILLS104" or
 * "pm2_5_ugm3" into folded words (letters and digits apart).
 */
export function identifierWords(name: string): string[] {
  const spaced = name.replace(/([a-z])([A-Z])/g, "$1 $2");
  return fold(spaced).match(/\p{L}+|\p{N}+/gu) ?? [];
}

/** Letters and digits only: "Postal Code" and "postal_code" both give "postalcode". */
export function compact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Singular candidates of a (possibly plural) English, Spanish or Portuguese word. */
export function singulars(word: string): string[] {
  const out = new Set([word]);
  if (word.length > 3 && !/\d/.test(word)) {
    if (word.endsWith("ies")) out.add(word.slice(0, -3) + "y");
    if (word.endsWith("oes") || word.endsWith("aes")) {
      out.add(word.slice(0, -3) + "ao");
    }
    if (word.endsWith("ais")) out.add(word.slice(0, -3) + "al");
    if (word.endsWith("eis")) out.add(word.slice(0, -3) + "el");
    if (word.endsWith("ns")) out.add(word.slice(0, -2) + "m");
    if (word.endsWith("es")) out.add(word.slice(0, -2));
    if (word.endsWith("s") && !word.endsWith("ss")) out.add(word.slice(0, -1));
  }
  return [...out];
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      row.push(d);
      if (d < best) best = d;
    }
    if (best >= cap) return cap;
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[b.length], cap);
}
