import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import { openKv } from "@/lib/kv/open.ts";
import { appendEvent, followEvents, listEventsAfter } from "@/lib/kv/events.ts";

const SESSION = "01J00000000000000000000001";
const TTL = 60_000;

Deno.test("events: concurrent appends get distinct, gapless sequence numbers", async () => {
  await using store = await tempKv();
  const events = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) => appendEvent(store.kv, SESSION, "delta", { i }, TTL),
    ),
  );
  const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1));
  const listed = await listEventsAfter(store.kv, SESSION, 15);
  assert.deepEqual(listed.map((e) => e.seq), [16, 17, 18, 19, 20]);
});

Deno.test("events: appends made at once share commits; each session's log stays gapless and in call order", async () => {
  await using store = await tempKv();
  const other = await openKv(store.path);
  try {
    let commits = 0;
    const counting = new Proxy(store.kv, {
      get(target, prop) {
        if (prop !== "atomic") {
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => {
            commits++;
            return commit();
          };
          return op;
        };
      },
    });
    const sessions = ["S1", "S2", "S3", "S4"];
    // Eight appenders per session, in this process and, for S1, in another
    // connection to the same file racing for its counter.
    await Promise.all([
      ...sessions.flatMap((s) =>
        Array.from({ length: 8 }, async (_, i) => {
          for (let n = 0; n < 5; n++) {
            await appendEvent(counting, s, "delta", { i, n }, TTL);
          }
        })
      ),
      (async () => {
        for (let n = 0; n < 20; n++) {
          await appendEvent(other, "S1", "delta", { other: n }, TTL);
        }
      })(),
    ]);
    assert.ok(commits < 160 / 2, `${commits} commits for 160 events`);
    for (const s of sessions) {
      const log = await listEventsAfter(store.kv, s, 0);
      const expected = s === "S1" ? 60 : 40;
      assert.deepEqual(
        log.map((e) => e.seq),
        Array.from({ length: expected }, (_, i) => i + 1),
        s,
      );
      // Each appender's events are in the order it made them.
      for (let i = 0; i < 8; i++) {
        const mine = log.filter((e) => e.data.i === i).map((e) => e.data.n);
        assert.deepEqual(mine, [0, 1, 2, 3, 4], `${s} appender ${i}`);
      }
    }
  } finally {
    other.close();
  }
});

Deno.test("events: an event the store refuses fails alone; the appends that shared its commit are stored", async () => {
  await using store = await tempKv();
  const results = await Promise.allSettled([
    appendEvent(store.kv, SESSION, "delta", { n: 1 }, TTL),
    appendEvent(store.kv, SESSION, "delta", { n: 2 }, TTL),
    appendEvent(store.kv, SESSION, "delta", { text: "x".repeat(70_000) }, TTL),
    appendEvent(store.kv, SESSION, "delta", { n: 3 }, TTL),
  ]);
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "rejected",
    "fulfilled",
  ]);
  const log = await listEventsAfter(store.kv, SESSION, 0);
  assert.deepEqual(log.map((e) => [e.seq, e.data.n]), [[1, 1], [2, 2], [3, 3]]);
});

Deno.test("events: follow replays stored events, then yields new ones live", async () => {
  await using store = await tempKv();
  await appendEvent(store.kv, SESSION, "message", { n: 1 }, TTL);
  await appendEvent(store.kv, SESSION, "delta", { n: 2 }, TTL);
  const abort = new AbortController();
  const seen: number[] = [];
  const following = (async () => {
    for await (
      const event of followEvents(store.kv, SESSION, 1, abort.signal)
    ) {
      seen.push(event.data.n as number);
      if (seen.length === 2) abort.abort();
    }
  })();
  await new Promise((r) => setTimeout(r, 30));
  await appendEvent(store.kv, SESSION, "done", { n: 3 }, TTL);
  await following;
  assert.deepEqual(seen, [2, 3]);
});
