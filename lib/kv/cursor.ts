/** Paging through KV lists with a cursor a client sent back. */
import { badRequest } from "@/lib/errors.ts";

/** Deno KV gives out cursors in URL-safe base64 (padded with = at times). */
const CURSOR = /^[A-Za-z0-9_=-]*$/;

const invalidCursor = () =>
  badRequest("invalid_cursor", "cursor is not one this API gave out");

/**
 * Returns the values of an index listing made with `cursor`; a cursor KV
 * cannot read (not one this API gave out) is a 400 `invalid_cursor`, not a
 * server error.
 */
export async function listValues<T>(
  iter: Deno.KvListIterator<T>,
  cursor: string | undefined,
): Promise<T[]> {
  // KV fails on a cursor outside its alphabet with an untyped serde error.
  if (cursor !== undefined && !CURSOR.test(cursor)) throw invalidCursor();
  const values: T[] = [];
  try {
    for await (const entry of iter) values.push(entry.value);
  } catch (error) {
    if (error instanceof TypeError && /cursor/i.test(error.message)) {
      throw invalidCursor();
    }
    throw error;
  }
  return values;
}
