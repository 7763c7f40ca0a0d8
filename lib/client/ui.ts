/**
 * Page words at the point of use, in the browser and on the server alike:
 * filling `{name}` placeholders, picking a plural form, and formatting
 * numbers, times and sizes in the page's locale. The words themselves live
 * in `lib/agent/lang/{en,es,pt}.ts`; a page picks the ones an island shows
 * and passes them as its `ui` prop (a `UiText`), so no island bundle carries
 * another language or the planner's vocabulary.
 */
import type { ComponentChild } from "preact";
import type { UiKey, UiText } from "@/lib/agent/lang/types.ts";
import { RequestError } from "./errors.ts";

export type { UiKey, UiText } from "@/lib/agent/lang/types.ts";

/** Keys that have `_one` and `_other` forms, without the suffix. */
export type PluralKey = UiKey extends infer K
  ? K extends `${infer B}_one` ? B : never
  : never;

type Value = string | number;

/** Returns a number in the page's locale ("1,234.5", "1.234,5"). */
export function formatNumber(ui: { locale: string }, n: number): string {
  return n.toLocaleString(ui.locale, { maximumFractionDigits: 4 });
}

const decimalMarks = new Map<string, string>();

/**
 * Returns a table cell's number with every digit it has, written with the
 * page's decimal mark ("24,0572212066") and no grouping, so years and codes
 * read as they were written.
 */
export function formatCell(ui: { locale: string }, n: number): string {
  let mark = decimalMarks.get(ui.locale);
  if (mark === undefined) {
    mark = new Intl.NumberFormat(ui.locale).formatToParts(1.5)
      .find((p) => p.type === "decimal")?.value ?? ".";
    decimalMarks.set(ui.locale, mark);
  }
  return String(n).replace(".", mark);
}

function valueText(ui: { locale: string }, v: Value): string {
  return typeof v === "number" ? formatNumber(ui, v) : v;
}

/** Returns the words of `key` with `{name}` placeholders filled (numbers in the page's locale). */
export function t<K extends UiKey>(
  ui: UiText<K>,
  key: K,
  values: Record<string, Value> = {},
): string {
  return ui[key].replace(
    /\{(\w+)\}/g,
    (whole, name: string) =>
      name in values ? valueText(ui, values[name]) : whole,
  );
}

/**
 * Returns the form of `base` for a count `n` (`{n}` filled): `_one` for
 * exactly one, which holds for whole counts in English, Spanish and
 * Portuguese (CLDR's Portuguese "one" also takes 0, which reads wrong here).
 */
export function tn<B extends PluralKey>(
  ui: UiText<`${B}_one` | `${B}_other`>,
  base: B,
  n: number,
  values: Record<string, Value> = {},
): string {
  const form = n === 1 ? `${base}_one` as const : `${base}_other` as const;
  return t(ui, form, { n, ...values });
}

/**
 * Returns the words of `key` as a list of children, each placeholder
 * replaced by an element ("{name} was read…" with the name in bold).
 */
export function tParts<K extends UiKey>(
  ui: UiText<K>,
  key: K,
  values: Record<string, ComponentChild>,
): ComponentChild[] {
  return ui[key].split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!name || !(name in values)) return part;
    const v = values[name];
    return typeof v === "number" ? formatNumber(ui, v) : v;
  });
}

/**
 * Returns why a request failed, in the page's words where the server gave
 * none ("the server answered 502", "no answer from the server").
 */
export function errorText(
  ui: UiText<"serverAnswered" | "noAnswer">,
  error: unknown,
): string {
  if (error instanceof RequestError) {
    if (error.message) return error.message;
    return error.status === 0
      ? ui.noAnswer
      : t(ui, "serverAnswered", { status: String(error.status) });
  }
  // fetch() rejects with a TypeError when no answer comes.
  if (error instanceof TypeError) return ui.noAnswer;
  return error instanceof Error ? error.message : String(error);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
];

/**
 * Returns how long ago `ms` was ("3 minutes ago", "hace 3 minutos"), or
 * its date after a week.
 */
export function relativeTime(ms: number, now: number, locale: string): string {
  let amount = (ms - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(amount) < size) {
      return new Intl.RelativeTimeFormat(locale, { numeric: "auto" })
        .format(Math.round(amount), unit);
    }
    amount /= size;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(ms);
}
