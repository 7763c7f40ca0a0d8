/**
 * Option schemas shared by the exporters. Values arrive as query-string text
 * ("1200", "true") or as parsed JSON (1200, true); both are accepted, and an
 * error names the option and its bounds.
 */
import { z } from "zod";
import { isPngBackground, PNG_LIMITS } from "@/lib/drawing/png.ts";

/** An integer option from `min` to `max` with a default. */
export function integerOption(
  name: string,
  min: number,
  max: number,
  def: number,
) {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message })
    .default(def);
}

/** A true/false option ("true", "false", "1", "0" or a boolean) with a default. */
export function booleanOption(name: string, def: boolean) {
  const message = `${name} must be true or false`;
  return z.union([
    z.boolean(),
    z.enum(["true", "false", "1", "0"], { error: message })
      .transform((v) => v === "true" || v === "1"),
  ], { error: message }).default(def);
}

/** Default size of vector exports in CSS px: the PNG export's 16:9. */
export const VECTOR_DEFAULTS = { width: 800, height: 450 } as const;

/** `width` and `height` in CSS px, within the PNG renderer's bounds. */
export function sizeOptions() {
  return {
    width: integerOption(
      "width",
      PNG_LIMITS.minWidth,
      PNG_LIMITS.maxWidth,
      VECTOR_DEFAULTS.width,
    ),
    height: integerOption(
      "height",
      PNG_LIMITS.minHeight,
      PNG_LIMITS.maxHeight,
      VECTOR_DEFAULTS.height,
    ),
  };
}

/** A CSS colour or "transparent", as the PNG export takes. */
export function backgroundOption(def: string) {
  return z.string({ error: "background must be a colour" })
    .max(40, { error: "background must be at most 40 characters" })
    .refine(isPngBackground, {
      error:
        "background must be a CSS colour (#rgb, #rrggbb, rgb(), a name) or transparent",
    })
    .default(def);
}

/** The schema of a format that takes no options: any key is refused. */
export const NoOptions = z.strictObject({});
