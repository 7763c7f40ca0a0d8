/** The page words: every language has every one, with the same placeholders as English. */
import assert from "node:assert/strict";
import { LANGS } from "@/lib/agent/lang/mod.ts";
import { uiText } from "@/lib/agent/lang/ui.ts";
import type { UiKey } from "@/lib/agent/lang/types.ts";
import { samplePrompts } from "@/lib/agent/samples.ts";

const placeholders = (s: string) =>
  [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

Deno.test("lang ui: every language says every page word, with English's placeholders", () => {
  const en = uiText("en");
  const keys = Object.keys(en).filter((k) => k !== "locale") as UiKey[];
  assert.ok(keys.length > 150, `${keys.length} keys`);
  for (const lang of LANGS) {
    const ui = uiText(lang);
    assert.deepEqual(Object.keys(ui).sort(), Object.keys(en).sort(), lang);
    for (const key of keys) {
      assert.ok(ui[key].trim().length > 0, `${lang} ${key} is empty`);
      // A `_one` form may leave the count out ("its chart").
      if (key.endsWith("_one")) continue;
      assert.deepEqual(
        placeholders(ui[key]),
        placeholders(en[key]),
        `${lang} ${key}: ${ui[key]}`,
      );
    }
  }
});

Deno.test("lang ui: Spanish and Portuguese words are their own, not English left in place", () => {
  const en = uiText("en");
  // Words that are the same in all three languages.
  const shared = new Set([
    "chat",
    "op.sql",
    "format.pdf",
    "format.json",
    "format.requirements",
    "featExports",
  ]);
  for (const lang of ["es", "pt"] as const) {
    const ui = uiText(lang);
    const same = (Object.keys(en) as (UiKey | "locale")[]).filter((k) =>
      k !== "locale" && !shared.has(k) && ui[k] === en[k]
    );
    assert.deepEqual(same, [], `${lang} repeats English`);
  }
});

Deno.test("lang ui: seven sample prompts per language, all different", () => {
  for (const lang of LANGS) {
    const samples = samplePrompts(lang);
    assert.equal(new Set(samples).size, 7, lang);
  }
});
