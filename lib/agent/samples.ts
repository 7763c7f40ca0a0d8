/** Sample prompts shown to a new user; each makes a chart of the built-in demo data. */
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";

/** Returns the sample prompts in `lang`. */
export function samplePrompts(lang: Lang): string[] {
  const ui = language(lang).text.ui;
  return [
    ui.sample1,
    ui.sample2,
    ui.sample3,
    ui.sample4,
    ui.sample5,
    ui.sample6,
    ui.sample7,
  ];
}

/** The English sample prompts (benchmarks use them). */
export const SAMPLE_PROMPTS: readonly string[] = samplePrompts("en");
