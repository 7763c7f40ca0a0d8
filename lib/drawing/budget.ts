/**
 * The budget every server drawing keeps, whatever asked for it (an export,
 * the render API, a ZIP): at most RENDER_BUDGET.maxPixels device pixels, no
 * text over maxTextLength characters, no output over maxOutputBytes, and
 * (in the render pool) no longer than RENDER_TIMEOUT of work. Past a bound
 * the drawing is refused with a 400 that names it, never made silently huge.
 * The render pool applies it to every job, so no caller can skip it.
 */
import { type AppError, badRequest } from "@/lib/errors.ts";

/** The bounds of one drawing. */
export const RENDER_BUDGET = {
  /** Device pixels: width × height × scale² (vector drawings at scale 1). */
  maxPixels: 8 * 1024 * 1024,
  /** Characters of one string the chart draws (a title, a label, a name). */
  maxTextLength: 4_000,
  /** Bytes of one PNG, SVG or PDF, unless RENDER_MAX_BYTES says otherwise. */
  maxOutputBytes: 32 * 1024 * 1024,
  /** Time one drawing may take, unless RENDER_TIMEOUT says otherwise. */
  timeoutMs: 20_000,
} as const;

/** A drawing's size as the pool gets it. */
export interface DrawingSize {
  width: number;
  height: number;
  scale?: number;
}

/** Throws a 400 `image_too_large` when a drawing has more pixels than the budget. */
export function checkPixels({ width, height, scale = 1 }: DrawingSize): void {
  const pixels = width * height * scale ** 2;
  if (pixels > RENDER_BUDGET.maxPixels) {
    throw badRequest(
      "image_too_large",
      `width × height × scale² is ${pixels} pixels; at most ${RENDER_BUDGET.maxPixels} are drawn`,
    );
  }
}

/**
 * Returns a 400 `text_too_long` naming the first string of `option` longer
 * than the budget (`option.title.0.text: ...`), or null when none is.
 */
export function overlongText(option: unknown): AppError | null {
  const stack: [unknown, string][] = [[option, "option"]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (value.length > RENDER_BUDGET.maxTextLength) {
        return badRequest(
          "text_too_long",
          `${path}: a text of ${value.length} characters; at most ${RENDER_BUDGET.maxTextLength} are drawn`,
        );
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item = value[i];
        if (typeof item === "object" || typeof item === "string") {
          stack.push([item, `${path}.${i}`]);
        }
      }
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/** Returns a 400 `output_too_large` when a drawing's output is over `maxBytes`, or null. */
export function overlongOutput(
  bytes: number,
  maxBytes: number = RENDER_BUDGET.maxOutputBytes,
): AppError | null {
  if (bytes <= maxBytes) return null;
  return badRequest(
    "output_too_large",
    `the drawing came to more than ${maxBytes} bytes (RENDER_MAX_BYTES) and was not sent`,
  );
}

/** Returns the 400 `render_timeout` of a drawing stopped at RENDER_TIMEOUT. */
export function renderTimeout(timeoutMs: number): AppError {
  return badRequest(
    "render_timeout",
    `the drawing took longer than ${
      timeoutMs / 1000
    } s (RENDER_TIMEOUT) and was stopped`,
  );
}
