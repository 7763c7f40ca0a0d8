/**
 * Reading the date and time spellings real files use into ISO text, and the
 * grain a column of such dates is spaced at.
 *
 * Dates become `YYYY-MM-DD`, date-times `YYYY-MM-DDTHH:MM:SS` plus the zone
 * when one is written (`Z` or `±HH:MM`; fractions of a second are dropped).
 * Spellings read: ISO (`2000-01-31`, `2000/1/31`, `2000-01-31T08:00:00.000Z`),
 * slash dates whose day/month order the column decides (`03/04/2024`, two-digit
 * years `3/4/24`), dot dates that are always day-first (`31.12.2020`), months by
 * name in English, Spanish or Portuguese (`Jan 1 2000`, `January 1, 2000`,
 * `1 Jan 2000`, `01-Jan-2000`, `01-JAN-98`, `1 de enero de 2020`, `ene 2020`,
 * `fev/2021`, `janeiro de 2021`), a month alone (`2020-01`, `01/2021`: its
 * first day), quarters (`2015-Q3`, `1974Q1`, `Q3 2015`: the quarter's first
 * day), an English weekday in front (`Mon, 3 Jan 2000`), and a time after any
 * of the full dates (`2001/01/01 06:55`, `Jan 1 2000 10:30 PM`).
 */

/** Which part of a slash date comes first: the day or the month. */
export type SlashOrder = "dmy" | "mdy";

/** The natural spacing of a date column's values. */
export type DateGrain =
  | "second"
  | "minute"
  | "hour"
  | "day"
  | "week"
  | "month"
  | "quarter"
  | "year";

/** What a date spelling reads as under each day/month order. */
export interface DateReading {
  /** The ISO date read day-first, or null when that reading is no valid date. */
  dmy: string | null;
  /** The ISO date read month-first; the same as `dmy` when the order does not matter. */
  mdy: string | null;
  /** `THH:MM:SS` and the zone, or "" for a date alone (midnight without a zone counts as alone). */
  time: string;
  /** Set when the spelling names a month or a quarter, not a day (it reads as its first day). */
  period?: true;
}

const MONTHS: Record<string, number> = {};
for (
  const [m, names] of [
    [1, "january jan enero ene janeiro"],
    [2, "february feb febrero fevereiro fev"],
    [3, "march mar marzo março marco"],
    [4, "april apr abril abr"],
    [5, "may mayo maio mai"],
    [6, "june jun junio junho"],
    [7, "july jul julio julho"],
    [8, "august aug agosto ago"],
    [9, "september sep sept septiembre setiembre setembro set"],
    [10, "october oct octubre outubro out"],
    [11, "november nov noviembre novembro"],
    [12, "december dec diciembre dic dezembro dez"],
  ] as const
) {
  for (const name of names.split(" ")) MONTHS[name] = m;
}

/** A word's first three characters, lowercased (ASCII), as one number. */
function start3(s: string): number {
  return ((s.charCodeAt(0) | 32) << 16) | ((s.charCodeAt(1) | 32) << 8) |
    (s.charCodeAt(2) | 32);
}

/** First three letters of every month name and English weekday: a cheap gate before the patterns. */
const WORD_STARTS = new Set(
  [...Object.keys(MONTHS), "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    .map(start3),
);

const ISO_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const YEAR_MONTH = /^(\d{4})[-/](\d{1,2})$/;
const MONTH_YEAR = /^(\d{1,2})[-/](\d{4})$/;
const SLASH_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const SLASH_DATE_YY = /^(\d{1,2})([/.])(\d{1,2})\2(\d{2})$/;
const DAY_MONTH_YEAR =
  /^(\d{1,2})(?:st|nd|rd|th|º|°)?(?:[-/. ]+|\s+de\s+)(\p{L}+)\.?(?:[-/., ]+|\s+de\s+)(\d{4}|\d{2})$/iu;
const MONTH_DAY_YEAR =
  /^(\p{L}+)\.?[-/ ]+(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|[-/ ]+)(\d{4})$/iu;
const MONTH_NAME_YEAR = /^(\p{L}+)\.?(?:[-/ ,]+|\s+de\s+)(\d{4})$/iu;
const YEAR_MONTH_NAME = /^(\d{4})[-/ ](\p{L}+)\.?(?:[-/ ](\d{1,2}))?$/iu;
const YEAR_QUARTER = /^(\d{4})\s*[-/ ]?\s*[QT]([1-4])$/i;
const QUARTER_YEAR = /^[QT]([1-4])\s*[-/ ]?\s*(\d{4})$/i;
const WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i;
const TIME =
  /(?:T|\s+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([AaPp])\.?[Mm]\.?)?\s*(Z|(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?|UTC|GMT)?(?:\s*\([^)]*\))?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (d <= 28) return true;
  if (m === 2) {
    return d === 29 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  }
  return d <= (m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

/** Returns `YYYY-MM-DD`, or null when the day does not exist. */
export function isoDate(y: number, m: number, d: number): string | null {
  return validDay(y, m, d) ? `${pad(y, 4)}-${pad(m)}-${pad(d)}` : null;
}

/** `YYYY-MM-DD` written canonically: read by character codes, the commonest date of all. */
function canonicalIso(s: string): string | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) {
    return null;
  }
  let y = 0, m = 0, d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  return validDay(y, m, d) ? s : null;
}

