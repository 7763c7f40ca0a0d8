/**
 * Escaping for the text formats. Every exporter that writes markup or code
 * goes through these, so a title or cell can never end an element, an
 * attribute or a `<script>` early.
 */

/**
 * Characters XML 1.0 cannot hold at all (C0 controls other than tab, LF and
 * CR; U+FFFE, U+FFFF; lone surrogates).
 */
const NOT_XML =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Returns `text` with characters XML 1.0 forbids replaced by U+FFFD. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, "\ufffd");
}

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // Parsers normalise a literal CR (and in attributes tab and LF) away;
  // character references survive.
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;",
};

/**
 * Returns `text` escaped for XML element content or a quoted attribute:
 * markup characters as entities, CR/LF/tab as character references (so an
 * attribute keeps them too) and forbidden characters as U+FFFD.
 */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\r\n\t]/g, (c) => XML_ENTITIES[c]);
}

/**
 * Returns `text` escaped for XML element content: `&`, `<`, `>` as entities,
 * CR as a character reference (a parser would turn a literal one into LF),
 * forbidden characters as U+FFFD; LF and tab stay as they are.
 */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/[&<>\r]/g, (c) => XML_ENTITIES[c]);
}

/** Returns `text` escaped for HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
}

/**
 * Returns JSON that is safe inside an HTML `<script>` element: `<`, `>`, `&`
 * and U+2028/U+2029 as `\u` escapes, so no value can close the element or
 * open a comment, and `JSON.parse` reads back exactly the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
