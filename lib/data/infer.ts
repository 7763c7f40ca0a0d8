/**
 * Streaming schema inference. A `SchemaBuilder` sees every row once, keeps a
 * few counters per column (how many values fit each type, ranges, a bounded
 * map of frequent values, a sketch of how many distinct values there are)
 * and at the end picks each column's type: the most specific of integer,
 * number, boolean, date, date-time that at least 95% of the column's
 * non-empty values fit, else text. Values that did not fit are counted
 * (`invalid`) and read as null; the raw file keeps them.
 *
 * Cells arrive raw: strings from CSV, and numbers, booleans and ISO strings
 * from XLSX and JSON. `cellConverter` turns a raw cell into its typed value
 * with the same rules, so inference and reading never disagree.
 */
import {
  isBooleanText,
  isIntegerText,
  isNullText,
  isNumberText,
} from "./cells.ts";
import {
  compactDate,
  dateGrain,
  instantDate,
  isCompactDate,
  oneClockTime,
  parseDate,
  parseDatetime,
  readDate,
  type SlashOrder,
} from "./dates.ts";
import { buildColumnProfile, rankValues } from "./profile.ts";
import { DistinctSketch } from "./sketch.ts";
import type {
  ColumnProfile,
  ColumnType,
  DatasetProfile,
  TableCell,
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
  /**
   * Date columns written otherwise than as dates: `compact` integers like
   * 19580329 or 202001 (in a column named like a date), or `instant`
   * date-times that stand for calendar dates (`2000-01-01T08:00:00.000Z`,
   * read as their nearest midnight in UTC; see `instantDates`).
   */
  dateFormat?: "compact" | "instant";
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

/** Distinct values tracked across all columns, and per column, to bound memory and time. */
const DISTINCT_BUDGET = 200_000;
const DISTINCT_PER_COLUMN = 10_000;
/** Rows after which columns with many values stop counting them (and only estimate). */
const SAMPLE_ROWS = 100_000;
/** Distinct values at `SAMPLE_ROWS` above which a column stops counting. */
const SETTLE_DISTINCT = 1000;

/** Words of a column name that mark integers like 19580329 or 202001 as dates. */
const DATE_NAME_WORDS = new Set([
  "date",
  "dates",
  "data",
  "fecha",
  "dia",
  "día",
  "day",
  "datum",
  "dt",
  "period",
  "periodo",
  "período",
  "month",
  "mes",
  "mês",
  "yyyymm",
  "yyyymmdd",
]);

/** Whether a column's name has a word that names a date (`date`, `obs_date`, `fechaCorte`, `período`). */
function namesDate(name: string): boolean {
  return name.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2").toLowerCase()
    .split(/[^\p{L}]+/u).some((w) => DATE_NAME_WORDS.has(w));
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

/** The smallest and largest ISO text seen. */
class Span {
  min: string | null = null;
  max: string | null = null;
  add(s: string) {
    this.min = minStr(this.min, s);
    this.max = maxStr(this.max, s);
  }
}

/** What a distinct value was classified as, kept so repeats skip the work. */
interface Seen {
  n: number;
  cls: number;
  value: number;
}
const TEXT = 0, INT = 1, NUM = 2, BOOL = 3, DATE = 4, INT_DATE = 5;
/** Bits of a DATE value: valid read day-first, valid read month-first, has a time, the order matters. */
const DMY = 1, MDY = 2, TIMED = 4, ORDERED = 8;

class ColumnAcc {
  nulls = 0;
  nonNull = 0;
  int = 0;
  num = 0;
  bool = 0;
  /** Integers that read as compact dates (19580329, 202001). */
  compact = 0;
  /** Dates without a time, valid day-first / month-first. */
  dayD = 0;
  dayM = 0;
  /** Date-times, valid day-first / month-first. */
  timeD = 0;
  timeM = 0;
  /** Dates whose reading depends on the day/month order. */
  ordered = 0;
  /** The first few times of day of date-times, and whether any had no zone. */
  clock = new Set<string>();
  zoneless = false;
  intMin = Infinity;
  intMax = -Infinity;
  intSum = 0;
  numMin = Infinity;
  numMax = -Infinity;
  numSum = 0;
  daySpanD = new Span();
  daySpanM = new Span();
  timeSpanD = new Span();
  timeSpanM = new Span();
  counts = new Map<string, Seen>();
  overflow = false;
  /** Estimates the distinct values once `counts` stops taking new ones. */
  sketch: DistinctSketch | null = null;

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
      if (v.length <= 7 && isNullText(v)) {
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
    if (this.overflow) {
      this.sketch!.add(key);
      return;
    }
    if (this.counts.size < this.cap) {
      this.counts.set(detach(key), { n: 1, cls, value: this.lastValue });
    } else {
      this.stopCounting();
      this.sketch!.add(key);
    }
  }

  /**
   * Set once `SAMPLE_ROWS` values were seen: from then on only columns with
   * few distinct values (where the planner needs the values and counting is
   * cheaper than classifying) keep counting; the others classify each value
   * and estimate how many distinct ones there are.
   */
  sampled = false;

  private settle() {
    this.sampled = false;
    if (this.counts.size > SETTLE_DISTINCT) this.stopCounting();
  }

  private stopCounting() {
    this.overflow = true;
    this.sketch = new DistinctSketch();
    for (const key of this.counts.keys()) this.sketch.add(key);
  }

  /** The number (or date bits) of the value classified last. */
  private lastValue = 0;

  private repeat(seen: Seen) {
    switch (seen.cls) {
      case INT_DATE:
        this.compact++;
      // falls through
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
      case DATE:
        this.countDate(seen.value);
        return;
    }
  }

  private countDate(bits: number) {
    if (bits & TIMED) {
      if (bits & DMY) this.timeD++;
      if (bits & MDY) this.timeM++;
    } else {
      if (bits & DMY) this.dayD++;
      if (bits & MDY) this.dayM++;
    }
    if (bits & ORDERED) this.ordered++;
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
      if (n >= 160001 && isCompactDate(n)) {
        this.compact++;
        return INT_DATE;
      }
      return INT;
    }
    return NUM;
  }

  private classify(s: string): number {
    const c = s.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
      if (isIntegerText(s)) return this.fitNumber(Number(s), true);
      if (isNumberText(s)) return this.fitNumber(Number(s), false);
      if (c < 48 || c > 57) return TEXT;
    } else if (isBooleanText(s)) {
      this.bool++;
      return BOOL;
    }
    const r = readDate(s);
    if (r === null) return TEXT;
    const timed = r.time !== "";
    if (timed) {
      if (this.clock.size < 3) this.clock.add(r.time);
      if (r.time.length === 9) this.zoneless = true;
    }
    let bits = timed ? TIMED : 0;
    if (r.dmy !== null) {
      bits |= DMY;
      (timed ? this.timeSpanD : this.daySpanD).add(r.dmy + r.time);
    }
    if (r.mdy !== null) {
      bits |= MDY;
      (timed ? this.timeSpanM : this.daySpanM).add(r.mdy + r.time);
    }
    if (r.dmy !== r.mdy) bits |= ORDERED;
    this.countDate(bits);
    this.lastValue = bits;
    return DATE;
  }

  order(): SlashOrder {
    return this.dayD + this.timeD > this.dayM + this.timeM ? "dmy" : "mdy";
  }

  fits(type: ColumnType, compact = false): number {
    const dmy = this.order() === "dmy";
    switch (type) {
      case "integer":
        return this.int;
      case "number":
        return this.num;
      case "boolean":
        return this.bool;
      case "date":
        return compact ? this.compact : dmy ? this.dayD : this.dayM;
      case "datetime":
        return dmy ? this.dayD + this.timeD : this.dayM + this.timeM;
      case "text":
        return this.nonNull;
    }
  }

  /**
   * Whether a date-time column's values are calendar dates written as
   * instants: all zoned, at one clock time, and either at midnight UTC or
   * spaced by weeks, months, quarters or years (`values` are its date-times).
   */
  instantDates(values: Iterable<string>): boolean {
    if (this.zoneless || this.dayD + this.dayM > 0) return false;
    if (!oneClockTime(this.clock)) return false;
    const clock = [...this.clock];
    if (clock.every((t) => t === "T00:00:00Z" || t === "T00:00:00+00:00")) {
      return true;
    }
    const dates = new Set<string>();
    for (const v of values) dates.add(instantDate(v) ?? v);
    const grain = dateGrain(dates);
    return grain !== "day" && grain !== "hour" && grain !== "minute" &&
      grain !== "second";
  }

  /** Whether the column is integers that all read as compact dates, under a name that says date. */
  compactDates(name: string): boolean {
    return this.compact > 0 && this.compact === this.num && namesDate(name);
  }

  choose(name: string, hint?: ColumnType): ColumnType {
    const n = this.nonNull;
    if (n === 0) return hint ?? "text";
    if (hint && this.fits(hint) === n) return hint;
    const need = n - Math.floor(n * (1 - FIT_THRESHOLD));
    if (this.num >= need) {
      if (this.compactDates(name)) return "date";
      return this.int === this.num ? "integer" : "number";
    }
    if (this.bool >= need) return "boolean";
    if (this.fits("datetime") >= need) {
      return this.timeD + this.timeM > 0 ? "datetime" : "date";
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
      let type = acc.choose(name, this.hints[i]);
      const compact = type === "date" && acc.num > 0 && acc.compactDates(name);
      const fit = acc.fits(type, compact);
      const invalid = acc.nonNull - fit;
      const column: DatasetColumn = { name, type, nulls: acc.nulls, invalid };
      if ((type === "date" || type === "datetime") && acc.ordered > 0) {
        column.dateOrder = acc.order();
      }
      if (compact) column.dateFormat = "compact";
      if (
        type === "datetime" && this.hints[i] !== "datetime" &&
        acc.instantDates(countsOf(acc, column).keys())
      ) {
        type = column.type = "date";
        column.dateFormat = "instant";
      }
      columns.push(column);
      const range = rangeOf(acc, column);
      const counted = countsOf(acc, column);
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
      if (type === "integer" && acc.int > 0) stat.mean = acc.intSum / acc.int;
      if (type === "number" && acc.num > 0) stat.mean = acc.numSum / acc.num;
      if (type === "text" || type === "boolean") {
        stat.top = rankValues(counted).slice(0, 10).map(([value, count]) => ({
          value,
          count,
        }));
      }
      stats.push(stat);
      const estimate = acc.sketch?.estimate() ?? 0;
      profiles.push(buildColumnProfile({
        name,
        type,
        counts: counted,
        exact: !acc.overflow,
        distinctCount: acc.overflow
          ? Math.min(Math.max(estimate, counted.size), fit)
          : counted.size,
        nulls: acc.nulls + invalid,
        ...range,
      }));
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
  column: DatasetColumn,
): { min?: number | string; max?: number | string } {
  const { type } = column;
  if (type === "integer" && acc.int > 0) {
    return { min: acc.intMin, max: acc.intMax };
  }
  if (type === "number" && acc.num > 0) {
    return { min: acc.numMin, max: acc.numMax };
  }
  if (column.dateFormat === "compact") {
    return { min: compactDate(acc.intMin)!, max: compactDate(acc.intMax)! };
  }
  if (column.dateFormat === "instant") {
    const time = acc.order() === "dmy" ? acc.timeSpanD : acc.timeSpanM;
    return time.min === null
      ? {}
      : { min: instantDate(time.min)!, max: instantDate(time.max!)! };
  }
  if (type === "date" || type === "datetime") {
    const dmy = acc.order() === "dmy";
    const day = dmy ? acc.daySpanD : acc.daySpanM;
    let { min, max } = day;
    if (type === "datetime") {
      const time = dmy ? acc.timeSpanD : acc.timeSpanM;
      if (min !== null) min = `${min}T00:00:00`;
      if (max !== null) max = `${max}T00:00:00`;
      if (time.min !== null) min = minStr(min, time.min);
      if (time.max !== null) max = maxStr(max, time.max);
    }
    return min === null ? {} : { min, max: max! };
  }
  return {};
}

/** The value counts under the column's final type (booleans and dates canonical). */
function countsOf(
  acc: ColumnAcc,
  column: DatasetColumn,
): Map<string, number> {
  const out = new Map<string, number>();
  if (column.type === "text") {
    for (const [raw, seen] of acc.counts) out.set(raw, seen.n);
    return out;
  }
  const convert = cellConverter(column);
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
  column: Pick<DatasetColumn, "type" | "dateOrder" | "dateFormat">,
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
      if (column.dateFormat === "compact") {
        return (v) =>
          typeof v === "number"
            ? compactDate(v)
            : typeof v === "string" && isIntegerText(v)
            ? compactDate(Number(v))
            : null;
      }
      if (column.dateFormat === "instant") {
        return memo((v) => {
          const dt = parseDatetime(v, order);
          return dt === null ? null : instantDate(dt) ?? dt.slice(0, 10);
        });
      }
      return memo((v) => parseDate(v, order));
    case "datetime":
      return memo((v) => parseDatetime(v, order));
    case "text":
      return (v) => {
        if (blank(v)) return null;
        const s = String(v);
        return s.length <= 7 && isNullText(s) ? null : s;
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
