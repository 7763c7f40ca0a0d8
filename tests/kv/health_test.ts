/** The store probe of /health: answers at once when a busy store is only slow, never for a store that fails. */
import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import { checkKvHealth } from "@/lib/kv/health.ts";

/** Queues `n` commits on `kv` (each syncs the file), not awaited. */
function queueCommits(kv: Deno.Kv, n: number): Promise<unknown> {
  const value = new Uint8Array(32_000);
  return Promise.all(
    Array.from(
      { length: n },
      (_, i) => kv.atomic().set(["health_test", i], value).commit(),
    ),
  );
}

/** Runs `a` and `b` at once; returns the name of the one that settled first. */
async function first(
  a: [string, Promise<unknown>],
  b: [string, Promise<unknown>],
): Promise<string> {
  const order: string[] = [];
  await Promise.all([a, b].map(([name, p]) => p.then(() => order.push(name))));
  return order[0];
}

Deno.test("health: behind this process's queued commits, a store that answered recently is reported ok without waiting for the read", async () => {
  await using store = await tempKv();
  assert.equal((await checkKvHealth(store.kv)).ok, true);
  const writes = queueCommits(store.kv, 300);
  const read = store.kv.get(["health_test", 0], { consistency: "strong" });
  const health = checkKvHealth(store.kv, 0);
  assert.equal(await first(["health", health], ["read", read]), "health");
  assert.equal((await health).ok, true);
  await writes;
});

Deno.test("health: without an earlier answer the probe waits for the store", async () => {
  await using store = await tempKv();
  const writes = queueCommits(store.kv, 100);
  const read = store.kv.get(["health_test", 0], { consistency: "strong" });
  const health = checkKvHealth(store.kv, 0);
  assert.equal(await first(["read", read], ["health", health]), "read");
  assert.equal((await health).ok, true);
  await writes;
});

Deno.test("health: a store that fails is reported unavailable, even just after it answered", async () => {
  const store = await tempKv();
  assert.equal((await checkKvHealth(store.kv)).ok, true);
  await store[Symbol.asyncDispose]();
  assert.equal((await checkKvHealth(store.kv)).ok, false);
});
