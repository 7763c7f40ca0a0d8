/** Paging through KV lists with a cursor a client sent back. */
import { badRequest } from "../errors.ts";

/**
 * Returns the values of an index listing; a cursor KV cannot read (not one
 * this API gave out) is a 400 `invalid_cursor`, not a server error.
 */
export async function listValues<T>(
  iter: Deno.KvListIterator<T>,
): Promise<T[]> {
  const values: T[] = [];
  try {
    for await (const entry of iter) values.push(entry.value);
  } catch (error) {
    if (error instanceof TypeError && /cursor/i.test(error.message)) {
      throw badRequest("invalid_cursor", "cursor is not one this API gave out");
    }
    throw error;
  }
  return values;
}
