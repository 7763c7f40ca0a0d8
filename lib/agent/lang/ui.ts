/**
 * The page words of a language as pages and islands take them: all of them
 * for a server-rendered page, or only the keys an island shows (its `ui`
 * prop, serialised into the page), each with the language's locale.
 */
import { language } from "./mod.ts";
import type { Lang, UiKey, UiText } from "./types.ts";

/** Returns every page word of `lang`, with its locale. */
export function uiText(lang: Lang): UiText {
  const { locale, text } = language(lang);
  return { ...text.ui, locale };
}

/** Returns only the words `keys` of `lang` (an island's `ui` prop), with its locale. */
export function pickUi<K extends UiKey>(
  lang: Lang,
  keys: readonly K[],
): UiText<K> {
  const { locale, text } = language(lang);
  const picked = Object.fromEntries(keys.map((k) => [k, text.ui[k]]));
  return { ...picked, locale } as UiText<K>;
}
