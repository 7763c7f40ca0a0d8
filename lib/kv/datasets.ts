/**
 * Datasets: a table a session can chart and transform. Each has three blobs
 * (the raw file as uploaded, the parsed table as row batches, and a detail
 * blob with the schema, per-column statistics and the planner's profile) and
 * one record; the record and its by-session index are written in one commit,
 * after the blobs, and only if the session still exists. A failed upload
 * removes whatever blobs it wrote, so nothing partial is ever visible.
 */
import { keys } from "./keys.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { retryCommit } from "./commit.ts";
import {
  deleteBlob,
  readBlob,
  setBlobMime,
  streamBlobListed,
  writeBlob,
} from "./blobs.ts";
import { getMany } from "./batch.ts";
import { newId } from "@/lib/ids.ts";
import type { Session } from "./sessions.ts";
import { decodeBatches, encodeBatch } from "@/lib/data/batches.ts";
import {
  cellConverter,
  type ColumnStats,
  type DatasetColumn,
  type RawCell,
} from "@/lib/data/infer.ts";
import { collectRows, ingestTable } from "@/lib/data/ingest.ts";
import type { TextEncoding, UploadFormat } from "@/lib/data/sniff.ts";
import type {
  ColumnType,
  DatasetProfile,
  TableCell,
} from "@/lib/data/table.ts";
import { clearQueryCache, type StoredSource } from "@/lib/data/query.ts";
import { AppError } from "@/lib/errors.ts";
import { addMemberToCommit, type SetLimits } from "./quotas.ts";

/** Where a dataset came from. */
export type DatasetOrigin =
  | { kind: "upload" }
  | {
    kind: "workflow";
    jobId: string;
    /** 1-based step number. */
    step: number;
    operation: string;
    inputId: string;
  };

export interface Dataset extends Expiring {
  id: string;
  sessionId: string;
  ownerId: string;
  /** What the chat and the lists call it: the file name for uploads. */
  name: string;
  /** The uploaded file's name (uploads only). */
  filename: string | null;
  format: UploadFormat | null;
  encoding: TextEncoding | null;
  delimiter: string | null;
  sheet: string | null;
  sheets: string[] | null;
  rowCount: number;
  columnCount: number;
  /** Size of the uploaded file (uploads) or of the stored table (derived datasets). */
  byteSize: number;
  rawBlobId: string | null;
  tableBlobId: string;
  detailBlobId: string;
  repairs: string[];
  origin: DatasetOrigin;
  createdAt: number;
}

/** The schema, statistics and planner profile of a dataset (kept in its detail blob). */
export interface DatasetDetail {
  columns: DatasetColumn[];
  stats: ColumnStats[];
  profile: DatasetProfile;
}

export interface UploadInput {
  sessionId: string;
  ownerId: string;
  filename: string;
  body: ReadableStream<Uint8Array>;
  format?: UploadFormat;
  sheet?: string;
  ttlMs: number;
  maxRows: number;
  maxColumns: number;
  /** The owner's storage limits (QUOTA_DATASETS, QUOTA_STORED_BYTES). */
  limits?: SetLimits;
}

export interface DerivedInput {
  sessionId: string;
  ownerId: string;
  name: string;
  ttlMs: number;
  origin: DatasetOrigin;
  names: string[];
  batches: AsyncIterable<RawCell[][]>;
  hints?: (ColumnType | undefined)[];
  maxRows: number;
  repairs?: string[];
  /**
   * Adds a condition to the commit that makes the dataset visible (a job's
   * lease); throws when it cannot hold, and the dataset is then not stored.
   */
  guard?: (op: Deno.AtomicOperation) => Promise<void>;
  /** The owner's storage limits (QUOTA_DATASETS, QUOTA_STORED_BYTES). */
  limits?: SetLimits;
}

