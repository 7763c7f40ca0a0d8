/**
 * Checks a raw ECharts option sent to the render API before anything draws
 * it. JSON cannot carry functions, but a string that looks like one would be
 * drawn as literal text, so it is refused with a hint instead. Nothing that
 * could make a renderer or a viewer of the output fetch something is let
 * through: images (`image://` symbols, `image` fills and backgrounds, image
 * graphics, rich-text image backgrounds), `url(...)`, URLs where ECharts
 * expects a colour, symbol or link, and the interactive-only toolbox.
 */
import { badRequest } from "@/lib/errors.ts";
import { RENDER_BUDGET } from "@/lib/drawing/budget.ts";

/** Bounds of a render request's option and image. */
export const RENDER_LIMITS = {
  /** Items in every series' and dataset's data arrays together. */
  maxPoints: 100_000,
  /** Device pixels: width × height × scale² (the budget of every drawing). */
  maxPixels: RENDER_BUDGET.maxPixels,
  /** Nesting of objects and arrays. */
  maxDepth: 32,
  /** Values (objects, arrays, strings, numbers...) in the whole option. */
  maxValues: 1_000_000,
} as const;

const FUNCTION_LIKE = [
  /^\s*(?:async\s+)?function\s*\*?\s*[\w$]*\s*\(/,
  /^\s*(?:async\s*)?(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*=>/,
  /\bnew\s+Function\s*\(/,
];

/** A value in these keys names something to load or draw, never text. */
const RESOURCE_KEY =
  /(?:symbol|icon|image|color|fill|stroke|background|href|link|src|url|decal)$/i;
/** Any "scheme:" but ECharts' own vector `path://` symbols. */
const URL_LIKE = /^\s*(?!path:\/\/)[a-z][a-z0-9+.-]*:/i;
/** Keys whose strings are text to show: they may read like code or url(...). */
const TEXT_KEYS = new Set(["text", "subtext", "name", "data"]);
const FORBIDDEN_KEYS: Record<string, [code: string, reason: string]> = {
  toolbox: [
    "unsupported_option",
    "the toolbox is interactive only and is not accepted",
  ],
  saveAsImage: [
    "unsupported_option",
    "saveAsImage is interactive only and is not accepted",
  ],
  image: [
    "external_resource",
    "images are not accepted (external resources are never loaded)",
  ],
};
/** Arrays whose length counts as data points (under series and dataset). */
const DATA_KEYS = new Set(["data", "source", "nodes", "links", "edges"]);

/** Series types the server's ECharts draws from JSON alone. */
const SERIES_TYPES = new Set([
  "line",
  "bar",
  "pie",
  "scatter",
  "effectScatter",
  "radar",
  "tree",
  "treemap",
  "sunburst",
  "boxplot",
  "candlestick",
  "heatmap",
  "map",
  "parallel",
  "lines",
  "graph",
  "sankey",
  "funnel",
  "gauge",
  "pictorialBar",
  "themeRiver",
  "chord",
]);

/** A value met in the walk, with the way to it (kept as links, not copies). */
interface Step {
  value: unknown;
  key: string;
  parent: Step | null;
  depth: number;
}

/**
 * Returns `option` when it can be rendered; otherwise throws a 400 naming
 * the first problem and where it is: not an object, too deep, too big, a
 * function, an external resource, or more data points than RENDER_LIMITS.
 */
export function validateOption(option: unknown): Record<string, unknown> {
  if (!isRecord(option)) {
    throw badRequest("invalid_option", "option must be a JSON object");
  }
  let values = 0;
  let points = 0;
  const countValue = () => {
    if (++values > RENDER_LIMITS.maxValues) {
      throw badRequest(
        "option_too_large",
        `option has more than ${RENDER_LIMITS.maxValues} values`,
      );
    }
  };
  // Iterative walk: a deeply nested option must not exhaust the stack.
  const stack: Step[] = [{ value: option, key: "", parent: null, depth: 0 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const { value } = step;
    countValue();
    if (typeof value === "string") {
      checkString(value, step);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (step.depth >= RENDER_LIMITS.maxDepth) {
      throw badRequest(
        "option_too_deep",
        `${
          where(step)
        }: option is nested more than ${RENDER_LIMITS.maxDepth} levels deep`,
      );
    }
    const depth = step.depth + 1;
    if (Array.isArray(value)) {
      const top = topKey(step);
      if (DATA_KEYS.has(step.key) && (top === "series" || top === "dataset")) {
        points += value.length;
        if (points > RENDER_LIMITS.maxPoints) {
          throw badRequest(
            "too_many_points",
            `option has more than ${RENDER_LIMITS.maxPoints} data points`,
          );
        }
      }
      for (let i = value.length - 1; i >= 0; i--) {
        const item = value[i];
        // Numbers, booleans and nulls need no check: counted, not walked
        // (a 10,000-point series is 30,000 of them).
        if (
          item === null ||
          (typeof item !== "object" && typeof item !== "string")
        ) {
          countValue();
          continue;
        }
        stack.push({ value: item, key: String(i), parent: step, depth });
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    if (record.type === "image" && within(step, "graphic")) {
      throw badRequest(
        "external_resource",
        `${
          where(step)
        }: image graphics are not accepted (external resources are never loaded)`,
      );
    }
    for (const [key, child] of Object.entries(record)) {
      // A key named like a prototype member ("constructor") is an ordinary key.
      const forbidden = Object.hasOwn(FORBIDDEN_KEYS, key)
        ? FORBIDDEN_KEYS[key]
        : undefined;
      if (
        forbidden && child !== undefined && child !== null && child !== false
      ) {
        const [code, reason] = forbidden;
        throw badRequest(code, `${where(step)}.${key}: ${reason}`);
      }
      stack.push({ value: child, key, parent: step, depth });
    }
  }
  checkSeries(option);
  return option;
}

/** Series drawn on a grid (unless told otherwise): they need both axes. */
const CARTESIAN = new Set([
  "line",
  "bar",
  "scatter",
  "effectScatter",
  "pictorialBar",
  "candlestick",
  "boxplot",
  "heatmap",
]);

function checkSeries(option: Record<string, unknown>): void {
  const series = option.series;
  if (option.geo !== undefined) {
    throw badRequest(
      "invalid_option",
      "option.geo: maps need a registered map, which the server has none of",
    );
  }
  if (series === undefined) return;
  const list = Array.isArray(series) ? series : [series];
  list.forEach((item, i) => {
    const at = Array.isArray(series) ? `option.series.${i}` : "option.series";
    if (!isRecord(item)) {
      throw badRequest("invalid_option", `${at}: a series must be an object`);
    }
    if (item.type === "custom") {
      throw badRequest(
        "function_not_allowed",
        `${at}.type: custom series need a renderItem function, which is not accepted`,
      );
    }
    if (typeof item.type !== "string" || !SERIES_TYPES.has(item.type)) {
      throw badRequest(
        "invalid_option",
        `${at}.type: unknown series type ${
          JSON.stringify(item.type)
        }; use one of ${[...SERIES_TYPES].join(", ")}`,
      );
    }
    if (item.type === "map") {
      throw badRequest(
        "invalid_option",
        `${at}.type: map series need a registered map, which the server has none of`,
      );
    }
    const system = item.coordinateSystem ?? "cartesian2d";
    const hasAxes = option.xAxis !== undefined && option.yAxis !== undefined;
    if (CARTESIAN.has(item.type) && system === "cartesian2d" && !hasAxes) {
      throw badRequest(
        "invalid_option",
        `${at}: a ${item.type} series needs an xAxis and a yAxis in the option`,
      );
    }
  });
}

function checkString(value: string, step: Step): void {
  // The render pool checks this too; here it costs no trip to a worker.
  if (value.length > RENDER_BUDGET.maxTextLength) {
    throw badRequest(
      "text_too_long",
      `${
        where(step)
      }: a text of ${value.length} characters; at most ${RENDER_BUDGET.maxTextLength} are drawn`,
    );
  }
  const key = nearestKey(step);
  // Where ECharts' JS API would take a callback (formatters, sizes, colours,
  // positions...), a function's source is refused; names and data are text.
  const textual = TEXT_KEYS.has(key);
  if (!textual && FUNCTION_LIKE.some((pattern) => pattern.test(value))) {
    throw badRequest(
      "function_not_allowed",
      `${
        where(step)
      }: functions are not accepted; use a template string such as "{b}: {c}"`,
    );
  }
  if (/^\s*image:\/\//i.test(value)) {
    throw badRequest(
      "external_resource",
      `${
        where(step)
      }: image:// symbols are not accepted (external resources are never loaded)`,
    );
  }
  if (RESOURCE_KEY.test(key) && URL_LIKE.test(value)) {
    throw badRequest(
      "external_resource",
      `${
        where(step)
      }: URLs are not accepted here (external resources are never loaded)`,
    );
  }
  if (!textual && /url\s*\(/i.test(value)) {
    throw badRequest(
      "external_resource",
      `${
        where(step)
      }: url(...) is not accepted (external resources are never loaded)`,
    );
  }
}

/** The nearest object key of a step (skipping array indexes). */
function nearestKey(step: Step): string {
  for (let s: Step | null = step; s; s = s.parent) {
    if (!/^\d+$/.test(s.key)) return s.key;
  }
  return "";
}

/** The option's top-level key on the way to `step` ("series", "title", ...). */
function topKey(step: Step): string {
  let s = step;
  while (s.parent?.parent) s = s.parent;
  return s.key;
}

/** Whether `key` is on the way to `step`. */
function within(step: Step, key: string): boolean {
  for (let s: Step | null = step; s; s = s.parent) {
    if (s.key === key) return true;
  }
  return false;
}

/** "option.series.0.data" for a step. */
function where(step: Step): string {
  const keys: string[] = [];
  for (let s: Step | null = step; s && s.parent; s = s.parent) keys.push(s.key);
  return ["option", ...keys.reverse()].join(".");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
