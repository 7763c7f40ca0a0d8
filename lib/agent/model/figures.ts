/**
 * Figures a model writes, checked against the data. Every number in the
 * model's words is read (1,234.5 · 1.234,5 · 41,2 % · 3.2k · 2.5 million ·
 * a year · an ISO date) and compared with the figures the turn knows: the
 * words of the conversation, and the chart's snapshot and reading when the
 * turn draws one, else the datasets' profiles. A figure that matches one, as
 * written or rounded to the places it shows, stays; one within 10 % of a
 * chart's (or the data's) figure is corrected to it; any other is removed.
 * Text streams through `FigureGuard`, which holds back only a number still
 * arriving or one that cannot be judged until the turn is over.
 */
import type { Snapshot } from "@/lib/charts/spec.ts";
import type { DatasetProfile } from "@/lib/data/table.ts";

/** A figure found in a text. */
export interface FigureToken {
  start: number;
  end: number;
  /** Possible readings (a "1,234" may be 1234 or 1.234): absolute values, scale applied. */
  values: {
    value: number;
    tolerance: number;
    decimals: number;
    /** The decimal separator of this reading, if any. */
    mark: "." | "," | null;
    /** Written with thousands separators in this reading. */
    grouped: boolean;
  }[];
  /** A year on its own (or the year of an ISO date). */
  year: number | null;
  percent: boolean;
  /** The multiplier of a scale word or suffix ("k", "million"). */
  scale: number;
  /** Could still grow with the text that comes next. */
  complete: boolean;
}

const SCALES: Record<string, number> = {
  k: 1e3,
  K: 1e3,
  m: 1e6,
  M: 1e6,
  B: 1e9,
  bn: 1e9,
  thousand: 1e3,
  thousands: 1e3,
  million: 1e6,
  millions: 1e6,
  billion: 1e9,
  billions: 1e9,
  mil: 1e3,
  millon: 1e6,
  millón: 1e6,
  millones: 1e6,
  milhão: 1e6,
  milhões: 1e6,
  milhao: 1e6,
  milhoes: 1e6,
  bilhão: 1e9,
  bilhões: 1e9,
};

