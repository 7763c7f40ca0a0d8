/**
 * Backing up and restoring the whole store (`deno task backup` / `restore`),
 * whatever it is (a local file, KV Connect, Deploy's KV): every key and value
 * (versionstamps are the store's own and are not kept) with the time it
 * expires, streamed.
 *
 * The file is gzip of frames, each a 4-byte big-endian length and a V8-
 * serialised record (the encoding Deno KV itself uses for values): first
 * `{format, version, created_at}`, then one `{k, v, e}` per entry (key,
 * value, expiry in ms since the epoch or null), last `{end: true, count}`.
 *
 * Deno KV does not tell a reader when an entry expires, so the expiry is
 * found from the records: every record written with a TTL stores its
 * `expiresAt`, and an entry that has none (an index, a blob chunk, an event
 * counter) expires with the record it points to (see `expiryOf`). Leases,
 * secrets and figures have no TTL. Blob writes still in progress and
 * /health's probe key are not backed up.
 */
import { deserialize, serialize } from "node:v8";
import { keys } from "./keys.ts";

/** The backup format's name, in its first frame. */
export const BACKUP_FORMAT = "chartroom-kv-backup";
/** The format version this build writes and reads. */
export const BACKUP_VERSION = 1;

/** One entry of a backup. */
export interface BackupEntry {
  k: Deno.KvKey;
  v: unknown;
  /** When the entry expires (ms since the epoch); null: never. */
  e: number | null;
}

/** Thrown for a backup file that cannot be restored; nothing has been written then. */
export class BackupError extends Error {}

/** Index families: the record key an index entry's value (an id) points to. */
const INDEXES: Record<string, (value: string) => Deno.KvKey> = {
  session_by_owner: keys.session,
  artifact_by_session: keys.artifact,
  artifact_by_owner_type: keys.artifact,
  blob_by_session: keys.blobMeta,
  dataset_by_session: keys.dataset,
  job_by_session: keys.job,
  share_by_session: keys.share,
  api_token_by_owner: keys.apiToken,
  download: keys.blobMeta,
};

/** Families whose `expiresAt` is not a TTL (a lease lapses, it is not dropped). */
const NO_TTL = new Set(["lease", "secret", "stats", "render_cache_order"]);
/** Families not backed up: writes in progress and probes. */
const SKIPPED = new Set(["blob_pending", "health"]);

function ownExpiry(value: unknown): number | null {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const at = (value as { expiresAt?: unknown }).expiresAt;
    if (typeof at === "number" && Number.isFinite(at)) return at;
  }
  return null;
}

/**
 * Returns when an entry expires (null: never), reading the record it belongs
 * to when it does not say itself; `undefined` for an entry not to back up.
 */
async function expiryOf(
  key: Deno.KvKey,
  value: unknown,
  lookup: (key: Deno.KvKey) => Promise<unknown>,
): Promise<number | null | undefined> {
  const family = String(key[0]);
  if (SKIPPED.has(family)) return undefined;
  if (NO_TTL.has(family)) return null;
  if (family === "blob" && key[2] === "chunk") {
    const meta = await lookup(keys.blobMeta(String(key[1])));
    // A chunk of a blob without metadata is a write in progress (or left over).
    return meta === null ? undefined : ownExpiry(meta);
  }
  if (family === "quota") {
    const resetAt = (value as { resetAt?: number } | null)?.resetAt;
    return typeof resetAt === "number" ? resetAt + 1000 : null;
  }
  const own = ownExpiry(value);
  if (own !== null) return own;
  const index = INDEXES[family];
  if (index && typeof value === "string") {
    return ownExpiry(await lookup(index(value)));
  }
  if (family === "share_opened") {
    return ownExpiry(await lookup(keys.share(String(key[1]))));
  }
  if (family === "event_seq" && typeof value === "number") {
    return ownExpiry(await lookup(keys.event(String(key[1]), value)));
  }
  return null;
}

