import assert from "node:assert/strict";
import { allKeys, tempKv } from "@/tests/_fixtures.ts";
import { sweepSlice } from "@/lib/kv/sweep.ts";
import { keys } from "@/lib/kv/keys.ts";
import { writeBlob } from "@/lib/kv/blobs.ts";
import { acquireLease } from "@/lib/kv/lease.ts";

const HOUR = 3600_000;

/** Sweeps in slices of `limit` keys until a slice reaches the end; returns the totals. */
async function sweepAll(kv: Deno.Kv, limit: number, now?: number) {
  let cursor: string | null = null;
  const total = { slices: 0, expired: 0, orphanBlobs: 0 };
  do {
    const slice = await sweepSlice(kv, { cursor, limit, now });
    total.slices++;
    total.expired += slice.expired;
    total.orphanBlobs += slice.orphanBlobs;
    assert.ok(slice.seen <= limit, "a slice stays within its bound");
    cursor = slice.cursor;
  } while (cursor !== null);
  return total;
}

Deno.test("sweep: slices remove expired records, abandoned writes and orphaned chunks, and keep the rest", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const now = Date.now();
  // Live records and a live blob.
  for (let i = 0; i < 30; i++) {
    await kv.set(["message", "S1", `M${i}`], { i, expiresAt: now + HOUR });
  }
  const live = await writeBlob(kv, new Uint8Array(70_000), {
    mime: "x/y",
    sessionId: "S1",
    expiresAt: now + HOUR,
  });
  // Expired records that KV has not dropped yet (no expireIn).
  for (let i = 0; i < 12; i++) {
    await kv.set(["message", "S2", `M${i}`], { i, expiresAt: now - 1 });
  }
  const stale = await writeBlob(kv, new Uint8Array(70_000), {
    mime: "x/y",
    expiresAt: now + 50,
  });
  // A write abandoned an hour ago, and chunks whose delete stopped after the meta.
  await kv.set(keys.blobPending("ABANDONED"), { startedAt: now - HOUR });
  await kv.set(keys.blobChunk("ABANDONED", 0), new Uint8Array(5));
  await kv.set(keys.blobChunk("ORPHAN", 0), new Uint8Array(5));
  await kv.set(keys.blobChunk("ORPHAN", 1), new Uint8Array(5));
  // A write in progress, a lease of lapsed work, counters: all kept.
  await kv.set(keys.blobPending("WRITING"), { startedAt: now });
  await kv.set(keys.blobChunk("WRITING", 0), new Uint8Array(5));
  await acquireLease(kv, "job", "J1", { owner: "dead", ttlMs: 1, now: 0 });
  await kv.set(keys.eventSeq("S1"), 3);

  const totals = await sweepAll(kv, 7, now + 100);
  assert.ok(totals.slices > 5, `several slices (${totals.slices})`);
  assert.equal(totals.expired, 13, "12 messages and one blob");
  assert.equal(totals.orphanBlobs, 2);

  const left = (await allKeys(kv)).map((k) => k.join("/"));
  assert.equal(left.filter((k) => k.startsWith("message/S1/")).length, 30);
  assert.equal(left.filter((k) => k.startsWith("message/S2/")).length, 0);
  for (const id of [stale.id, "ABANDONED", "ORPHAN"]) {
    assert.deepEqual(left.filter((k) => k.includes(id)), [], id);
  }
  assert.equal(left.filter((k) => k.startsWith(`blob/${live.id}/`)).length, 3);
  assert.ok(left.includes("blob/WRITING/chunk/0"));
  assert.ok(left.includes("blob_pending/WRITING"));
  assert.ok(left.includes("lease/job/J1"));
  assert.ok(left.includes("event_seq/S1"));
  // A second pass finds nothing more to do.
  const again = await sweepAll(kv, 1000, now + 100);
  assert.deepEqual([again.expired, again.orphanBlobs], [0, 0]);
});
