/** Store-wide figures for /metrics: bytes stored (from the last full sweep) and jobs by state. */
import { keys } from "./keys.ts";
import type { Job } from "./jobs.ts";

/** Returns the bytes the last full sweep counted in the store, or null before one ended. */
export async function getBytesStored(kv: Deno.Kv): Promise<number | null> {
  const stats = await kv.get<{ bytes: number }>(keys.stats("bytes_stored"));
  return stats.value?.bytes ?? null;
}

/** Records the bytes a full sweep of the keyspace counted. */
export async function setBytesStored(
  kv: Deno.Kv,
  bytes: number,
): Promise<void> {
  await kv.set(keys.stats("bytes_stored"), { bytes, at: Date.now() });
}

/** Returns how many jobs there are per `type|status`, reading at most `limit` records. */
export async function countJobsByState(
  kv: Deno.Kv,
  limit: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (
    const entry of kv.list<Job>({ prefix: keys.jobsPrefix() }, {
      limit,
      batchSize: 500,
    })
  ) {
    const label = `${entry.value.type}|${entry.value.status}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}
