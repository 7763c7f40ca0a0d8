import assert from "node:assert/strict";
import { tempKv } from "../_fixtures.ts";
import {
  appendEvent,
  followEvents,
  listEventsAfter,
} from "../../lib/kv/events.ts";

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
