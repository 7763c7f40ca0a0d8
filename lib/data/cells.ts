/**
 * What a trimmed text cell reads as, apart from dates (`dates.ts`): missing,
 * an integer, a number or a boolean. Shared by inference and by reading, so
 * the two never disagree.
 */

const NULLS = new Set([
  "",
  "na",
  "n/a",
  "null",
  "none",
  "nan",
  "-",
  ".",
  "?",
  "#n/a",
  "#value!",
  "#div/0!",
  "#ref!",
  "#num!",
  "#name?",
  "#null!",
]);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;

/** Whether a trimmed cell reads as missing: empty, NA, n/a, null, none, NaN, -, ., ?, #N/A and Excel's other error values. */
export function isNullText(s: string): boolean {
  if (s.length > 7) return false;
  if (s.length === 0) return true;
  // Every spelling starts with n, -, ., ? or #: most cells are turned away without lowercasing.
  const c = s.charCodeAt(0) | 32;
  return (c === 110 || c === 45 || c === 46 || c === 63 || c === 35) &&
    NULLS.has(s.toLowerCase());
}

/** Whether a trimmed cell is a safe integer written without a leading zero. */
export function isIntegerText(s: string): boolean {
  return INTEGER.test(s) && !LEADING_ZERO.test(s) &&
    Number.isSafeInteger(Number(s));
}

/** Whether a trimmed cell is a decimal number written without a leading zero. */
export function isNumberText(s: string): boolean {
  if (!NUMBER.test(s)) return false;
  const dot = s.indexOf(".");
  return !LEADING_ZERO.test(dot === -1 ? s : s.slice(0, dot));
}

/** Whether a trimmed cell is `true` or `false` in any case. */
export function isBooleanText(s: string): boolean {
  if (s.length !== 4 && s.length !== 5) return false;
  const l = s.toLowerCase();
  return l === "true" || l === "false";
}
