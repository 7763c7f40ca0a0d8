import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import { acquireSqlSlot, SQL_SLOT, sqlSlotId } from "@/lib/kv/sql_slots.ts";
import { acquireLease, getLease } from "@/lib/kv/lease.ts";
import { AppError } from "@/lib/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

const options = { limit: 2, leaseMs: 60_000, waitMs: 300 };

Deno.test("sql slots: an owner runs at most `limit` statements; the next waits, then gets 429", async () => {
  await using store = await tempKv();
  const a = await acquireSqlSlot(store.kv, "owner", options);
  const b = await acquireSqlSlot(store.kv, "owner", options);
  const started = performance.now();
  await assert.rejects(
    acquireSqlSlot(store.kv, "owner", options),
    (e: unknown) =>
      e instanceof AppError && statusOf(e) === 429 &&
      e.code === "too_many_queries" && /SQL_CONCURRENCY/.test(e.message),
  );
  assert.ok(performance.now() - started >= 250, "it waited for a slot first");
  // Another identity is not held up.
  const other = await acquireSqlSlot(store.kv, "someone-else", options);
  // A slot given back is free again, for a waiter too.
  const waiting = acquireSqlSlot(store.kv, "owner", {
    ...options,
    waitMs: 5000,
  });
  await new Promise((r) => setTimeout(r, 150));
  await a();
  const c = await waiting;
  await Promise.all([b(), c(), other()]);
  const left = [];
  for await (const e of store.kv.list({ prefix: ["lease", SQL_SLOT] })) {
    left.push(e);
  }
  assert.deepEqual(left, []);
});

Deno.test("sql slots: a slot whose holder died frees itself when its lease lapses", async () => {
  await using store = await tempKv();
  // A holder that never gave its slot back (its process was killed).
  const id = sqlSlotId("owner", 0);
  assert.ok(
    await acquireLease(store.kv, SQL_SLOT, id, { owner: "dead", ttlMs: 50 }),
  );
  await new Promise((r) => setTimeout(r, 60));
  const release = await acquireSqlSlot(store.kv, "owner", {
    ...options,
    limit: 1,
  });
  const entry = await getLease(store.kv, SQL_SLOT, id);
  assert.notEqual(entry?.lease.owner, "dead");
  assert.equal(entry?.lease.attempts, 2);
  await release();
});