const RAW_MIME: Record<UploadFormat, string> = {
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json",
  ndjson: "application/x-ndjson",
};
const TABLE_MIME = "application/x-ndjson";
/** Repairs kept on the record (the rest are summarised). */
const MAX_REPAIRS = 20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A writable byte channel feeding a blob write, with backpressure. */
function blobChannel(
  kv: Deno.Kv,
  id: string,
  sessionId: string,
  expiresAt: number,
) {
  const pipe = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    { highWaterMark: 8 },
  );
  const writer = pipe.writable.getWriter();
  const written = writeBlob(kv, pipe.readable, {
    id,
    mime: TABLE_MIME,
    sessionId,
    expiresAt,
  });
  // A failed write must not go unhandled while the producer is still busy.
  written.catch(() => {});
  let size = 0;
  return {
    async push(bytes: Uint8Array) {
      size += bytes.length;
      await writer.ready;
      await writer.write(bytes);
    },
    async close() {
      await writer.close();
      return await written;
    },
    abort(reason: unknown) {
      writer.abort(reason).catch(() => {});
    },
    get size() {
      return size;
    },
  };
}

function capRepairs(repairs: string[]): string[] {
  if (repairs.length <= MAX_REPAIRS) return repairs.map((r) => r.slice(0, 500));
  return [
    ...repairs.slice(0, MAX_REPAIRS - 1).map((r) => r.slice(0, 500)),
    `… and ${repairs.length - MAX_REPAIRS + 1} more repairs`,
  ];
}

async function removeBlobs(kv: Deno.Kv, ids: (string | null)[]): Promise<void> {
  for (const id of ids) if (id) await deleteBlob(kv, id).catch(() => {});
}

/** The counted set of an owner's stored datasets (lib/kv/quotas.ts). */
export function storedSet(ownerId: string, datasetId: string) {
  return {
    name: "stored",
    prefix: keys.storedByOwnerPrefix(ownerId),
    key: keys.storedByOwner(ownerId, datasetId),
  };
}

/**
 * Writes the record, its index and its entry in the owner's stored bytes in
 * one commit, if the session still exists and the owner's storage limits
 * allow `storedBytes` more (else QuotaExceeded).
 */
async function commitRecord(
  kv: Deno.Kv,
  dataset: Dataset,
  storedBytes: number,
  limits: SetLimits = {},
  guard?: (op: Deno.AtomicOperation) => Promise<void>,
): Promise<void> {
  const expireIn = expireInFor(dataset.expiresAt);
  const outcome = await retryCommit("dataset commit", async () => {
    const session = await kv.get<Session>(keys.session(dataset.sessionId));
    if (!liveValue(session)) return { stored: false };
    const op = kv.atomic();
    await guard?.(op);
    await addMemberToCommit(
      kv,
      op,
      storedSet(dataset.ownerId, dataset.id),
      dataset.ownerId,
      { bytes: storedBytes, expiresAt: dataset.expiresAt },
      limits,
    );
    const result = await op
      .check(session)
      .check({ key: keys.dataset(dataset.id), versionstamp: null })
      .set(keys.dataset(dataset.id), dataset, { expireIn })
      .set(keys.datasetBySession(dataset.sessionId, dataset.id), dataset.id, {
        expireIn,
      })
      .commit();
    return result.ok ? { stored: true } : null;
  });
  if (!outcome.stored) {
    throw new AppError("not_found", "not_found", "session not found");
  }
}

async function writeDetail(
  kv: Deno.Kv,
  id: string,
  detail: DatasetDetail,
  sessionId: string,
  expiresAt: number,
): Promise<void> {
  await writeBlob(kv, encoder.encode(JSON.stringify(detail)), {
    id,
    mime: "application/json",
    sessionId,
    expiresAt,
  });
  rememberDetail(id, detail);
}

/**
 * Stores an uploaded file: the raw bytes and the parsed table are written as
 * they stream in, then the detail and the record. Returns the dataset, or
 * throws (a `DataError` for a bad or oversized file) after removing every
 * blob it wrote.
 */
