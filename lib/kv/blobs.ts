/**
 * Chunked blobs in Deno KV. Content is split into chunks under
 * `["blob", id, "chunk", n]`; the metadata record is written last, in the same
 * commit that clears the pending marker (small content goes in one commit
 * with its chunks, no marker), so a reader never sees a partial blob.
 */
import { keys } from "./keys.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { newId } from "@/lib/ids.ts";
import { deleteByPrefix } from "./batch.ts";

/** Bytes per chunk: under the 65,536-byte value limit with room for framing. */
export const BLOB_CHUNK_BYTES = 64_000;
/** Chunks per atomic commit: keeps a commit under the 819,200-byte limit. */
const CHUNKS_PER_COMMIT = 10;

export interface BlobMeta extends Expiring {
  id: string;
  size: number;
  chunks: number;
  mime: string;
  filename: string | null;
  sessionId: string | null;
  createdAt: number;
}

export interface WriteBlobOptions {
  mime: string;
  filename?: string;
  sessionId?: string;
  expiresAt: number;
  /** Use this id instead of a new one (the caller guarantees it is fresh). */
  id?: string;
}

type BlobSource =
  | Uint8Array
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

async function* chunksOf(source: BlobSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += BLOB_CHUNK_BYTES) {
      yield source.subarray(i, i + BLOB_CHUNK_BYTES);
    }
    return;
  }
  let buffer = new Uint8Array(BLOB_CHUNK_BYTES);
  let filled = 0;
  for await (const piece of source as AsyncIterable<Uint8Array>) {
    let offset = 0;
    while (offset < piece.length) {
      const n = Math.min(BLOB_CHUNK_BYTES - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === BLOB_CHUNK_BYTES) {
        yield buffer;
        buffer = new Uint8Array(BLOB_CHUNK_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** Content up to this size may be stored in another record's commit (`addBlobToCommit`). */
export const BLOB_INLINE_BYTES = 4 * BLOB_CHUNK_BYTES;

function blobMeta(
  id: string,
  size: number,
  chunks: number,
  options: WriteBlobOptions,
  now: number,
): BlobMeta {
  return {
    id,
    size,
    chunks,
    mime: options.mime,
    filename: options.filename ?? null,
    sessionId: options.sessionId ?? null,
    createdAt: now,
    expiresAt: options.expiresAt,
  };
}

/** Adds the metadata record (new: checked absent) and the session index. */
function addMeta(op: Deno.AtomicOperation, meta: BlobMeta, expireIn: number) {
  op.check({ key: keys.blobMeta(meta.id), versionstamp: null })
    .set(keys.blobMeta(meta.id), meta, { expireIn });
  if (meta.sessionId) {
    op.set(keys.blobBySession(meta.sessionId, meta.id), meta.id, { expireIn });
  }
}

/**
 * Adds a whole blob of at most `BLOB_INLINE_BYTES` (chunks, metadata and
 * session index) to `op`, to be stored with the rest of that commit (no
 * pending marker: it is all or nothing); returns its metadata.
 */
export function addBlobToCommit(
  op: Deno.AtomicOperation,
  content: Uint8Array,
  options: WriteBlobOptions,
): BlobMeta {
  if (content.length > BLOB_INLINE_BYTES) {
    throw new RangeError(`a blob of ${content.length} bytes needs writeBlob`);
  }
  const id = options.id ?? newId();
  const now = Date.now();
  const expireIn = expireInFor(options.expiresAt, now);
  let chunks = 0;
  for (let i = 0; i < content.length; i += BLOB_CHUNK_BYTES) {
    // Copy: a subarray would serialise its whole underlying buffer.
    op.set(
      keys.blobChunk(id, chunks++),
      content.slice(i, i + BLOB_CHUNK_BYTES),
      { expireIn },
    );
  }
  const meta = blobMeta(id, content.length, chunks, options, now);
  addMeta(op, meta, expireIn);
  return meta;
}

/**
 * Writes a blob and returns its metadata. The blob becomes readable only when
 * this resolves; a write that fails part-way leaves chunks that the sweeper
 * (`lib/kv/sweep.ts`, and their own `expireIn`) removes.
 */
export async function writeBlob(
  kv: Deno.Kv,
  source: BlobSource,
  options: WriteBlobOptions,
): Promise<BlobMeta> {
  if (source instanceof Uint8Array && source.length <= BLOB_INLINE_BYTES) {
    const op = kv.atomic();
    const meta = addBlobToCommit(op, source, options);
    await commitOrThrow(op, meta.id);
    return meta;
  }
  const id = options.id ?? newId();
  const now = Date.now();
  const expireIn = expireInFor(options.expiresAt, now);
  await kv.set(keys.blobPending(id), { startedAt: now }, { expireIn });

  let size = 0;
  let index = 0;
  let batch = kv.atomic();
  let batched = 0;
  for await (const chunk of chunksOf(source)) {
    // Copy: a subarray would serialise its whole underlying buffer.
    batch.set(keys.blobChunk(id, index++), chunk.slice(), { expireIn });
    size += chunk.length;
    if (++batched === CHUNKS_PER_COMMIT) {
      await commitOrThrow(batch, id);
      batch = kv.atomic();
      batched = 0;
    }
  }
  if (batched > 0) await commitOrThrow(batch, id);

  const meta = blobMeta(id, size, index, options, now);
  const finish = kv.atomic().delete(keys.blobPending(id));
  addMeta(finish, meta, expireIn);
  await commitOrThrow(finish, id);
  return meta;
}

async function commitOrThrow(op: Deno.AtomicOperation, id: string) {
  const result = await op.commit();
  if (!result.ok) throw new Error(`blob ${id}: commit refused`);
}

/** Sets the media type of a stored blob (known only once its content was read). */
export async function setBlobMime(
  kv: Deno.Kv,
  id: string,
  mime: string,
): Promise<void> {
  const entry = await kv.get<BlobMeta>(keys.blobMeta(id));
  const meta = liveValue(entry);
  if (!meta) throw new Error(`blob ${id}: not found`);
  const result = await kv.atomic().check(entry)
    .set(keys.blobMeta(id), { ...meta, mime }, {
      expireIn: expireInFor(meta.expiresAt),
    })
    .commit();
  if (!result.ok) throw new Error(`blob ${id}: changed while retyping`);
}

/** Returns a blob's metadata, or null when it does not exist or has expired. */
export async function getBlobMeta(
  kv: Deno.Kv,
  id: string,
): Promise<BlobMeta | null> {
  return liveValue(await kv.get<BlobMeta>(keys.blobMeta(id)));
}

/**
 * Returns a stream of a blob's bytes that reads one chunk at a time, or null
 * when the blob does not exist.
 */
export async function streamBlob(
  kv: Deno.Kv,
  id: string,
): Promise<{ meta: BlobMeta; stream: ReadableStream<Uint8Array> } | null> {
  const meta = await getBlobMeta(kv, id);
  if (!meta) return null;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index >= meta.chunks) return controller.close();
      const entry = await kv.get<Uint8Array>(keys.blobChunk(id, index));
      if (entry.value === null) {
        return controller.error(new Error(`blob ${id}: chunk ${index} lost`));
      }
      index++;
      controller.enqueue(entry.value);
    },
  }, { highWaterMark: 2 });
  return { meta, stream };
}

