/**
 * Checks a raw ECharts option sent to the render API before anything draws
 * it. JSON cannot carry functions, but a string that looks like one would be
 * drawn as literal text, so it is refused with a hint instead. Nothing that
 * could make a renderer or a viewer of the output fetch something is let
 * through: images (`image://` symbols, `image` fills and backgrounds, image
 * graphics, rich-text image backgrounds), `url(...)`, URLs where ECharts
 * expects a colour, symbol or link, and the interactive-only toolbox.
 */
import { badRequest } from "../errors.ts";

/** Bounds of a render request's option and image. */
export const RENDER_LIMITS = {
  /** Items in every series' and dataset's data arrays together. */
  maxPoints: 100_000,
  /** Device pixels: width × height × scale². 8 megapixels. */
  maxPixels: 8 * 1024 * 1024,
  /** Nesting of objects and arrays. */
  maxDepth: 32,
  /** Values (objects, arrays, strings, numbers...) in the whole option. */
  maxValues: 1_000_000,
} as const;

const FUNCTION_LIKE = [
  /^\s*(?:async\s+)?function\b/,
  /^\s*(?:async\s*)?(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*=>/,
  /\bnew\s+Function\s*\(/,
];

/** A value in these keys names something to load or draw, never text. */
const RESOURCE_KEY =
  /(?:symbol|icon|image|color|fill|stroke|background|href|link|src|url|decal)$/i;
const URL_LIKE =
  /^\s*(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|ftp|file|data|blob|javascript|vbscript):)/i;
/** Keys whose strings are text to show; only these may mention url(...). */
const TEXT_KEY = /^(?:text|subtext|name|formatter|title|data)$/;
const FORBIDDEN_KEYS: Record<string, string> = {
  toolbox: "the toolbox is interactive only and is not accepted",
  saveAsImage: "saveAsImage is interactive only and is not accepted",
  image: "images are not accepted (external resources are never loaded)",
  imageURL: "images are not accepted (external resources are never loaded)",
};
/** Arrays whose length counts as data points. */
const DATA_KEYS = new Set(["data", "source", "nodes", "links", "edges"]);

/**
 * Throws a 400 naming the first problem in `option`: not an object, too deep,
 * too big, a function, an external resource, or more data points than
 * RENDER_LIMITS allows.
 */
export function validateOption(option: unknown): Record<string, unknown> {
  if (!isRecord(option)) {
    throw badRequest("invalid_option", "option must be a JSON object");
  }
  let values = 0;
  let points = 0;
  // Iterative walk: an attacker's deeply nested option must not blow the stack.
  const stack: { value: unknown; path: string[]; textual: boolean }[] = [
    { value: option, path: [], textual: false },
  ];
  while (stack.length > 0) {
    const { value, path, textual } = stack.pop()!;
    if (++values > RENDER_LIMITS.maxValues) {
      throw badRequest(
        "option_too_large",
        `option has more than ${RENDER_LIMITS.maxValues} values`,
      );
    }
    if (typeof value === "string") {
      checkString(value, path, textual);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= RENDER_LIMITS.maxDepth) {
      throw badRequest(
        "option_too_deep",
        `${where(path)}: option is nested more than ${RENDER_LIMITS.maxDepth} levels deep`,
      );
    }
    if (Array.isArray(value)) {
      const key = path[path.length - 1];
      if (DATA_KEYS.has(key) && (path[0] === "series" || path[0] === "dataset")) {
        points += value.length;
        if (points > RENDER_LIMITS.maxPoints) {
          throw badRequest(
            "too_many_points",
            `option has more than ${RENDER_LIMITS.maxPoints} data points`,
          );
        }
      }
      value.forEach((item, i) =>
        stack.push({ value: item, path: [...path, String(i)], textual })
      );
      continue;
    }
    const record = value as Record<string, unknown>;
    if (record.type === "image" && path.includes("graphic")) {
      throw badRequest(
        "external_resource",
        `${where(path)}: image graphics are not accepted (external resources are never loaded)`,
      );
    }
    for (const [key, child] of Object.entries(record)) {
      const reason = FORBIDDEN_KEYS[key];
      if (reason !== undefined && child !== undefined && child !== false) {
        throw badRequest(
          key === "toolbox" || key === "saveAsImage"
            ? "unsupported_option"
            : "external_resource",
          `${where([...path, key])}: ${reason}`,
        );
      }
      stack.push({
        value: child,
        path: [...path, key],
        textual: textual || TEXT_KEY.test(key),
      });
    }
  }
  return option;
}

function checkString(value: string, path: string[], textual: boolean): void {
  if (FUNCTION_LIKE.some((pattern) => pattern.test(value))) {
    throw badRequest(
      "function_not_allowed",
      `${where(path)}: functions are not accepted; use a template string such as "{b}: {c}"`,
    );
  }
  const key = lastKey(path);
  if (/^\s*image:\/\//i.test(value)) {
    throw badRequest(
      "external_resource",
      `${where(path)}: image:// symbols are not accepted (external resources are never loaded)`,
    );
  }
  if (key !== undefined && RESOURCE_KEY.test(key) && URL_LIKE.test(value)) {
    throw badRequest(
      "external_resource",
      `${where(path)}: URLs are not accepted here (external resources are never loaded)`,
    );
  }
  if (!textual && /url\s*\(/i.test(value)) {
    throw badRequest(
      "external_resource",
      `${where(path)}: url(...) is not accepted (external resources are never loaded)`,
    );
  }
}

/** The nearest object key of a path (skipping array indexes). */
function lastKey(path: string[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    if (!/^\d+$/.test(path[i])) return path[i];
  }
  return undefined;
}

function where(path: string[]): string {
  return ["option", ...path].join(".");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