export async function uploadDataset(
  kv: Deno.Kv,
  input: UploadInput,
): Promise<Dataset> {
  const now = Date.now();
  const expiresAt = now + input.ttlMs;
  const id = newId();
  const rawBlobId = newId();
  const tableBlobId = newId();
  const detailBlobId = newId();
  const [forRaw, forParse] = input.body.tee();
  const stop = new AbortController();
  async function* rawChunks() {
    for await (const chunk of forRaw) {
      stop.signal.throwIfAborted();
      yield chunk;
    }
  }
  const rawWrite = writeBlob(kv, rawChunks(), {
    id: rawBlobId,
    mime: "application/octet-stream",
    filename: input.filename,
    sessionId: input.sessionId,
    expiresAt,
  });
  rawWrite.catch(() => {});
  const table = blobChannel(kv, tableBlobId, input.sessionId, expiresAt);
  try {
    const result = await ingestTable(forParse, {
      filename: input.filename,
      format: input.format,
      sheet: input.sheet,
      maxRows: input.maxRows,
      maxColumns: input.maxColumns,
    }, (batch) => table.push(encodeBatch(batch)));
    const [rawMeta, tableMeta] = await Promise.all([rawWrite, table.close()]);
    const name =
      result.sheet && result.sheets && result.sheets[0] !== result.sheet
        ? `${input.filename} (${result.sheet})`
        : input.filename;
    const profile: DatasetProfile = { id, name, ...result.schema.profile };
    await writeDetail(
      kv,
      detailBlobId,
      {
        columns: result.schema.columns,
        stats: result.schema.stats,
        profile,
      },
      input.sessionId,
      expiresAt,
    );
    // The raw blob was stored untyped; give it its format's type now.
    await setBlobMime(kv, rawBlobId, RAW_MIME[result.format]);
    const dataset: Dataset = {
      id,
      sessionId: input.sessionId,
      ownerId: input.ownerId,
      name,
      filename: input.filename,
      format: result.format,
      encoding: result.encoding,
      delimiter: result.delimiter,
      sheet: result.sheet,
      sheets: result.sheets,
      rowCount: result.rows,
      columnCount: result.schema.columns.length,
      byteSize: rawMeta.size,
      rawBlobId,
      tableBlobId,
      detailBlobId,
      repairs: capRepairs(result.repairs),
      origin: { kind: "upload" },
      createdAt: now,
      expiresAt,
    };
    await commitRecord(
      kv,
      dataset,
      rawMeta.size + tableMeta.size,
      input.limits,
    );
    return dataset;
  } catch (error) {
    stop.abort(error);
    table.abort(error);
    await forParse.cancel().catch(() => {});
    await Promise.allSettled([rawWrite]);
    await removeBlobs(kv, [rawBlobId, tableBlobId, detailBlobId]);
    forgetDetail(detailBlobId);
    throw error;
  }
}

/**
 * Stores rows computed from other data (a workflow step's output) as a
 * dataset, inferring its schema on the way; throws after cleaning up when
 * the rows fail or exceed `maxRows`.
 */
export async function saveDerivedDataset(
  kv: Deno.Kv,
  input: DerivedInput,
): Promise<Dataset> {
  const now = Date.now();
  const expiresAt = now + input.ttlMs;
  const id = newId();
  const tableBlobId = newId();
  const detailBlobId = newId();
  const table = blobChannel(kv, tableBlobId, input.sessionId, expiresAt);
  try {
    const result = await collectRows(
      input.names,
      input.batches,
      (batch) => table.push(encodeBatch(batch)),
      { maxRows: input.maxRows, hints: input.hints },
    );
    const tableMeta = await table.close();
    await writeDetail(
      kv,
      detailBlobId,
      {
        columns: result.schema.columns,
        stats: result.schema.stats,
        profile: { id, name: input.name, ...result.schema.profile },
      },
      input.sessionId,
      expiresAt,
    );
    const dataset: Dataset = {
      id,
      sessionId: input.sessionId,
      ownerId: input.ownerId,
      name: input.name,
      filename: null,
      format: null,
      encoding: null,
      delimiter: null,
      sheet: null,
      sheets: null,
      rowCount: result.rows,
      columnCount: input.names.length,
      byteSize: tableMeta.size,
      rawBlobId: null,
      tableBlobId,
      detailBlobId,
      repairs: capRepairs(input.repairs ?? []),
      origin: input.origin,
      createdAt: now,
      expiresAt,
    };
    await commitRecord(
      kv,
      dataset,
      tableMeta.size,
      input.limits,
      input.guard,
    );
    return dataset;
  } catch (error) {
    table.abort(error);
    await removeBlobs(kv, [tableBlobId, detailBlobId]);
    forgetDetail(detailBlobId);
    throw error;
  }
}

