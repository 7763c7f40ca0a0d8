/**
 * A small typed table: what a parsed upload or a demo dataset becomes, and the
 * profile of it that the planner reasons about (column names, types, distinct
 * values, ranges, date grain). Dates are ISO strings so SQLite can bucket them
 * by substring and compare them as text.
 */
import type { DateGrain } from "./dates.ts";
import { buildColumnProfile } from "./profile.ts";

export type { DateGrain, SlashOrder } from "./dates.ts";
export { MAX_DISTINCT } from "./profile.ts";

/** Every type a column can have. */
export const COLUMN_TYPES = [
  "integer",
  "number",
  "boolean",
  "date",
  "datetime",
  "text",
] as const;
export type ColumnType = typeof COLUMN_TYPES[number];

export interface TableColumn {
  name: string;
  type: ColumnType;
}

export type TableCell = string | number | boolean | null;

export interface Table {
  columns: TableColumn[];
  rows: TableCell[][];
}

/**
 * One column as the planner sees it. Every field but `name` and `type` is
 * optional so that profiles stored before a field existed still read.
 */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /**
   * Text and boolean columns: up to MAX_DISTINCT values, most frequent first.
   * Integer and number columns with at most MAX_NUMERIC_DISTINCT (50) values:
   * all of them, as text (`"4"`, `"2.5"`), most frequent first.
   */
  distinct?: string[];
  /** How many distinct non-null values the column holds (an estimate within ~2% when `distinctEstimated`). */
  distinctCount?: number;
  /** Set when the column had too many values to count exactly. */
  distinctEstimated?: true;
  /** Smallest value: a number for numeric columns, an ISO string for dates. */
  min?: number | string;
  max?: number | string;
  /** Empty cells and cells that did not fit the type. */
  nulls?: number;
  /** Date and datetime columns: the grain the values are spaced at. */
  grain?: DateGrain;
}

export interface DatasetProfile {
  id: string;
  name: string;
  columns: ColumnProfile[];
  rowCount: number;
}

/** Summarises a table for the planner: types, distinct values, ranges, date grain. */
export function profileTable(
  id: string,
  name: string,
  table: Table,
): DatasetProfile {
  const columns = table.columns.map((col, c): ColumnProfile => {
    const counts = new Map<string, number>();
    let nulls = 0;
    let min: number | string | undefined;
    let max: number | string | undefined;
    for (const row of table.rows) {
      const v = row[c];
      if (v === null || v === undefined) {
        nulls++;
        continue;
      }
      const key = String(v);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (typeof v === "number" || typeof v === "string") {
        if (min === undefined || v < min) min = v;
        if (max === undefined || v > max) max = v;
      }
    }
    return buildColumnProfile({
      name: col.name,
      type: col.type,
      counts,
      exact: true,
      distinctCount: counts.size,
      nulls,
      min,
      max,
    });
  });
  return { id, name, columns, rowCount: table.rows.length };
}
