/**
 * A column's profile for the planner, built the same way for uploads (from
 * inference's counters) and for demo tables (from their rows): the distinct
 * count, the frequent values of text and boolean columns and of numeric
 * columns with few values, ranges, and a date column's grain.
 */
import { dateGrain } from "./dates.ts";
import type { ColumnProfile, ColumnType } from "./table.ts";

/** How many of a text column's values a profile lists. */
export const MAX_DISTINCT = 200;

/** A numeric column with at most this many distinct values lists them (cylinders, years, ratings). */
export const MAX_NUMERIC_DISTINCT = 50;

/** What a column's profile is built from. */
export interface ProfileInput {
  name: string;
  type: ColumnType;
  /** Value → rows, the values written as text under the column's type. */
  counts: Map<string, number>;
  /** Whether `counts` holds every distinct value of the column. */
  exact: boolean;
  /** The column's distinct values: `counts.size` when exact, else an estimate. */
  distinctCount: number;
  /** Empty cells and cells that do not fit the type. */
  nulls: number;
  min?: number | string;
  max?: number | string;
}

/** Returns values by how often they occur, most first; ties in value order (numeric for numbers). */
export function rankValues(
  counts: Map<string, number>,
  numeric = false,
): [string, number][] {
  return [...counts.entries()].sort((a, b) =>
    b[1] - a[1] ||
    (numeric ? Number(a[0]) - Number(b[0]) : a[0] < b[0] ? -1 : 1)
  );
}

/** Returns the planner's profile of one column. */
export function buildColumnProfile(input: ProfileInput): ColumnProfile {
  const { type, counts } = input;
  const profile: ColumnProfile = {
    name: input.name,
    type,
    distinctCount: input.distinctCount,
    nulls: input.nulls,
  };
  if (!input.exact) profile.distinctEstimated = true;
  if (type === "text" || type === "boolean") {
    profile.distinct = rankValues(counts).slice(0, MAX_DISTINCT).map(([v]) =>
      v
    );
    return profile;
  }
  if (input.min !== undefined) {
    profile.min = input.min;
    profile.max = input.max;
  }
  if (
    (type === "integer" || type === "number") && input.exact &&
    counts.size <= MAX_NUMERIC_DISTINCT
  ) {
    profile.distinct = rankValues(counts, true).map(([v]) => v);
  }
  if (type === "date" || type === "datetime") {
    profile.grain = dateGrain(counts.keys());
  }
  return profile;
}
