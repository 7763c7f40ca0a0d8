/** The `expires_in` of tokens and share links: seconds, or a duration such as "7d". */
import { z } from "zod";
import { parseDuration } from "@/lib/config.ts";

const MAX_MS = 366 * 24 * 3600_000;

/** `expires_in` as milliseconds: a number of seconds or "90s", "30m", "12h", "7d"; from 1 s to 366 days. */
export const ExpiresIn = z.union([
  z.number().positive().transform((s) => Math.round(s * 1000)),
  z.string().regex(
    /^\d+(s|m|h|d)$/,
    "a number of seconds or a duration such as 30m, 12h or 7d",
  )
    .transform(parseDuration),
]).pipe(
  z.number().min(1000, "at least 1 second").max(
    MAX_MS,
    "at most 366 days",
  ),
);
