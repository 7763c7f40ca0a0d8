/** Reading a request body within a size limit, without holding more than the limit. */

/**
 * Returns a request's body as text; throws `tooLarge()` as soon as the
 * declared or the streamed size passes `limit` bytes (the rest is not read).
 */
export async function readTextWithin(
  request: Request,
  limit: number,
  tooLarge: () => Error,
): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(bytes);
}
