import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import {
  BLOB_CHUNK_BYTES,
  getBlobMeta,
  readBlob,
  streamBlob,
  writeBlob,
} from "@/lib/kv/blobs.ts";
import { keys } from "@/lib/kv/keys.ts";

const HOUR = 3_600_000;

function bytesOf(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

async function chunkKeys(kv: Deno.Kv, id: string) {
  const out: Deno.KvKey[] = [];
  for await (const e of kv.list({ prefix: keys.blobChunksPrefix(id) })) {
    out.push(e.key);
  }
  return out;
}

for (
  const [label, size, chunks] of [
    ["0 B", 0, 0],
    ["1 B", 1, 1],
    ["exactly one chunk", BLOB_CHUNK_BYTES, 1],
    ["one chunk + 1 byte", BLOB_CHUNK_BYTES + 1, 2],
    ["5 MB", 5_000_000, Math.ceil(5_000_000 / BLOB_CHUNK_BYTES)],
  ] as const
) {
  Deno.test(`blobs: ${label} round-trips in ${chunks} chunk(s)`, async () => {
    await using store = await tempKv();
    const data = bytesOf(size);
    const meta = await writeBlob(store.kv, data, {
      mime: "application/octet-stream",
      expiresAt: Date.now() + HOUR,
    });
    assert.equal(meta.size, size);
    assert.equal(meta.chunks, chunks);
    const stored = await chunkKeys(store.kv, meta.id);
    assert.deepEqual(
      stored,
      Array.from({ length: chunks }, (_, i) => ["blob", meta.id, "chunk", i]),
    );
    assert.deepEqual(await readBlob(store.kv, meta.id), data);
  });
}

Deno.test("blobs: a streamed source is chunked the same as bytes", async () => {
  await using store = await tempKv();
  const data = bytesOf(200_003);
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < data.length; i += 7_777) {
        c.enqueue(data.slice(i, i + 7_777));
      }
      c.close();
    },
  });
  const meta = await writeBlob(store.kv, source, {
    mime: "text/plain",
    expiresAt: Date.now() + HOUR,
  });
  assert.equal(meta.chunks, 4);
  assert.deepEqual(await readBlob(store.kv, meta.id), data);
});

Deno.test("blobs: a read streams chunk by chunk", async () => {
  await using store = await tempKv();
  const meta = await writeBlob(store.kv, bytesOf(3 * BLOB_CHUNK_BYTES), {
    mime: "x/y",
    expiresAt: Date.now() + HOUR,
  });
  const found = await streamBlob(store.kv, meta.id);
  const sizes: number[] = [];
  for await (const chunk of found!.stream) sizes.push(chunk.length);
  assert.deepEqual(sizes, [
    BLOB_CHUNK_BYTES,
    BLOB_CHUNK_BYTES,
    BLOB_CHUNK_BYTES,
  ]);
});

Deno.test("blobs: no blob is readable before its metadata is written", async () => {
  await using store = await tempKv();
  const id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const source = (async function* () {
    yield bytesOf(BLOB_CHUNK_BYTES * 11); // more than one commit's worth
    await gate;
    yield bytesOf(10);
  })();
  const writing = writeBlob(store.kv, source, {
    id,
    mime: "x/y",
    expiresAt: Date.now() + HOUR,
  });
  // Wait until chunks are stored, then check the blob is still invisible.
  for (
    let i = 0;
    i < 100 && (await chunkKeys(store.kv, id)).length === 0;
    i++
  ) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok((await chunkKeys(store.kv, id)).length > 0);
  assert.equal(await getBlobMeta(store.kv, id), null);
  assert.equal(await readBlob(store.kv, id), null);
  release();
  await writing;
  assert.equal(
    (await readBlob(store.kv, id))!.length,
    BLOB_CHUNK_BYTES * 11 + 10,
  );
});

Deno.test("blobs: an expired blob reads as absent", async () => {
  await using store = await tempKv();
  const meta = await writeBlob(store.kv, bytesOf(10), {
    mime: "x/y",
    expiresAt: Date.now() + 30,
  });
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(await getBlobMeta(store.kv, meta.id), null);
  assert.equal(await streamBlob(store.kv, meta.id), null);
});
