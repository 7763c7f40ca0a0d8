/** Secrets kept in KV: made once by whichever instance first needs one. */
import { keys } from "./keys.ts";

/**
 * Returns the secret stored under `name`, storing `fresh` first when there is
 * none; of two instances racing, both get the one that was stored.
 */
export async function getOrCreateSecret(
  kv: Deno.Kv,
  name: string,
  fresh: () => Uint8Array,
): Promise<Uint8Array> {
  const key = keys.secret(name);
  const existing = await kv.get<Uint8Array>(key);
  if (existing.value) return existing.value;
  const made = fresh();
  const result = await kv.atomic()
    .check({ key, versionstamp: null })
    .set(key, made)
    .commit();
  // Another instance won the race: use the secret it stored.
  return result.ok ? made : (await kv.get<Uint8Array>(key)).value!;
}
