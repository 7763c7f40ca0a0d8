/** Turns `routes/` file names into URL patterns, Fresh style. */

/**
 * Returns the Hono path for a route file such as `./routes/sessions/[id].tsx`
 * (`/sessions/:id`), or null for the special files (`_app`, `_404`, `_middleware`).
 */
export function routePathOf(file: string): string | null {
  const relative = file.replace(/^\.\/routes\//, "").replace(/\.(tsx|ts)$/, "");
  const segments = relative.split("/");
  if (segments.some((s) => s.startsWith("_"))) return null;
  if (segments.at(-1) === "index") segments.pop();
  const parts = segments.map((segment) => {
    const rest = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (rest) return "*";
    return segment.replace(/\[(\w+)\]/g, ":$1");
  });
  return "/" + parts.join("/");
}

/** Sorts route paths so static segments win over dynamic ones and catch-alls come last. */
export function compareRoutePaths(a: string, b: string): number {
  const rank = (path: string) =>
    path.split("/").map((s) => s === "*" ? "2" : s.startsWith(":") ? "1" : "0")
      .join("");
  const ra = rank(a), rb = rank(b);
  return ra < rb ? -1 : ra > rb ? 1 : a.localeCompare(b);
}
