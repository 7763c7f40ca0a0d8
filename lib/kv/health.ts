/** The KV round trip behind /health. */
import { keys } from "./keys.ts";

/**
 * Reads a probe key with strong consistency; returns whether the store
 * answered and how long it took. A read, not a write: load balancers probe
 * every instance often, and a store takes one write at a time however many
 * instances share it.
 */
export async function checkKvHealth(
  kv: Deno.Kv,
): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  try {
    await kv.get(keys.health("probe"), { consistency: "strong" });
    return { ok: true, ms: round(performance.now() - started) };
  } catch {
    return { ok: false, ms: round(performance.now() - started) };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
