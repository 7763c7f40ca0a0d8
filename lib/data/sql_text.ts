/** SQL as text for people: the query that ran with its parameters written in. */

/** Returns a SQL literal for a parameter value. */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : "NULL";
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Returns `sql` with each `?` placeholder replaced by its parameter as a
 * literal, for display and for rebuilding scripts; placeholders inside quoted
 * identifiers or string literals are left alone. Never executed by the app.
 */
export function inlineParams(
  sql: string,
  params: readonly (string | number | null)[],
): string {
  let out = "";
  let next = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      out += ch;
    } else if (ch === "?" && next < params.length) {
      out += sqlLiteral(params[next++]);
    } else {
      out += ch;
    }
  }
  return out;
}
