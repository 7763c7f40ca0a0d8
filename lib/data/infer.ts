/**
 * Streaming schema inference. A `SchemaBuilder` sees every row once, keeps a
 * few counters per column (how many values fit each type, ranges, a bounded
 * map of frequent values) and at the end picks each column's type: the most
 * specific of integer, number, boolean, date, date-time that at least 95% of
 * the column's non-empty values fit, else text. Values that did not fit are
 * counted (`invalid`) and read as null; the raw file keeps them.
 *
 * Cells arrive raw: strings from CSV, and numbers, booleans and ISO strings
 * from XLSX and JSON. `cellConverter` turns a raw cell into its typed value
 * with the same rules, so inference and reading never disagree.
 */
import {
  type ColumnProfile,
  type ColumnType,
  type DatasetProfile,
  dateGrain,
  isNullText,
  MAX_DISTINCT,
  parseDate,
  parseDatetime,
  type SlashOrder,
  type TableCell,
} from "./table.ts";

/** A cell as read from a file, before typing. */
export type RawCell = string | number | boolean | null;

/** Share of a column's non-empty values that must fit a type for the column to take it. */
export const FIT_THRESHOLD = 0.95;

/** Longest column name kept; longer names are cut (a documented repair). */
export const MAX_COLUMN_NAME = 128;

/** A column of a stored dataset. */
export interface DatasetColumn {
  name: string;
  type: ColumnType;
  /** Empty or NA-like cells. */
  nulls: number;
  /** Non-empty cells that did not fit `type`; they read as null. */
  invalid: number;
  /** Date columns written as 03/04/2024: which part is the day. */
  dateOrder?: SlashOrder;
}

/** Per-column statistics shown by the dataset API. */
export interface ColumnStats {
  name: string;
  type: ColumnType;
  /** Cells with a value of the column's type. */
  count: number;
  nulls: number;
  invalid: number;
  /** Distinct raw values; a lower bound when `distinct_exact` is false. */
  distinct: number;
  distinct_exact: boolean;
  min?: number | string;
  max?: number | string;
  mean?: number;
  /** Text and boolean columns: the most frequent values. */
  top?: { value: string; count: number }[];
}

/** What inference yields at the end of a stream. */
export interface InferredSchema {
  columns: DatasetColumn[];
  stats: ColumnStats[];
  /** The planner's view (same shape as `profileTable` gives for demo data). */
  profile: Omit<DatasetProfile, "id" | "name">;
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;
const SLASH_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
/** Distinct values tracked across all columns, and per column, to bound memory and time. */
const DISTINCT_BUDGET = 200_000;
const DISTINCT_PER_COLUMN = 10_000;
/** Rows after which numeric and high-cardinality columns stop counting values. */
const SAMPLE_ROWS = 100_000;

function isIntegerText(s: string): boolean {
  return INTEGER.test(s) && !LEADING_ZERO.test(s) &&
    Number.isSafeInteger(Number(s));
}

function isNumberText(s: string): boolean {
  if (!NUMBER.test(s)) return false;
  const dot = s.indexOf(".");
  return !LEADING_ZERO.test(dot === -1 ? s : s.slice(0, dot));
}

function isBooleanText(s: string): boolean {
  if (s.length !== 4 && s.length !== 5) return false;
  const l = s.toLowerCase();
  return l === "true" || l === "false";
}

/**
 * Returns a copy of a string that does not point into the (large) text it
 * was cut from, so keeping it does not keep that text alive.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

function minStr(a: string | null, b: string): string {
  return a === null || b < a ? b : a;
}
function maxStr(a: string | null, b: string): string {
  return a === null || b > a ? b : a;
}

/** What a distinct value was classified as, kept so repeats skip the work. */
interface Seen {
  n: number;
  cls: number;
  value: number;
}
const TEXT = 0, INT = 1, NUM = 2, BOOL = 3, ISO = 4, SLASH = 5, DATETIME = 6;

class ColumnAcc {
  nulls = 0;
  nonNull = 0;
  int = 0;
  num = 0;
  bool = 0;
  isoDate = 0;
  dmy = 0;
  mdy = 0;
  datetime = 0;
  intMin = Infinity;
  intMax = -Infinity;
  intSum = 0;
  numMin = Infinity;
  numMax = -Infinity;
  numSum = 0;
  isoMin: string | null = null;
  isoMax: string | null = null;
  dmyMin: string | null = null;
  dmyMax: string | null = null;
  mdyMin: string | null = null;
  mdyMax: string | null = null;
  dtMin: string | null = null;
  dtMax: string | null = null;
  counts = new Map<string, Seen>();
  overflow = false;

  constructor(public cap: number) {}

  /** Rows before this column existed (a ragged row widened the table) count as empty. */
  addNulls(n: number) {
    this.nulls += n;
  }

