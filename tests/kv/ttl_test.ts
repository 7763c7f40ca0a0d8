import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import {
  createSession,
  getSession,
  listSessionsByOwner,
} from "@/lib/kv/sessions.ts";
import { keys } from "@/lib/kv/keys.ts";
import { isExpired, liveValue } from "@/lib/kv/ttl.ts";

const OWNER = "01J00000000000000000000000";

Deno.test("ttl: a record past expiresAt reads as absent even while KV still holds it", async () => {
  await using store = await tempKv();
  const session = await createSession(store.kv, {
    ownerId: OWNER,
    ttlMs: 60_000,
  });
  // Simulate KV not having dropped it yet: the value is there, expiresAt is past.
  await store.kv.set(keys.session(session.id), {
    ...session,
    expiresAt: Date.now() - 1,
  });
  assert.notEqual((await store.kv.get(keys.session(session.id))).value, null);
  assert.equal(await getSession(store.kv, session.id), null);
  const listed = await listSessionsByOwner(store.kv, OWNER);
  assert.deepEqual(listed.values, []);
});

Deno.test("ttl: a live record reads back", async () => {
  await using store = await tempKv();
  const session = await createSession(store.kv, {
    ownerId: OWNER,
    ttlMs: 60_000,
  });
  assert.deepEqual(await getSession(store.kv, session.id), session);
});

Deno.test("ttl: isExpired and liveValue agree at the boundary", () => {
  const now = 1_000;
  assert.equal(isExpired({ expiresAt: 1_000 }, now), true);
  assert.equal(isExpired({ expiresAt: 1_001 }, now), false);
  const entry = { key: ["x"], value: { expiresAt: 999 }, versionstamp: "1" };
  assert.equal(liveValue(entry, now), null);
});
