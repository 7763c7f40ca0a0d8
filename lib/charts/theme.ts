/**
 * Chart themes for embeds: `light` is the compiler's own look; `dark` swaps
 * its background, text, axis and grid colours (never the palette or the
 * data) for ones that read on a dark page.
 */
import { CHROME_COLORS } from "./compile.ts";

/** The themes an embed may ask for. */
export const THEMES = ["light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

const DARK: Record<keyof typeof CHROME_COLORS, string> = {
  background: "#1f2128",
  text: "#e8e8ea",
  muted: "#a9abb3",
  axis: "#7d808a",
  split: "#3a3d46",
};

const SWAPS: Record<Theme, Map<string, string>> = {
  light: new Map(),
  dark: new Map(
    (Object.keys(CHROME_COLORS) as (keyof typeof CHROME_COLORS)[]).map(
      (k) => [CHROME_COLORS[k], DARK[k]],
    ),
  ),
};

/** Returns the page background of a theme. */
export function themeBackground(theme: Theme): string {
  return theme === "dark" ? DARK.background : CHROME_COLORS.background;
}

/** Returns `option` drawn in `theme` (the same object for `light`); data arrays are left as they are. */
export function themedOption(
  option: Record<string, unknown>,
  theme: Theme,
): Record<string, unknown> {
  const swaps = SWAPS[theme];
  if (swaps.size === 0) return option;
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === "string") return swaps.get(value) ?? value;
    if (key === "data" || typeof value !== "object" || value === null) {
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, ""));
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, walk(v, k)]),
    );
  };
  return walk(option, "") as Record<string, unknown>;
}