  add(v: RawCell) {
    if (v === null || v === "") {
      this.nulls++;
      return;
    }
    let key: string;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) {
        this.nulls++;
        return;
      }
      key = String(v);
    } else if (typeof v === "boolean") {
      key = v ? "true" : "false";
    } else {
      const c = v.charCodeAt(0);
      if (
        v.length <= 4 && (c === 110 || c === 78 || c === 45 || c === 35) &&
        isNullText(v)
      ) {
        this.nulls++;
        return;
      }
      key = v;
    }
    this.nonNull++;
    if (this.sampled && !this.overflow) this.settle();
    // A value seen before counts as it did then: classification runs once per distinct value.
    const seen = this.overflow ? undefined : this.counts.get(key);
    if (seen !== undefined) {
      seen.n++;
      this.repeat(seen);
      return;
    }
    const cls = typeof v === "number"
      ? this.fitNumber(v, Number.isSafeInteger(v))
      : typeof v === "boolean"
      ? (this.bool++, BOOL)
      : this.classify(v);
    // Past the cap a column is an id or free text: its frequent values no longer matter.
    if (this.overflow) return;
    if (this.counts.size < this.cap) {
      this.counts.set(detach(key), { n: 1, cls, value: this.lastValue });
    } else this.overflow = true;
  }

  /**
   * Set once `SAMPLE_ROWS` values were seen: from then on only columns whose
   * values are text, booleans or dates (where the planner needs the values,
   * or classifying is costly) keep counting; numbers are classified directly
   * and the column's distinct count becomes a lower bound.
   */
  sampled = false;

  private settle() {
    this.sampled = false;
    const numeric = this.int + this.num > this.nonNull / 2;
    if (numeric || this.counts.size > 1000) this.overflow = true;
  }

  /** The number (or slash-date fit bits) of the value classified last. */
  private lastValue = 0;

  private repeat(seen: Seen) {
    switch (seen.cls) {
      case INT:
        this.int++;
        this.intSum += seen.value;
        this.num++;
        this.numSum += seen.value;
        return;
      case NUM:
        this.num++;
        this.numSum += seen.value;
        return;
      case BOOL:
        this.bool++;
        return;
      case ISO:
        this.isoDate++;
        return;
      case SLASH:
        if (seen.value & 1) this.dmy++;
        if (seen.value & 2) this.mdy++;
        return;
      case DATETIME:
        this.datetime++;
        return;
    }
  }

  private fitNumber(n: number, integer: boolean): number {
    this.lastValue = n;
    this.num++;
    if (n < this.numMin) this.numMin = n;
    if (n > this.numMax) this.numMax = n;
    this.numSum += n;
    if (integer) {
      this.int++;
      if (n < this.intMin) this.intMin = n;
      if (n > this.intMax) this.intMax = n;
      this.intSum += n;
      return INT;
    }
    return NUM;
  }

  private classify(s: string): number {
    const c = s.charCodeAt(0);
    const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
    if (numeric) {
      if (isIntegerText(s)) return this.fitNumber(Number(s), true);
      if (isNumberText(s)) return this.fitNumber(Number(s), false);
      if (c < 48 || c > 57 || s.length < 6) return TEXT;
      if (SLASH_DATE.test(s)) {
        const dmy = parseDate(s, "dmy");
        const mdy = parseDate(s, "mdy");
        if (dmy) {
          this.dmy++;
          this.dmyMin = minStr(this.dmyMin, dmy);
          this.dmyMax = maxStr(this.dmyMax, dmy);
        }
        if (mdy) {
          this.mdy++;
          this.mdyMin = minStr(this.mdyMin, mdy);
          this.mdyMax = maxStr(this.mdyMax, mdy);
        }
        this.lastValue = (dmy ? 1 : 0) | (mdy ? 2 : 0);
        return SLASH;
      }
      const iso = s.length <= 10 ? parseDate(s, "mdy") : null;
      if (iso !== null) {
        this.isoDate++;
        this.isoMin = minStr(this.isoMin, iso);
        this.isoMax = maxStr(this.isoMax, iso);
        return ISO;
      }
      const dt = parseDatetime(s);
      if (dt) {
        this.datetime++;
        this.dtMin = minStr(this.dtMin, dt);
        this.dtMax = maxStr(this.dtMax, dt);
        return DATETIME;
      }
      return TEXT;
    }
    if (isBooleanText(s)) {
      this.bool++;
      return BOOL;
    }
    return TEXT;
  }

  order(): SlashOrder {
    return this.dmy > this.mdy ? "dmy" : "mdy";
  }

  fits(type: ColumnType): number {
    const slash = this.order() === "dmy" ? this.dmy : this.mdy;
    switch (type) {
      case "integer":
        return this.int;
      case "number":
        return this.num;
      case "boolean":
        return this.bool;
      case "date":
        return this.isoDate + slash;
      case "datetime":
        return this.isoDate + slash + this.datetime;
      case "text":
        return this.nonNull;
    }
  }

  choose(hint?: ColumnType): ColumnType {
    const n = this.nonNull;
    if (n === 0) return hint ?? "text";
    if (hint && this.fits(hint) === n) return hint;
    const need = n - Math.floor(n * (1 - FIT_THRESHOLD));
    if (this.num >= need) return this.int === this.num ? "integer" : "number";
    if (this.bool >= need) return "boolean";
    if (this.fits("datetime") >= need) {
      return this.datetime > 0 ? "datetime" : "date";
    }
    return "text";
  }
}

