/** Batched reads and deletes that stay within Deno KV's per-call limits. */

/** Reads many keys, in batches of the 10 that `kv.getMany` allows. */
export async function getMany<T>(
  kv: Deno.Kv,
  keyList: Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const out: Deno.KvEntryMaybe<T>[] = [];
  for (let i = 0; i < keyList.length; i += 10) {
    out.push(...await kv.getMany<T[]>(keyList.slice(i, i + 10)));
  }
  return out;
}

/** Deletes every key under a prefix, in commits of bounded size; returns the count. */
export async function deleteByPrefix(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
): Promise<number> {
  let count = 0;
  let op = kv.atomic();
  let batched = 0;
  for await (const entry of kv.list({ prefix }, { batchSize: 500 })) {
    op.delete(entry.key);
    count++;
    // 1,000 mutations is the atomic limit; stay well below it.
    if (++batched === 500) {
      await op.commit();
      op = kv.atomic();
      batched = 0;
    }
  }
  if (batched > 0) await op.commit();
  return count;
}
