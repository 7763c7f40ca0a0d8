import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import {
  acquireLease,
  claimLease,
  commitUnderLease,
  getLease,
  keepLease,
  listLapsedLeases,
  releaseLease,
  renewLease,
} from "@/lib/kv/lease.ts";
import { keys } from "@/lib/kv/keys.ts";
import { openKv } from "@/lib/kv/open.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("lease: a held lease cannot be acquired again until it lapses; a takeover counts an attempt", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const now = 1_000_000;
  const first = await acquireLease(kv, "job", "J1", {
    owner: "a",
    ttlMs: 100,
    data: { sessionId: "S1" },
    now,
  });
  assert.ok(first);
  assert.equal(first.lease.attempts, 1);
  assert.equal(first.lease.expiresAt, now + 100);
  assert.deepEqual(
    (await kv.get(keys.lease("job", "J1"))).value,
    first.lease,
  );
  assert.equal(
    await acquireLease(kv, "job", "J1", {
      owner: "b",
      ttlMs: 100,
      now: now + 99,
    }),
    null,
  );
  const second = await acquireLease(kv, "job", "J1", {
    owner: "b",
    ttlMs: 100,
    now: now + 100,
  });
  assert.ok(second);
  assert.equal(second.lease.owner, "b");
  assert.equal(second.lease.attempts, 2);
  assert.deepEqual(second.lease.data, { sessionId: "S1" }, "data carries over");
  assert.notEqual(second.lease.token, first.lease.token);
});

Deno.test("lease: of many instances claiming the same lapsed lease exactly one wins", async () => {
  await using store = await tempKv();
  // Separate handles on one file, as separate processes would have.
  const handles = await Promise.all(
    Array.from({ length: 4 }, () => openKv(store.path)),
  );
  try {
    await acquireLease(store.kv, "job", "J1", {
      owner: "dead",
      ttlMs: 1,
      now: 0,
    });
    const lapsed = await listLapsedLeases(store.kv, "job");
    assert.equal(lapsed.length, 1);
    const results = await Promise.all(
      handles.flatMap((kv, i) => [
        claimLease(kv, lapsed[0], { owner: `c${i}`, ttlMs: 60_000 }),
        acquireLease(kv, "job", "J1", { owner: `a${i}`, ttlMs: 60_000 }),
      ]),
    );
    const winners = results.filter((r) => r !== null);
    assert.equal(winners.length, 1, JSON.stringify(results));
    const stored = await getLease(store.kv, "job", "J1");
    assert.equal(stored!.lease.token, winners[0]!.lease.token);
    assert.equal(stored!.lease.attempts, 2);
  } finally {
    for (const kv of handles) kv.close();
  }
});

Deno.test("lease: list of lapsed leases skips live ones and other kinds", async () => {
  await using store = await tempKv();
  const { kv } = store;
  await acquireLease(kv, "job", "A", { owner: "x", ttlMs: 10, now: 0 });
  await acquireLease(kv, "job", "B", { owner: "x", ttlMs: 60_000 });
  await acquireLease(kv, "turn", "C", { owner: "x", ttlMs: 10, now: 0 });
  const held = await acquireLease(kv, "job", "D", {
    owner: "x",
    ttlMs: 60_000,
  });
  await releaseLease(kv, held!.lease, { handBack: true });
  const ids = (await listLapsedLeases(kv, "job")).map((e) => e.lease.id);
  assert.deepEqual(ids, ["A", "D"]);
  const handedBack = await getLease(kv, "job", "D");
  assert.equal(handedBack!.lease.owner, null);
});

Deno.test("lease: renew, guarded commits and release work only for the current claim", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const mine = (await acquireLease(kv, "job", "J", {
    owner: "a",
    ttlMs: 50,
    now: 0,
  }))!;
  // Lapsed but nobody took it: the holder may still renew.
  const renewed = await renewLease(kv, mine.lease, 60_000);
  assert.ok(renewed);
  assert.ok(renewed.lease.expiresAt > Date.now() + 59_000);

  const written = await commitUnderLease(kv, mine.lease, 60_000, (op) => {
    op.set(["test", "progress"], 1);
    return "ok";
  });
  assert.equal(written?.value, "ok");
  assert.equal((await kv.get(["test", "progress"])).value, 1);

  // Another instance takes over after a lapse.
  await releaseLease(kv, mine.lease, { handBack: true });
  const found = await listLapsedLeases(kv, "job");
  const theirs = await claimLease(kv, found[0], { owner: "b", ttlMs: 60_000 });
  assert.ok(theirs);

  assert.equal(await renewLease(kv, mine.lease, 60_000), null);
  const fenced = await commitUnderLease(kv, mine.lease, 60_000, (op) => {
    op.set(["test", "progress"], 2);
    return "ok";
  });
  assert.equal(fenced, null);
  assert.equal((await kv.get(["test", "progress"])).value, 1, "not written");
  assert.equal(await releaseLease(kv, mine.lease), false);
  assert.ok(await getLease(kv, "job", "J"), "their lease stays");
  assert.equal(await releaseLease(kv, theirs.lease), true);
  assert.equal(await getLease(kv, "job", "J"), null);
});

Deno.test("lease: a guarded commit retries its own check and commits with it atomically", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const held = (await acquireLease(kv, "job", "J", {
    owner: "a",
    ttlMs: 60_000,
  }))!;
  await kv.set(["test", "n"], 0);
  // Ten concurrent increments under the lease: none lost.
  await Promise.all(
    Array.from(
      { length: 10 },
      () =>
        commitUnderLease(kv, held.lease, 60_000, async (op) => {
          const entry = await kv.get<number>(["test", "n"]);
          op.check(entry).set(["test", "n"], entry.value! + 1);
          return true;
        }),
    ),
  );
  assert.equal((await kv.get(["test", "n"])).value, 10);
});

Deno.test("lease: a kept lease stays live past its ttl and signals when it is taken over", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const held = (await acquireLease(kv, "job", "J", {
    owner: "a",
    ttlMs: 300,
  }))!;
  const kept = keepLease(kv, held.lease, 300, { everyMs: 50 });
  try {
    await sleep(900);
    // Renewed again and again, and still this claim (a busy machine may
    // stall a renewal, which is why leases are long in real use).
    assert.ok(
      kept.current.expiresAt >= held.lease.expiresAt + 500,
      `renewed to ${kept.current.expiresAt - held.lease.expiresAt} ms later`,
    );
    const stored = await getLease(kv, "job", "J");
    assert.equal(stored!.lease.token, held.lease.token);
    assert.ok(stored!.lease.expiresAt >= kept.current.expiresAt);
    assert.equal(kept.signal.aborted, false);
    // Someone deletes it (e.g. the session it belonged to was deleted).
    await kv.delete(keys.lease("job", "J"));
    for (let i = 0; i < 50 && !kept.signal.aborted; i++) await sleep(20);
    assert.equal(kept.signal.aborted, true);
  } finally {
    kept.stop();
  }
  // Once renewals stop, the lease lapses.
  const again = (await acquireLease(kv, "job", "K", {
    owner: "a",
    ttlMs: 100,
  }))!;
  const short = keepLease(kv, again.lease, 100, { everyMs: 20 });
  short.stop();
  await sleep(150);
  assert.deepEqual(
    (await listLapsedLeases(kv, "job")).map((e) => e.lease.id),
    ["K"],
  );
});