/** Two-digit years read as Excel does: 00–29 are 2000s, 30–99 1900s. */
function fullYear(y: string): number {
  const n = +y;
  return y.length === 4 ? n : n < 30 ? 2000 + n : 1900 + n;
}

function monthOf(word: string): number {
  return MONTHS[word.toLowerCase()] ?? 0;
}

function both(iso: string | null): DateReading | null {
  return iso === null ? null : { dmy: iso, mdy: iso, time: "" };
}

function period(iso: string | null): DateReading | null {
  return iso === null ? null : { dmy: iso, mdy: iso, time: "", period: true };
}

/** Reads a date without a time; see the module comment for the spellings. */
function readDay(s: string): DateReading | null {
  const c = s.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (c >= 48 && c <= 57) {
    const iso = canonicalIso(s);
    if (iso !== null) return both(iso);
    if ((m = ISO_DATE.exec(s))) return both(isoDate(+m[1], +m[2], +m[3]));
    if ((m = SLASH_DATE.exec(s) ?? SLASH_DATE_YY.exec(s))) {
      const [a, b, y] = [+m[1], +m[3], fullYear(m[4])];
      const dmy = isoDate(y, b, a);
      // Dots are written day-first wherever they are used.
      if (m[2] === ".") return both(dmy);
      const mdy = isoDate(y, a, b);
      return dmy === null && mdy === null ? null : { dmy, mdy, time: "" };
    }
    if ((m = YEAR_MONTH.exec(s))) return period(isoDate(+m[1], +m[2], 1));
    if ((m = MONTH_YEAR.exec(s))) return period(isoDate(+m[2], +m[1], 1));
    if ((m = YEAR_QUARTER.exec(s))) {
      return period(isoDate(+m[1], 3 * +m[2] - 2, 1));
    }
    if ((m = DAY_MONTH_YEAR.exec(s))) {
      const month = monthOf(m[2]);
      return month ? both(isoDate(fullYear(m[3]), month, +m[1])) : null;
    }
    if ((m = YEAR_MONTH_NAME.exec(s))) {
      const month = monthOf(m[2]);
      if (!month) return null;
      return m[3]
        ? both(isoDate(+m[1], month, +m[3]))
        : period(isoDate(+m[1], month, 1));
    }
    return null;
  }
  if ((m = QUARTER_YEAR.exec(s))) {
    return period(isoDate(+m[2], 3 * +m[1] - 2, 1));
  }
  if ((m = MONTH_DAY_YEAR.exec(s))) {
    const month = monthOf(m[1]);
    return month ? both(isoDate(+m[3], month, +m[2])) : null;
  }
  if ((m = MONTH_NAME_YEAR.exec(s))) {
    const month = monthOf(m[1]);
    return month ? period(isoDate(+m[2], month, 1)) : null;
  }
  return null;
}