function frame(record: unknown): Uint8Array {
  const body = serialize(record);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** Values KV keeps that V8 serialisation would not bring back as they were. */
function encodeValue(value: unknown): unknown {
  return value instanceof Deno.KvU64 ? { __kvu64: value.value } : value;
}
function decodeValue(value: unknown): unknown {
  if (value && typeof value === "object" && "__kvu64" in value) {
    return new Deno.KvU64((value as { __kvu64: bigint }).__kvu64);
  }
  return value;
}

/**
 * Returns the whole store as a backup stream (gzip), read as it is consumed.
 * `onEntry` is told each entry backed up.
 */
export function backupStore(
  kv: Deno.Kv,
  onEntry?: (entry: BackupEntry) => void,
): ReadableStream<Uint8Array> {
  async function* frames(): AsyncGenerator<Uint8Array> {
    yield frame({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      created_at: new Date().toISOString(),
    });
    // Records an entry points to, looked up once (a blob's chunks share one).
    let cached: { key: string; value: unknown } | null = null;
    const lookup = async (key: Deno.KvKey) => {
      const id = JSON.stringify(key);
      if (cached?.key !== id) {
        cached = { key: id, value: (await kv.get(key)).value };
      }
      return cached.value;
    };
    let count = 0;
    for await (const entry of kv.list({ prefix: [] }, { batchSize: 500 })) {
      const e = await expiryOf(entry.key, entry.value, lookup);
      if (e === undefined) continue;
      const record: BackupEntry = {
        k: entry.key,
        v: encodeValue(entry.value),
        e,
      };
      onEntry?.(record);
      count++;
      yield frame(record);
    }
    yield frame({ end: true, count });
  }
  return ReadableStream.from(frames()).pipeThrough(
    new CompressionStream("gzip") as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >,
  );
}

/** Yields the records of a backup stream, header and trailer included. */
async function* records(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<unknown> {
  let pending = new Uint8Array(0);
  const reader = stream.pipeThrough(
    new DecompressionStream("gzip") as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >,
  ).getReader();
  while (true) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new BackupError(
        `the backup is damaged or cut short (${(error as Error).message})`,
      );
    }
    if (chunk.done) break;
    const joined = new Uint8Array(pending.length + chunk.value.length);
    joined.set(pending);
    joined.set(chunk.value, pending.length);
    let at = 0;
    while (joined.length - at >= 4) {
      const length = new DataView(joined.buffer, at).getUint32(0);
      if (joined.length - at - 4 < length) break;
      try {
        yield deserialize(joined.subarray(at + 4, at + 4 + length));
      } catch (error) {
        throw new BackupError(
          `the backup holds an unreadable record (${(error as Error).message})`,
        );
      }
      at += 4 + length;
    }
    pending = joined.slice(at);
  }
  if (pending.length) throw new BackupError("the backup is cut short");
}

function isEntry(record: unknown): record is BackupEntry {
  return !!record && typeof record === "object" && "k" in record &&
    Array.isArray((record as BackupEntry).k) && "e" in record;
}

/**
 * Yields the entries of a backup after checking its header; throws a
 * BackupError for another format or version, or when the trailer is missing
 * or counts otherwise (a cut file).
 */
export async function* readBackup(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<BackupEntry> {
  let header = true;
  let count = 0;
  let ended = false;
  for await (const record of records(stream)) {
    if (header) {
      const h = record as { format?: unknown; version?: unknown };
      if (h?.format !== BACKUP_FORMAT) {
        throw new BackupError("this is not a Chartroom store backup");
      }
      if (h.version !== BACKUP_VERSION) {
        throw new BackupError(
          `backup format version ${h.version}; this Chartroom reads version ${BACKUP_VERSION}`,
        );
      }
      header = false;
      continue;
    }
    if (ended) throw new BackupError("the backup goes on after its end");
    const end = record as { end?: unknown; count?: unknown };
    if (end?.end === true) {
      if (end.count !== count) {
        throw new BackupError(
          `the backup says it holds ${end.count} entries, but has ${count}`,
        );
      }
      ended = true;
      continue;
    }
    if (!isEntry(record)) throw new BackupError("the backup holds a bad entry");
    count++;
    yield { k: record.k, v: decodeValue(record.v), e: record.e };
  }
  if (header) throw new BackupError("the backup is empty");
  if (!ended) throw new BackupError("the backup is cut short (no end)");
}

/** Whether the store holds any entry. */
export async function storeIsEmpty(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: [] }, { limit: 1 })) return false;
  return true;
}

/** Most mutations and bytes one restore commit carries (KV allows 1,000 and 800 KiB). */
const COMMIT_ENTRIES = 200;
const COMMIT_BYTES = 600 * 1024;

/**
 * Writes a backup's entries into the store, each with its remaining TTL (an
 * entry that has expired since is skipped); an entry of the same key is
 * replaced. Returns the counts written and skipped. `open` must give a fresh
 * stream of the backup: it is read twice, first to check it whole, so a
 * damaged file writes nothing.
 */
export async function restoreStore(
  kv: Deno.Kv,
  open: () => Promise<ReadableStream<Uint8Array>>,
): Promise<{ written: number; expired: number }> {
  for await (const _ of readBackup(await open())) { /* checked */ }
  let written = 0;
  let expired = 0;
  let op = kv.atomic();
  let batched = 0;
  let bytes = 0;
  const flush = async () => {
    if (batched === 0) return;
    const result = await op.commit();
    if (!result.ok) throw new Error("a restore commit was refused");
    op = kv.atomic();
    batched = 0;
    bytes = 0;
  };
  for await (const entry of readBackup(await open())) {
    const now = Date.now();
    if (entry.e !== null && entry.e <= now) {
      expired++;
      continue;
    }
    const size = 100 +
      (entry.v instanceof Uint8Array
        ? entry.v.length
        : serialize(entry.v).length);
    if (batched >= COMMIT_ENTRIES || bytes + size > COMMIT_BYTES) await flush();
    op.set(
      entry.k,
      entry.v,
      entry.e === null ? {} : { expireIn: Math.max(1, entry.e - now) },
    );
    batched++;
    bytes += size;
    written++;
  }
  await flush();
  return { written, expired };
}