/**
 * Returns a stream of a blob's bytes that lists its chunks in batches (for
 * a blob read whole: fewer round trips than `streamBlob`'s one read per
 * chunk), or null when the blob does not exist. A lost chunk errors it.
 */
export async function streamBlobListed(
  kv: Deno.Kv,
  id: string,
): Promise<{ meta: BlobMeta; stream: ReadableStream<Uint8Array> } | null> {
  const meta = await getBlobMeta(kv, id);
  if (!meta) return null;
  const chunks = kv.list<Uint8Array>(
    { prefix: keys.blobChunksPrefix(id) },
    { batchSize: 32 },
  );
  let expected = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) {
        if (expected !== meta.chunks) {
          controller.error(new Error(`blob ${id}: chunks lost`));
        } else controller.close();
        return;
      }
      if (next.value.key.at(-1) !== expected) {
        controller.error(new Error(`blob ${id}: chunk ${expected} lost`));
        return;
      }
      expected++;
      controller.enqueue(next.value.value);
    },
  }, { highWaterMark: 4 });
  return { meta, stream };
}

/** Returns a blob's whole content, or null when it does not exist. */
export async function readBlob(
  kv: Deno.Kv,
  id: string,
): Promise<Uint8Array | null> {
  const found = await streamBlob(kv, id);
  if (!found) return null;
  const out = new Uint8Array(found.meta.size);
  let offset = 0;
  for await (const chunk of found.stream) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Deletes a blob: its metadata first (so readers stop at once), then chunks. */
export async function deleteBlob(kv: Deno.Kv, id: string): Promise<void> {
  const meta = (await kv.get<BlobMeta>(keys.blobMeta(id))).value;
  const op = kv.atomic().delete(keys.blobMeta(id)).delete(keys.blobPending(id));
  if (meta?.sessionId) op.delete(keys.blobBySession(meta.sessionId, id));
  await op.commit();
  await deleteByPrefix(kv, keys.blobChunksPrefix(id));
}
