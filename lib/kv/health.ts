/** The KV round trip behind /health. */
import { keys } from "./keys.ts";
import { newId } from "../ids.ts";

/** Writes, reads back and deletes a probe record; returns whether it worked and how long it took. */
export async function checkKvHealth(
  kv: Deno.Kv,
): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  const id = newId();
  try {
    await kv.set(keys.health(id), id, { expireIn: 60_000 });
    const back = await kv.get<string>(keys.health(id));
    await kv.delete(keys.health(id));
    return { ok: back.value === id, ms: round(performance.now() - started) };
  } catch {
    return { ok: false, ms: round(performance.now() - started) };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