/** Returns `THH:MM:SS[zone]` for a time's parts, "" for midnight without a zone, or null when out of range. */
function timeText(t: RegExpExecArray): string | null {
  let h = +t[1];
  const min = +t[2];
  const sec = t[3] ? +t[3] : 0;
  if (t[4]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (t[4].toLowerCase() === "p" ? 12 : 0);
  }
  if (h > 23 || min > 59 || sec > 59) return null;
  let zone = t[5] ?? "";
  if (zone) {
    const z = /([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
    zone = z ? `${z[1]}${pad(+z[2])}:${z[3] ?? "00"}` : "Z";
  }
  if (h === 0 && min === 0 && sec === 0 && !zone) return "";
  return `T${pad(h)}:${pad(min)}:${pad(sec)}${zone}`;
}

/**
 * Reads a trimmed cell as a date or date-time, or returns null when it is
 * not one. Cheap for text that cannot be a date: a first character that is
 * no digit, `Q`/`T` or the start of a month or weekday name fails at once.
 */
export function readDate(s: string): DateReading | null {
  const n = s.length;
  if (n < 6 || n > 96) return null;
  const c = s.charCodeAt(0);
  if (c < 48 || c > 57) {
    const c1 = s.charCodeAt(1);
    const quarter = (c === 81 || c === 113 || c === 84 || c === 116) &&
      c1 >= 49 && c1 <= 52;
    if (!quarter && !WORD_STARTS.has(start3(s))) return null;
    if (WEEKDAY.test(s)) {
      const rest = s.replace(WEEKDAY, "");
      // "Mar 3 2020" starts like "Mar(tes)" but is a month.
      if (readDay(s) === null) s = rest;
    }
  }
  const day = readDay(s);
  if (day !== null) return day;
  // A time needs a colon; without one there is nothing more to try.
  if (s.indexOf(":") === -1) return null;
  const t = TIME.exec(s);
  if (t === null || t.index === 0) return null;
  const date = readDay(s.slice(0, t.index));
  // A month or quarter with a time is no date-time.
  if (date === null || date.period) return null;
  const time = timeText(t);
  if (time === null) return null;
  date.time = time;
  return date;
}

/** Returns a cell as ISO `YYYY-MM-DD` (read in `order` when it is a slash date), or null when it is not a date. */
export function parseDate(s: string, order: SlashOrder): string | null {
  const r = readDate(s);
  if (r === null || r.time !== "") return null;
  return order === "dmy" ? r.dmy : r.mdy;
}

/** Returns a cell as ISO `YYYY-MM-DDTHH:MM:SS[zone]` (a date alone at midnight), or null. */
export function parseDatetime(
  s: string,
  order: SlashOrder = "mdy",
): string | null {
  const r = readDate(s);
  if (r === null) return null;
  const day = order === "dmy" ? r.dmy : r.mdy;
  return day === null ? null : `${day}${r.time || "T00:00:00"}`;
}

/** Whether an integer is a compact date: `yyyymmdd` (8 digits) or `yyyymm` (6 digits), years 1600 to 2199. */
export function isCompactDate(n: number): boolean {
  if (n >= 16000101 && n <= 21991231) {
    return validDay(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100);
  }
  if (n >= 160001 && n <= 219912) return validDay(1600, n % 100, 1);
  return false;
}

/** Returns a compact date (see `isCompactDate`) as an ISO date, else null. */
export function compactDate(n: number): string | null {
  if (!Number.isInteger(n) || !isCompactDate(n)) return null;
  return n >= 16000101
    ? isoDate(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100)
    : isoDate(Math.floor(n / 100), n % 100, 1);
}

const DAY_MS = 86_400_000;

/**
 * Whether the times of day a column's date-times take (`THH:MM:SS[zone]`)
 * are one clock time: a single one, or two zoned ones an hour apart (the
 * same local time either side of a daylight-saving change, written in UTC).
 */
export function oneClockTime(times: Iterable<string>): boolean {
  const seen: string[] = [];
  for (const t of times) {
    if (seen.includes(t)) continue;
    if (seen.length === 2) return false;
    seen.push(t);
  }
  if (seen.length < 2) return true;
  const [a, b] = seen;
  // Only a time written with a zone moves with daylight saving.
  return a.length > 9 && a.slice(3) === b.slice(3) &&
    Math.abs(+a.slice(1, 3) - +b.slice(1, 3)) === 1;
}

/**
 * Returns the date a zoned date-time stands for when it is a calendar date
 * written as an instant (`2000-01-01T08:00:00.000Z` is midnight in
 * California; `1999-12-31T23:00:00Z` is midnight in Paris): the nearest
 * midnight in UTC. Null for a value without a zone.
 */
export function instantDate(iso: string): string | null {
  if (iso.length <= 19) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return new Date(Math.round(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** A date's day of the month, or 99 for the last day of its month (so month ends compare equal). */
function dayOfMonth(y: number, m: number, d: number): number {
  return d >= 28 && !validDay(y, m, d + 1) ? 99 : d;
}

/**
 * Returns the grain ISO date or date-time values are spaced at: the finest
 * part of the time that varies (seconds, minutes or hours) when the values
 * are not all at one clock time (see `oneClockTime`); else, for dates all on
 * one day of the month (or all month ends), year when they share the month
 * too, quarter when their months are three apart, month otherwise; else week
 * when three or more fall on one weekday; else day.
 */
export function dateGrain(values: Iterable<string>): DateGrain {
  let count = 0;
  const times = new Set<string>();
  let hms = 0; // 4: seconds vary, 2: minutes vary, 1: hours vary
  let first = "";
  let day = -1;
  let oneDay = true;
  let month = -1;
  let oneMonth = true;
  let oneQuarterMonth = true;
  let weekday = -1;
  let oneWeekday = true;
  for (const v of values) {
    const t = v.length > 10 ? v.slice(10) : "";
    if (count++ === 0) first = t;
    if (times.size < 3) times.add(t);
    if (t !== first) {
      if (t.slice(1, 3) !== first.slice(1, 3)) hms |= 1;
      if (t.slice(4, 6) !== first.slice(4, 6)) hms |= 2;
      if (t.slice(7, 9) !== first.slice(7, 9)) hms |= 4;
    }
    const y = +v.slice(0, 4), m = +v.slice(5, 7), d = +v.slice(8, 10);
    const dm = dayOfMonth(y, m, d);
    if (day === -1) [day, month] = [dm, m];
    if (dm !== day) oneDay = false;
    if (m !== month) oneMonth = false;
    if ((m - month) % 3 !== 0) oneQuarterMonth = false;
    if (oneWeekday) {
      const days = Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
      const wd = ((days % 7) + 7) % 7;
      if (weekday === -1) weekday = wd;
      else if (wd !== weekday) oneWeekday = false;
    }
  }
  if (!oneClockTime(times)) {
    return hms & 4 ? "second" : hms & 2 ? "minute" : "hour";
  }
  if (count < 2) return "day";
  if (oneDay) return oneMonth ? "year" : oneQuarterMonth ? "quarter" : "month";
  return oneWeekday && count >= 3 ? "week" : "day";
}
