/** Safe file and folder names for exported files. */

/**
 * Returns the title as a lowercase ASCII slug: letters, digits and dashes, at
 * most 80 characters, "chart" if nothing is left.
 */
export function titleSlug(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "chart";
}

/**
 * Returns a download name: the title's slug plus the extension. Never
 * contains a path separator or a dot other than the one.
 */
export function exportFilename(title: string, extension: string): string {
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, "");
  return `${titleSlug(title)}.${ext}`;
}