/** Returns the dataset, or null when absent or expired. */
export async function getDataset(
  kv: Deno.Kv,
  datasetId: string,
): Promise<Dataset | null> {
  return liveValue(await kv.get<Dataset>(keys.dataset(datasetId)));
}

/** Returns the dataset when `ownerId` owns it, else null (the caller answers 404). */
export async function getOwnedDataset(
  kv: Deno.Kv,
  datasetId: string,
  ownerId: string,
): Promise<Dataset | null> {
  const dataset = await getDataset(kv, datasetId);
  return dataset && dataset.ownerId === ownerId ? dataset : null;
}

/** A dataset being imported (a restored archive): its record and its files. */
export interface ImportedDataset {
  id: string;
  sessionId: string;
  ownerId: string;
  record: Omit<
    Dataset,
    | "id"
    | "sessionId"
    | "ownerId"
    | "rawBlobId"
    | "tableBlobId"
    | "detailBlobId"
    | "expiresAt"
  >;
  raw: { body: AsyncIterable<Uint8Array>; mime: string } | null;
  table: AsyncIterable<Uint8Array>;
  /** The detail's JSON bytes, stored as they are. */
  detail: Uint8Array;
  ttlMs: number;
  limits?: SetLimits;
}

/**
 * Stores an imported dataset: its files, then the record, its index and its
 * stored bytes in one commit (refused past the owner's storage limits, and
 * the files removed). Returns the dataset.
 */
export async function importDataset(
  kv: Deno.Kv,
  input: ImportedDataset,
): Promise<Dataset> {
  const expiresAt = Date.now() + input.ttlMs;
  const options = { sessionId: input.sessionId, expiresAt };
  const written: string[] = [];
  try {
    const raw = input.raw
      ? await writeBlob(kv, input.raw.body, {
        ...options,
        mime: input.raw.mime,
        filename: input.record.filename ?? undefined,
      })
      : null;
    if (raw) written.push(raw.id);
    const table = await writeBlob(kv, input.table, {
      ...options,
      mime: TABLE_MIME,
    });
    written.push(table.id);
    const detail = await writeBlob(kv, input.detail, {
      ...options,
      mime: "application/json",
    });
    written.push(detail.id);
    const dataset: Dataset = {
      ...input.record,
      id: input.id,
      sessionId: input.sessionId,
      ownerId: input.ownerId,
      rawBlobId: raw?.id ?? null,
      tableBlobId: table.id,
      detailBlobId: detail.id,
      expiresAt,
    };
    await commitRecord(
      kv,
      dataset,
      (raw?.size ?? 0) + table.size,
      input.limits,
    );
    return dataset;
  } catch (error) {
    await removeBlobs(kv, written);
    throw error;
  }
}

/** Lists a session's datasets, oldest first (at most `limit`). */
export async function listSessionDatasets(
  kv: Deno.Kv,
  sessionId: string,
  limit = 200,
): Promise<Dataset[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({
      prefix: keys.datasetsBySessionPrefix(sessionId),
    }, { limit })
  ) ids.push(entry.value);
  const now = Date.now();
  return (await getMany<Dataset>(kv, ids.map((id) => keys.dataset(id))))
    .map((e) => liveValue(e, now))
    .filter((d): d is Dataset => d !== null);
}

