/**
 * How the typed formats read a snapshot cell. A `date` column holds ISO text
 * at year, month or day precision; XLSX turns it into a real date and XML
 * into a `<d>`, and both need the same rule for what counts as one.
 */

/** Precision of an ISO date cell. */
export type DatePrecision = "year" | "month" | "day";

const PATTERNS: [RegExp, DatePrecision][] = [
  [/^\d{4}$/, "year"],
  [/^\d{4}-\d{2}$/, "month"],
  [/^\d{4}-\d{2}-\d{2}$/, "day"],
];

/**
 * Returns the UTC midnight that an ISO date cell (2024, 2024-01, 2024-01-31)
 * starts at and its precision, or null for any other text or an impossible
 * day such as 2024-02-30.
 */
export function parseIsoDate(
  text: string,
): { date: Date; precision: DatePrecision } | null {
  const match = PATTERNS.find(([pattern]) => pattern.test(text));
  if (!match) return null;
  const [y, m = "01", d = "01"] = text.split("-");
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  if (
    Number.isNaN(date.getTime()) || date.getUTCMonth() + 1 !== Number(m) ||
    date.getUTCDate() !== Number(d)
  ) {
    return null;
  }
  return { date, precision: match[1] };
}