/** Accumulates rows and infers a schema; see the module comment for the rules. */
export class SchemaBuilder {
  #cols: ColumnAcc[] = [];
  #rows = 0;

  constructor(width: number, private hints: (ColumnType | undefined)[] = []) {
    this.widen(width);
  }

  /** Columns seen so far. */
  get width(): number {
    return this.#cols.length;
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Adds columns (a ragged row was longer than the header); earlier rows count as empty there. */
  widen(width: number): void {
    while (this.#cols.length < width) {
      const acc = new ColumnAcc(0);
      acc.addNulls(this.#rows);
      this.#cols.push(acc);
    }
    const cap = Math.max(
      256,
      Math.min(
        DISTINCT_PER_COLUMN,
        Math.floor(DISTINCT_BUDGET / this.#cols.length),
      ),
    );
    for (const c of this.#cols) c.cap = cap;
  }

  /** Adds one row; missing trailing cells count as empty. */
  add(row: RawCell[]): void {
    if (row.length > this.#cols.length) this.widen(row.length);
    const cols = this.#cols;
    for (let i = 0; i < cols.length; i++) {
      cols[i].add(i < row.length ? row[i] : null);
    }
    if (++this.#rows === SAMPLE_ROWS) {
      for (const c of cols) {
        c.sampled = true;
      }
    }
  }

  /** Returns the inferred schema, statistics and planner profile for these column names. */
  finish(names: string[]): InferredSchema {
    const columns: DatasetColumn[] = [];
    const stats: ColumnStats[] = [];
    const profiles: ColumnProfile[] = [];
    this.#cols.forEach((acc, i) => {
      const name = names[i];
      const type = acc.choose(this.hints[i]);
      const fit = acc.fits(type);
      const invalid = acc.nonNull - fit;
      const column: DatasetColumn = { name, type, nulls: acc.nulls, invalid };
      const order = acc.order();
      if ((type === "date" || type === "datetime") && acc.dmy + acc.mdy > 0) {
        column.dateOrder = order;
      }
      columns.push(column);
      const range = rangeOf(acc, type, order);
      const counted = countsOf(acc, type, order);
      const stat: ColumnStats = {
        name,
        type,
        count: fit,
        nulls: acc.nulls,
        invalid,
        distinct: counted.size,
        distinct_exact: !acc.overflow,
        ...range,
      };
      const ranked = [...counted.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      if (type === "integer" && acc.int > 0) stat.mean = acc.intSum / acc.int;
      if (type === "number" && acc.num > 0) stat.mean = acc.numSum / acc.num;
      if (type === "text" || type === "boolean") {
        stat.top = ranked.slice(0, 10).map(([value, count]) => ({
          value,
          count,
        }));
      }
      stats.push(stat);
      const profile: ColumnProfile = {
        name,
        type,
        distinctCount: counted.size,
        nulls: acc.nulls + invalid,
      };
      if (type === "text" || type === "boolean") {
        profile.distinct = ranked.slice(0, MAX_DISTINCT).map(([v]) => v);
      } else if (range.min !== undefined) {
        profile.min = range.min;
        profile.max = range.max;
      }
      if (type === "date" || type === "datetime") {
        profile.grain = type === "date"
          ? dateGrain([...counted.keys()])
          : "day";
      }
      profiles.push(profile);
    });
    return {
      columns,
      stats,
      profile: { columns: profiles, rowCount: this.#rows },
    };
  }
}

function rangeOf(
  acc: ColumnAcc,
  type: ColumnType,
  order: SlashOrder,
): { min?: number | string; max?: number | string } {
  if (type === "integer" && acc.int > 0) {
    return { min: acc.intMin, max: acc.intMax };
  }
  if (type === "number" && acc.num > 0) {
    return { min: acc.numMin, max: acc.numMax };
  }
  if (type === "date" || type === "datetime") {
    let min = acc.isoMin;
    let max = acc.isoMax;
    const [sMin, sMax] = order === "dmy"
      ? [acc.dmyMin, acc.dmyMax]
      : [acc.mdyMin, acc.mdyMax];
    if (sMin !== null) min = minStr(min, sMin);
    if (sMax !== null) max = maxStr(max, sMax);
    if (type === "datetime") {
      if (min !== null) min = `${min}T00:00:00`;
      if (max !== null) max = `${max}T00:00:00`;
      if (acc.dtMin !== null) min = minStr(min, acc.dtMin);
      if (acc.dtMax !== null) max = maxStr(max, acc.dtMax);
    }
    return min === null ? {} : { min, max: max! };
  }
  return {};
}

/** The value counts under the column's final type (booleans and dates canonical). */
function countsOf(
  acc: ColumnAcc,
  type: ColumnType,
  order: SlashOrder,
): Map<string, number> {
  const out = new Map<string, number>();
  if (type === "text") {
    for (const [raw, seen] of acc.counts) out.set(raw, seen.n);
    return out;
  }
  const convert = cellConverter({ type, dateOrder: order });
  for (const [raw, { n }] of acc.counts) {
    const v = convert(raw);
    if (v === null) continue;
    const key = String(v);
    out.set(key, (out.get(key) ?? 0) + n);
  }
  return out;
}

/** Dates repeat a lot: remember recent conversions (bounded). */
function memo(
  convert: (v: string) => string | null,
): (raw: RawCell | undefined) => TableCell {
  let seen = new Map<string, string | null>();
  return (v) => {
    if (typeof v !== "string" || v === "") return null;
    let out = seen.get(v);
    if (out === undefined) {
      out = convert(v);
      if (seen.size >= 20_000) seen = new Map();
      seen.set(v, out);
    }
    return out;
  };
}

/** Returns a function that turns a raw cell into its typed value, or null when it does not fit. */
export function cellConverter(
  column: Pick<DatasetColumn, "type" | "dateOrder">,
): (raw: RawCell | undefined) => TableCell {
  const order = column.dateOrder ?? "mdy";
  const blank = (v: RawCell | undefined): v is null | undefined | "" =>
    v === null || v === undefined || v === "";
  switch (column.type) {
    case "integer":
      return (v) => {
        if (blank(v)) return null;
        if (typeof v === "number") return Number.isSafeInteger(v) ? v : null;
        return typeof v === "string" && isIntegerText(v) ? Number(v) : null;
      };
    case "number":
      return (v) => {
        if (blank(v)) return null;
        if (typeof v === "number") return Number.isFinite(v) ? v : null;
        return typeof v === "string" && isNumberText(v) ? Number(v) : null;
      };
    case "boolean":
      return (v) => {
        if (blank(v)) return null;
        if (typeof v === "boolean") return v;
        return typeof v === "string" && isBooleanText(v)
          ? v.toLowerCase() === "true"
          : null;
      };
    case "date":
      return memo((v) => parseDate(v, order));
    case "datetime":
      return memo((v) => {
        const dt = parseDatetime(v);
        if (dt) return dt;
        const d = parseDate(v, order);
        return d ? `${d}T00:00:00` : null;
      });
    case "text":
      return (v) => {
        if (blank(v)) return null;
        const s = String(v);
        return s.length <= 4 && isNullText(s) ? null : s;
      };
  }
}

/**
 * Returns unique, non-empty column names for a header (SQLite compares names
 * case-blind) and a note for each repair made.
 */
export function cleanColumnNames(
  header: string[],
  width: number,
): { names: string[]; repairs: string[] } {
  const seen = new Set<string>();
  const names: string[] = [];
  const repairs: string[] = [];
  const empties: number[] = [];
  for (let i = 0; i < width; i++) {
    // deno-lint-ignore no-control-regex
    const raw = (header[i] ?? "").replace(/[\x00-\x1f\x7f]/g, " ").trim();
    let base = raw;
    if (base.length > MAX_COLUMN_NAME) {
      base = base.slice(0, MAX_COLUMN_NAME);
      repairs.push(
        `column ${
          i + 1
        }: its name was longer than ${MAX_COLUMN_NAME} characters and was cut`,
      );
    }
    if (!base) {
      base = `column_${i + 1}`;
      empties.push(i + 1);
    }
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    if (name !== base) {
      repairs.push(
        `column ${
          i + 1
        }: the name "${base}" was already taken, so it is "${name}"`,
      );
    }
    seen.add(name.toLowerCase());
    names.push(name);
  }
  if (empties.length) {
    repairs.push(
      `${empties.length === 1 ? "column" : "columns"} ${
        empties.slice(0, 20).join(", ")
      }${empties.length > 20 ? " …" : ""} had no name and ${
        empties.length === 1 ? "is" : "are"
      } now column_N`,
    );
  }
  return { names, repairs };
}