const detailCache = new Map<string, DatasetDetail>();
const DETAIL_CACHE_SIZE = 200;

function rememberDetail(blobId: string, detail: DatasetDetail): void {
  detailCache.delete(blobId);
  detailCache.set(blobId, detail);
  while (detailCache.size > DETAIL_CACHE_SIZE) {
    detailCache.delete(detailCache.keys().next().value!);
  }
}

function forgetDetail(blobId: string): void {
  detailCache.delete(blobId);
}

/** Returns a dataset's schema, statistics and profile (cached per process: they never change). */
export async function readDatasetDetail(
  kv: Deno.Kv,
  dataset: Dataset,
): Promise<DatasetDetail> {
  const hit = detailCache.get(dataset.detailBlobId);
  if (hit) return hit;
  const bytes = await readBlob(kv, dataset.detailBlobId);
  if (!bytes) throw new Error(`dataset ${dataset.id}: detail missing`);
  const detail = JSON.parse(decoder.decode(bytes)) as DatasetDetail;
  rememberDetail(dataset.detailBlobId, detail);
  return detail;
}

/**
 * Returns a stream of a stored table's bytes, reading its chunks in listed
 * batches (a table is read whole, so fewer round trips beat `streamBlob`'s
 * one read per chunk).
 */
async function tableBytes(
  kv: Deno.Kv,
  dataset: Dataset,
): Promise<ReadableStream<Uint8Array>> {
  const found = await streamBlobListed(kv, dataset.tableBlobId);
  if (!found) throw new Error(`dataset ${dataset.id}: table missing`);
  return found.stream;
}

/** Yields a dataset's raw row batches as stored. */
export async function* rawBatches(
  kv: Deno.Kv,
  dataset: Dataset,
): AsyncGenerator<RawCell[][]> {
  yield* decodeBatches(await tableBytes(kv, dataset));
}

/** Yields a dataset's rows typed by its schema (cells that do not fit are null). */
export async function* typedBatches(
  kv: Deno.Kv,
  dataset: Dataset,
  columns: DatasetColumn[],
): AsyncGenerator<TableCell[][]> {
  const converters = columns.map(cellConverter);
  yield* decodeBatches(await tableBytes(kv, dataset), converters);
}

/** Returns the query engine's view of a dataset (streamed into SQLite on first use). */
export function storedSourceOf(
  kv: Deno.Kv,
  dataset: Dataset,
  detail: DatasetDetail,
): StoredSource {
  return {
    id: dataset.id,
    columns: detail.columns.map((c) => ({ name: c.name, type: c.type })),
    rowCount: dataset.rowCount,
    rows: () => typedBatches(kv, dataset, detail.columns),
  };
}

/** Deletes a dataset: the record and index first (readers stop at once), then its blobs. */
export async function deleteDataset(
  kv: Deno.Kv,
  dataset: Dataset,
): Promise<void> {
  await kv.atomic()
    .delete(keys.dataset(dataset.id))
    .delete(keys.datasetBySession(dataset.sessionId, dataset.id))
    .delete(keys.storedByOwner(dataset.ownerId, dataset.id))
    .commit();
  clearQueryCache(dataset.id);
  forgetDetail(dataset.detailBlobId);
  await removeBlobs(kv, [
    dataset.rawBlobId,
    dataset.tableBlobId,
    dataset.detailBlobId,
  ]);
}

/** Deletes every dataset of a session (its blobs included); safe to run more than once. */
export async function deleteSessionDatasets(
  kv: Deno.Kv,
  sessionId: string,
): Promise<void> {
  for await (
    const entry of kv.list<string>({
      prefix: keys.datasetsBySessionPrefix(sessionId),
    })
  ) {
    const dataset = (await kv.get<Dataset>(keys.dataset(entry.value))).value;
    if (dataset) await deleteDataset(kv, dataset);
    else await kv.delete(entry.key);
  }
}
