/**
 * Cleaning text people send before it is stored: NUL and the other control
 * characters (C0, DEL, C1) never reach a record, a page or a file name.
 */

// deno-lint-ignore no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROLS_BUT_LINES =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Returns a name or title on one line: controls removed, tabs and line breaks as spaces. */
export function cleanName(text: string): string {
  return text.replace(/[\t\n\r]+/g, " ").replace(CONTROLS, "").trim();
}

/** Returns message text with control characters removed (tabs and line breaks kept). */
export function cleanMessage(text: string): string {
  return text.replace(CONTROLS_BUT_LINES, "");
}

/** Returns `text` percent-decoded, or null when it is not valid percent-encoding. */
export function percentDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
