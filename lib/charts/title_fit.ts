/**
 * Fitting a chart's title to its width. ECharts centres a title and lets a
 * long one run off both edges of a narrow chart; cut at the width it is
 * drawn at, it ends with "…" instead (the canvas shows the whole title above).
 * Only titles that ask for it (`overflow: "truncate"`, as compileOption's
 * do) are cut: an ECharts option sent to /api/render is drawn as given.
 */

/** Room left beside a title, in CSS px. */
const MARGIN = 24;

/** Returns `option` with its title and subtitle cut to fit `width` px. */
export function fitTitle<T extends Record<string, unknown>>(
  option: T,
  width: number,
): T {
  const title = option.title;
  if (typeof title !== "object" || title === null || Array.isArray(title)) {
    return option;
  }
  const t = title as Record<string, unknown>;
  const style = t.textStyle as Record<string, unknown> | undefined;
  if (style?.overflow !== "truncate") return option;
  const room = Math.max(60, Math.floor(width) - MARGIN);
  const fit = (style: unknown) => ({
    ...(typeof style === "object" && style !== null ? style : {}),
    width: room,
    overflow: "truncate",
    ellipsis: "…",
  });
  return {
    ...option,
    title: {
      ...t,
      textStyle: fit(t.textStyle),
      subtextStyle: fit(t.subtextStyle),
    },
  };
}
