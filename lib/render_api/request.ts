/**
 * The render API's input: a JSON body (`POST /api/render`) or short query
 * parameters (`GET /api/render?c=...&w=&h=&s=&f=&bg=`), parsed, bounded and
 * normalised into one RenderRequest.
 */
import { integerOption } from "@/lib/exports/options.ts";
import { readTextWithin } from "@/lib/body.ts";
import { z } from "zod";
import { AppError, badRequest } from "@/lib/errors.ts";
import { parseWith } from "@/lib/validate.ts";
import {
  isPngBackground,
  PNG_LIMITS,
  resolveBackground,
} from "@/lib/drawing/png.ts";
import { validateOption } from "./validate.ts";
import { checkPixels } from "@/lib/drawing/budget.ts";

/** Output formats of the render API. */
export const RENDER_FORMATS = ["png", "svg", "pdf"] as const;
/** One of RENDER_FORMATS. */
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** Defaults of a render request: 800×450 CSS px, scale 1, PNG. */
export const RENDER_DEFAULTS = {
  width: 800,
  height: 450,
  scale: 1,
  format: "png",
} as const;

/** A validated render request; `background` is resolved (never absent). */
export interface RenderRequest {
  option: Record<string, unknown>;
  width: number;
  height: number;
  scale: number;
  format: RenderFormat;
  /** A CSS colour or "transparent". */
  background: string;
}

const width = (name: string) =>
  integerOption(
    name,
    PNG_LIMITS.minWidth,
    PNG_LIMITS.maxWidth,
    RENDER_DEFAULTS.width,
  );
const height = (name: string) =>
  integerOption(
    name,
    PNG_LIMITS.minHeight,
    PNG_LIMITS.maxHeight,
    RENDER_DEFAULTS.height,
  );
const scale = (name: string) =>
  integerOption(
    name,
    PNG_LIMITS.minScale,
    PNG_LIMITS.maxScale,
    RENDER_DEFAULTS.scale,
  );
const format = (name: string) =>
  z.enum(RENDER_FORMATS, {
    error: `${name} must be one of ${RENDER_FORMATS.join(", ")}`,
  }).default(RENDER_DEFAULTS.format);
const background = (name: string) =>
  z.string({ error: `${name} must be a colour` })
    .max(40, { error: `${name} must be at most 40 characters` })
    .refine(isPngBackground, {
      error:
        `${name} must be a CSS colour (#rgb, #rrggbb, rgb(), a name) or transparent`,
    })
    .optional();

const BodySchema = z.strictObject({
  option: z.unknown().refine((v) => v !== undefined, {
    error: "option (an ECharts option) is required",
  }),
  width: width("width"),
  height: height("height"),
  scale: scale("scale"),
  format: format("format"),
  background: background("background"),
}, { error: (issue) => unknownKeys(issue, "field") });

const QuerySchema = z.strictObject({
  c: z.string({ error: "c (the option as JSON) is required" }),
  w: width("w"),
  h: height("h"),
  s: scale("s"),
  f: format("f"),
  bg: background("bg"),
}, { error: (issue) => unknownKeys(issue, "parameter") });

function unknownKeys(
  issue: { code: string; keys?: string[] },
  what: string,
): string | undefined {
  if (issue.code !== "unrecognized_keys") return undefined;
  return `unknown ${what}${issue.keys!.length > 1 ? "s" : ""}: ${
    issue.keys!.join(", ")
  }`;
}

/**
 * Returns the render request of a `POST` body (JSON, at most `limit` bytes).
 * Throws 415 for another content type and a 400 naming the problem otherwise.
 */
export async function renderRequestFromBody(
  request: Request,
  limit: number,
): Promise<RenderRequest> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) {
    throw new AppError(
      "unsupported",
      "unsupported_media_type",
      "send the body as application/json",
    );
  }
  const text = await readTextWithin(request, limit, () => tooLarge(limit));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("malformed_json", "the body is not valid JSON");
  }
  const body = parseWith(BodySchema, value);
  return finish(body.option, body);
}

/** Returns the render request of a `GET` query string; throws a 400 naming the problem. */
export function renderRequestFromQuery(
  query: Record<string, string>,
  limit: number,
): RenderRequest {
  const parsed = parseWith(QuerySchema, query, "invalid_query");
  if (parsed.c.length > limit) throw tooLarge(limit);
  let option: unknown;
  try {
    option = JSON.parse(parsed.c);
  } catch {
    throw badRequest("malformed_json", "c is not valid JSON");
  }
  return finish(option, {
    width: parsed.w,
    height: parsed.h,
    scale: parsed.s,
    format: parsed.f,
    background: parsed.bg,
  });
}

function finish(
  option: unknown,
  fields: Omit<RenderRequest, "option" | "background"> & {
    background?: string;
  },
): RenderRequest {
  const checked = validateOption(option);
  // Before anything is drawn or queued; the render pool checks it again.
  checkPixels({ ...fields, scale: fields.format === "png" ? fields.scale : 1 });
  return {
    option: checked,
    width: fields.width,
    height: fields.height,
    scale: fields.format === "png" ? fields.scale : 1,
    format: fields.format,
    background: resolveBackground(checked, fields.background),
  };
}

function tooLarge(limit: number): AppError {
  return badRequest(
    "option_too_large",
    `the option is larger than ${limit} bytes`,
  );
}
