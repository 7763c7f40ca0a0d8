/** Reading a request for a file of the current chart: "export it as png", "descárgalo en CSV". */
import type { Token } from "./text.ts";
import { FORMAT_PHRASES, V } from "./vocab.ts";

/** The format a download request names (null: a download of no named format), or null when it is no download. */
export function detectDownload(
  toks: Token[],
): { format: string | null } | null {
  const words = toks.map((t) => t.text);
  let format: string | null = null;
  let exportWord = false;
  const other: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const len = FORMAT_PHRASES.at(words, i);
    if (len) {
      format ??= V.formats.get(words.slice(i, i + len).join(" "))!;
      i += len - 1;
    } else if (V.export.hasForm(words[i])) exportWord = true;
    else if (!V.stopwords.has(words[i]) && !V.chartNouns.has(words[i])) {
      other.push(words[i]);
    }
  }
  if (exportWord) return { format };
  // A bare format ("png", "as PNG", "en Excel") asks for a download too.
  if (format && other.length === 0) return { format };
  return null;
}