/** Numbers: a sign, digits with separators; not inside a word, an identifier or a time. */
const NUMBER = /(?<![\p{L}\p{N}_.,:/#\-−+])[-−+]?\d[\d.,]*/gu;

function interpretations(
  digits: string,
): {
  value: number;
  decimals: number;
  mark: "." | "," | null;
  grouped: boolean;
}[] {
  const lastDot = digits.lastIndexOf(".");
  const lastComma = digits.lastIndexOf(",");
  const parse = (thousands: string, mark: "." | "," | null) => {
    const [int, frac = ""] = mark
      ? [
        digits.slice(0, digits.lastIndexOf(mark)),
        digits.slice(digits.lastIndexOf(mark) + 1),
      ]
      : [digits, ""];
    const whole = thousands ? int.split(thousands).join("") : int;
    if (!/^\d+$/.test(whole) || (frac && !/^\d+$/.test(frac))) return null;
    if (
      thousands && !new RegExp(`^\\d{1,3}(\\${thousands}\\d{3})*$`).test(int)
    ) {
      return null;
    }
    return {
      value: Number(`${whole}.${frac || "0"}`),
      decimals: frac.length,
      mark,
      grouped: !!thousands && int.includes(thousands),
    };
  };
  const out = [];
  if (lastDot === -1 && lastComma === -1) out.push(parse("", null));
  else if (lastDot !== -1 && lastComma !== -1) {
    out.push(lastDot > lastComma ? parse(",", ".") : parse(".", ","));
  } else {
    const sep = lastDot !== -1 ? "." : ",";
    out.push(parse("", sep as "." | ","));
    out.push(parse(sep, null)); // "1,234" and "1.234" may be thousands
  }
  return out.filter((x) => x !== null);
}

/** Every figure in a text; a figure touching the end is `complete: false`. */
export function findFigures(text: string, from = 0): FigureToken[] {
  const out: FigureToken[] = [];
  NUMBER.lastIndex = from;
  for (let m; (m = NUMBER.exec(text));) {
    let raw = m[0];
    const start = m.index;
    // Sentence punctuation after a number is not part of it.
    while (/[.,]$/.test(raw)) raw = raw.slice(0, -1);
    let end = start + raw.length;
    const rest = text.slice(end);
    let complete = end < text.length && !/^[.,]$/.test(rest);
    const digits = raw.replace(/^[-−+]/, "");
    // An ISO date (only its year is a figure) or a span of years.
    if (/^\d{4}$/.test(digits)) {
      const date = /^-\d{2}(?!\d)(?:-\d{2}(?!\d))?/.exec(rest);
      const span = /^[-–]\d{4}(?!\d)/.exec(rest);
      if (date || span || /^[-–]\d{0,3}$/.test(rest)) {
        const year = (at: number, to: number, done: boolean): FigureToken => ({
          start: at,
          end: to,
          values: [],
          year: Number(text.slice(at, at + 4)),
          percent: false,
          scale: 1,
          complete: done,
        });
        const whole = !/^[-–]\d{0,3}$/.test(rest) &&
          end + (date?.[0].length ?? 5) < text.length;
        if (span) {
          out.push(year(start, end, true), year(end + 1, end + 5, whole));
          end += 5;
        } else {
          end += date?.[0].length ?? 0;
          out.push(year(start, end, whole));
        }
        NUMBER.lastIndex = end;
        continue;
      }
    }
    // A time of day ("10:30") is not a figure.
    if (/^:\d/.test(rest)) {
      NUMBER.lastIndex = start + m[0].length;
      continue;
    }
    // "2nd", "10am", "3x": part of a word, not a figure.
    const word = /^(\s?)([\p{L}]+)/u.exec(rest);
    let scale = 1;
    if (word) {
      const factor = SCALES[word[2]];
      if (factor && !(word[1] === "" && word[2].length > 2)) {
        scale = factor;
        end += word[0].length;
      } else if (word[1] === "") {
        NUMBER.lastIndex = start + m[0].length;
        continue;
      }
      // A word still arriving may turn out to be a scale ("mil" → "million").
      if (end + (scale === 1 ? word[0].length : 0) >= text.length) {
        complete = false;
      }
    }
    if (/^\s?$/.test(rest)) complete = false;
    const percent = /^\s?%/.exec(text.slice(end));
    if (percent) end += percent[0].length;
    const readings = interpretations(digits);
    if (!readings.length) continue;
    const trailingZeros = (s: string) => s.length - s.replace(/0+$/, "").length;
    out.push({
      start,
      end,
      values: readings.map((r) => ({
        value: r.value * scale,
        decimals: r.decimals,
        mark: r.mark,
        grouped: r.grouped,
        // Rounded to the places shown: "41.2" is 41.15…41.25; "1,200" is 1,150…1,250.
        tolerance: 0.5 * scale *
          (r.decimals > 0 ? 10 ** -r.decimals : 10 ** Math.min(
            trailingZeros(String(Math.trunc(r.value))),
            String(Math.trunc(r.value)).length - 1,
          )),
      })),
      year: /^\d{4}$/.test(digits) ? Number(digits) : null,
      percent: !!percent,
      scale,
      complete,
    });
    NUMBER.lastIndex = end;
  }
  return out;
}

/** A sorted list of figures with a nearest-value lookup, and years. */
class FigureSet {
  #values: number[] = [];
  #sorted = true;
  readonly years = new Set<number>();

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.#values.push(Math.abs(value));
    this.#sorted = false;
  }

  nearest(value: number): number | null {
    if (!this.#sorted) {
      this.#values.sort((a, b) => a - b);
      this.#sorted = true;
    }
    const v = this.#values;
    if (!v.length) return null;
    let lo = 0;
    let hi = v.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    const candidates = [v[lo], v[lo - 1]].filter((x) => x !== undefined);
    return candidates.reduce((a, b) =>
      Math.abs(b - value) < Math.abs(a - value) ? b : a
    );
  }

  /** Whether a figure is in the set, as written or rounded to the places it shows. */
  has(f: FigureToken): boolean {
    if (f.year !== null && this.years.has(f.year)) return true;
    return f.values.some(({ value, tolerance }) => {
      const near = this.nearest(value);
      return near !== null &&
        Math.abs(near - value) <= tolerance + 1e-9 * Math.abs(near);
    });
  }
}

/**
 * Where a known figure comes from. `conversation`: the person's words and
 * earlier replies (always fine to repeat); `data`: the datasets' profiles
 * (what a reply in words alone may quote); `chart`: the turn's chart, its
 * data and reading (what a reply with a chart may quote).
 */
export type FigureSource = "conversation" | "data" | "chart";

/** The figures a turn knows to be true, by where they come from. */
export class KnownFigures {
  readonly #sets: Record<FigureSource, FigureSet> = {
    conversation: new FigureSet(),
    data: new FigureSet(),
    chart: new FigureSet(),
  };

  /** Adds figures of a source. */
  add(source: FigureSource, values: number[]): this {
    for (const v of values) this.#sets[source].add(v);
    return this;
  }

  /** Adds every figure written in a text (a request, an interpretation). */
  addText(source: FigureSource, text: string): this {
    for (const f of findFigures(text)) {
      if (f.year !== null) this.#sets[source].years.add(f.year);
      this.add(source, f.values.map((v) => v.value));
    }
    return this;
  }

  /** Adds the years from one to another. */
  addYears(source: FigureSource, from: number, to: number): this {
    if (Number.isFinite(from) && Number.isFinite(to) && to - from <= 500) {
      for (let y = Math.trunc(from); y <= to; y++) {
        this.#sets[source].years.add(y);
      }
    }
    return this;
  }

  /** Adds what a dataset's profile says: sizes, ranges, values and the years its dates span. */
  addProfile(p: DatasetProfile): this {
    this.add("data", [p.rowCount, p.columns.length]);
    for (const c of p.columns) {
      this.add("data", [c.distinctCount ?? NaN, c.nulls ?? NaN]);
      for (const bound of [c.min, c.max]) {
        if (typeof bound === "number") this.add("data", [bound]);
      }
      if (typeof c.min === "string" && typeof c.max === "string") {
        this.addYears(
          "data",
          Number(c.min.slice(0, 4)),
          Number(c.max.slice(0, 4)),
        );
      } else if (
        typeof c.min === "number" && typeof c.max === "number" &&
        c.min >= 1000 && c.max <= 2999 && Number.isInteger(c.min)
      ) {
        this.addYears("data", c.min, c.max);
      }
      for (const v of c.distinct?.slice(0, 200) ?? []) this.addText("data", v);
    }
    return this;
  }

  /** Adds a chart's data: every cell, each series' total, mean and change, each row's share. */
  addSnapshot(s: Snapshot): this {
    this.add("chart", [s.rows.length, s.columns.length - 1]);
    s.columns.forEach((col, i) => {
      const nums: number[] = [];
      for (const row of s.rows) {
        const v = row[i];
        if (typeof v === "number") nums.push(v);
        else if (typeof v === "string" && v.length <= 60) {
          this.addText("chart", v);
        }
      }
      if (col.type !== "number" || !nums.length) return;
      this.add("chart", nums);
      const total = nums.reduce((a, b) => a + b, 0);
      this.add("chart", [total, total / nums.length]);
      if (total !== 0) this.add("chart", nums.map((v) => (v / total) * 100));
      const [first, last] = [nums[0], nums[nums.length - 1]];
      if (first !== 0) this.add("chart", [((last - first) / first) * 100]);
      this.add("chart", [last - first, Math.max(...nums) - Math.min(...nums)]);
    });
    return this;
  }

  /** The figure of a source nearest a value. */
  nearest(source: FigureSource, value: number): number | null {
    return this.#sets[source].nearest(value);
  }

  /** Whether a figure is known to one of the sources. */
  accepts(f: FigureToken, sources: FigureSource[]): boolean {
    // Small whole numbers count things ("3 cities", "top 5").
    if (
      !f.percent && f.values.some((v) => v.decimals === 0 && v.value <= 10)
    ) return true;
    return sources.some((source) => this.#sets[source].has(f));
  }
}

/** Most a figure may be off from a known one to be corrected rather than removed. */
const CORRECTABLE = 0.1;

/** What stands in a text for a figure that is not known: the figure of `source` it misquotes, or the removal note. */
export function correctFigure(
  f: FigureToken,
  text: string,
  known: KnownFigures,
  source: FigureSource,
  removed: string,
): string {
  const raw = text.slice(f.start, f.end);
  if (f.year !== null) return removed;
  // The reading nearest a known figure, if one is within reach.
  let best: { reading: FigureToken["values"][number]; near: number } | null =
    null;
  for (const reading of f.values) {
    const near = known.nearest(source, reading.value);
    if (near === null || near === 0) continue;
    const off = Math.abs(near - reading.value) / near;
    if (
      off <= CORRECTABLE &&
      (!best || off < Math.abs(best.near - best.reading.value) / best.near)
    ) best = { reading, near };
  }
  if (!best) return removed;
  const { reading, near } = best;
  const shown = new Intl.NumberFormat(
    reading.mark === "," || (reading.grouped && raw.includes("."))
      ? "de-DE"
      : "en-US",
    {
      minimumFractionDigits: reading.decimals,
      maximumFractionDigits: reading.decimals,
      useGrouping: reading.grouped,
    },
  ).format(near / f.scale);
  // Keep the sign, scale word and percent sign the model wrote around the digits.
  return raw.replace(/\d[\d.,]*/, shown);
}

/**
 * How a finished turn's figures are judged: against the conversation and
 * the chart when it drew one (corrected to the chart's), else against the
 * conversation and the data (corrected to the data's).
 */
export function judgeBy(chart: boolean): {
  sources: FigureSource[];
  correctTo: FigureSource;
} {
  return chart
    ? { sources: ["conversation", "chart"], correctTo: "chart" }
    : { sources: ["conversation", "data"], correctTo: "data" };
}

/** Replaces every figure of a text that is not known (see `correctFigure`). */
export function checkFigures(
  text: string,
  known: KnownFigures,
  judge: { sources: FigureSource[]; correctTo: FigureSource },
  removed: string,
): string {
  let out = "";
  let at = 0;
  for (const f of findFigures(text)) {
    if (known.accepts(f, judge.sources)) continue;
    out += text.slice(at, f.start) +
      correctFigure(f, text, known, judge.correctTo, removed);
    at = f.end;
  }
  return out + text.slice(at);
}

/** Characters of already-sent text kept to read the start of the next figure in context. */
const CONTEXT = 24;

/**
 * Passes a model's text on as it streams, holding back a figure until it is
 * whole, and everything from a figure the conversation does not already
 * hold until `settle` judges it with what the finished turn knows.
 */
export class FigureGuard {
  #pending = "";
  #sent = "";
  #holding = false;

  constructor(
    private readonly known: KnownFigures,
    private readonly removed: string,
    private readonly emit: (text: string) => Promise<void>,
  ) {}

  /** Takes the next piece of text; sends what can be sent now. */
  async push(text: string): Promise<void> {
    this.#pending += text;
    if (this.#holding) return;
    const context = this.#sent.slice(-CONTEXT);
    const all = context + this.#pending;
    let safe = all.length;
    for (const f of findFigures(all)) {
      if (f.end <= context.length) continue;
      if (!f.complete) {
        safe = f.start;
        break;
      }
      if (!this.known.accepts(f, ["conversation"])) {
        this.#holding = true;
        safe = f.start;
        break;
      }
    }
    // A sign may be the start of a number still to come.
    if (safe === all.length && /[-−+]$/.test(all)) safe--;
    const cut = Math.max(0, safe - context.length);
    if (cut > 0) await this.#send(this.#pending.slice(0, cut));
    this.#pending = this.#pending.slice(cut);
  }

  /** Judges and sends all that is held: `chart` says whether the turn drew one. */
  async settle(chart: boolean): Promise<void> {
    if (!this.#pending) return;
    const context = this.#sent.slice(-CONTEXT);
    const checked = checkFigures(
      context + this.#pending,
      this.known,
      judgeBy(chart),
      this.removed,
    );
    this.#pending = "";
    this.#holding = false;
    const text = checked.slice(context.length);
    if (text) await this.#send(text);
  }

  async #send(text: string): Promise<void> {
    this.#sent = (this.#sent + text).slice(-CONTEXT);
    await this.emit(text);
  }
}
