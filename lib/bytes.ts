/** Byte helpers the platform lacks. */

/**
 * Returns `parts` joined into one new buffer; `size`, their total length,
 * saves adding it up when the caller has counted already.
 */
export function concatBytes(
  parts: readonly Uint8Array[],
  size = parts.reduce((n, p) => n + p.length, 0),
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
