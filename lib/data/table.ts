/**
 * A small typed table: what a parsed upload or a demo dataset becomes, and the
 * profile of it that the planner reasons about (column names, types, distinct
 * text values, ranges). Dates are ISO strings so SQLite can bucket them by
 * substring and compare them as text.
 */

export type ColumnType =
  | "integer"
  | "number"
  | "boolean"
  | "date"
  | "datetime"
  | "text";

export interface TableColumn {
  name: string;
  type: ColumnType;
}

export type TableCell = string | number | boolean | null;

export interface Table {
  columns: TableColumn[];
  rows: TableCell[][];
}

/** The natural spacing of a date column's values. */
export type DateGrain = "day" | "month" | "year";

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Text columns: up to MAX_DISTINCT values, most frequent first. */
  distinct?: string[];
  /** How many distinct non-null values the column holds. */
  distinctCount?: number;
  /** Smallest value: a number for numeric columns, an ISO string for dates. */
  min?: number | string;
  max?: number | string;
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

/** How many of a text column's values a profile lists. */
export const MAX_DISTINCT = 200;

const NULLS = new Set(["", "na", "n/a", "null", "none", "nan", "-", "#n/a"]);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const ISO_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const ISO_MONTH = /^(\d{4})-(\d{1,2})$/;
const SLASH_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Whether a trimmed cell reads as missing: empty, NA, n/a, null, none, NaN, -, #N/A. */
export function isNullText(s: string): boolean {
  return NULLS.has(s.toLowerCase());
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function isoDate(y: number, m: number, d: number): string | null {
  return validDate(y, m, d) ? `${pad(y, 4)}-${pad(m)}-${pad(d)}` : null;
}

/** Which part of a slash date comes first: the day or the month. */
export type SlashOrder = "dmy" | "mdy";

/** Returns a date cell as ISO `YYYY-MM-DD`, or null when it is not a valid date. */
export function parseDate(s: string, order: SlashOrder): string | null {
  let m = ISO_DATE.exec(s);
  if (m) return isoDate(+m[1], +m[2], +m[3]);
  m = ISO_MONTH.exec(s);
  if (m) return isoDate(+m[1], +m[2], 1);
  m = SLASH_DATE.exec(s);
  if (m) {
    const [a, b, y] = [+m[1], +m[2], +m[3]];
    return order === "dmy" ? isoDate(y, b, a) : isoDate(y, a, b);
  }
  return null;
}

/** Returns a date-time cell as ISO `YYYY-MM-DDTHH:MM:SS[zone]`, or null. */
export function parseDatetime(s: string): string | null {
  const m = DATETIME.exec(s);
  if (!m) return null;
  const date = isoDate(+m[1], +m[2], +m[3]);
  if (!date || +m[4] > 23 || +m[5] > 59 || (m[6] && +m[6] > 59)) return null;
  return `${date}T${m[4]}:${m[5]}:${m[6] ?? "00"}${m[8] ?? ""}`;
}

/** Which of D/M/Y or M/D/Y slash dates a column uses: a part above 12 decides. */
function slashOrder(values: string[]): SlashOrder {
  for (const v of values) {
    const m = SLASH_DATE.exec(v);
    if (!m) continue;
    if (+m[1] > 12) return "dmy";
    if (+m[2] > 12) return "mdy";
  }
  return "mdy";
}

function inferType(values: string[]): ColumnType {
  if (values.length === 0) return "text";
  const leadingZero = (v: string) => /^[+-]?0\d/.test(v);
  if (
    values.every((v) =>
      INTEGER.test(v) && !leadingZero(v) && Number.isSafeInteger(Number(v))
    )
  ) {
    return "integer";
  }
  if (values.every((v) => NUMBER.test(v) && !leadingZero(v.split(".")[0]))) {
    return "number";
  }
  if (values.every((v) => BOOLEAN.test(v))) return "boolean";
  const order = slashOrder(values);
  if (values.every((v) => parseDate(v, order) !== null)) return "date";
  if (values.every((v) => parseDatetime(v) ?? parseDate(v, order))) {
    return "datetime";
  }
  return "text";
}

/** Unique, non-empty column names; SQLite compares identifiers case-blind. */
function cleanHeader(header: string[], width: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < width; i++) {
    const base = (header[i] ?? "").trim() || `column_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

/** Infers a type per column and converts the cells; empty and NA-like cells become null. */
export function inferTable(records: string[][], header: string[]): Table {
  let width = header.length;
  for (const r of records) if (r.length > width) width = r.length;
  const names = cleanHeader(header, width);
  const columns: TableColumn[] = [];
  const converters: ((s: string) => TableCell)[] = [];
  for (let c = 0; c < width; c++) {
    const values: string[] = [];
    for (const r of records) {
      const v = (r[c] ?? "").trim();
      if (!isNullText(v)) values.push(v);
    }
    const type = inferType(values);
    columns.push({ name: names[c], type });
    const order = slashOrder(values);
    converters.push(
      type === "integer" || type === "number"
        ? (s) => Number(s)
        : type === "boolean"
        ? (s) => s.toLowerCase() === "true"
        : type === "date"
        ? (s) => parseDate(s, order)
        : type === "datetime"
        ? (s) => parseDatetime(s) ?? `${parseDate(s, order)}T00:00:00`
        : (s) => s,
    );
  }
  const rows = records.map((r) =>
    columns.map((_, c) => {
      const v = (r[c] ?? "").trim();
      return isNullText(v) ? null : converters[c](v);
    })
  );
  return { columns, rows };
}

/** Returns the grain (day, month, year) that ISO date values are spaced at. */
export function dateGrain(values: string[]): DateGrain {
  if (values.length === 0) return "day";
  if (values.every((v) => v.slice(4, 10) === "-01-01")) {
    return values.length > 1 ? "year" : "day";
  }
  if (values.every((v) => v.slice(8, 10) === "01" && v.length <= 10)) {
    return "month";
  }
  return "day";
}

/** Summarises a table for the planner: types, ranges, frequent text values, date grain. */
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
    const profile: ColumnProfile = {
      name: col.name,
      type: col.type,
      distinctCount: counts.size,
      nulls,
    };
    if (col.type === "text" || col.type === "boolean") {
      profile.distinct = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_DISTINCT)
        .map(([v]) => v);
    } else if (min !== undefined) {
      profile.min = min;
      profile.max = max;
    }
    if (col.type === "date" || col.type === "datetime") {
      profile.grain = col.type === "date"
        ? dateGrain([...counts.keys()])
        : "day";
    }
    return profile;
  });
  return { id, name, columns, rowCount: table.rows.length };
}
