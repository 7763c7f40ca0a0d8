/**
 * Writing a session's archive (lib/dump/format.ts) as a stream: each entry
 * is read from KV only when the reader wants more bytes, hashed (SHA-256) on
 * its way into the ZIP, and listed in the manifest written last. Memory
 * stays at a few chunks of a blob, whatever the session holds.
 */
import { createHash } from "node:crypto";
import { type ZipEntry, zipStream } from "@/lib/exports/zip.ts";
import type { Session } from "@/lib/kv/sessions.ts";
import { listMessages } from "@/lib/kv/messages.ts";
import {
  type Artifact,
  getArtifactVersion,
  listArtifactsBySession,
  listArtifactVersions,
} from "@/lib/kv/artifacts.ts";
import { type Dataset, listSessionDatasets } from "@/lib/kv/datasets.ts";
import { streamBlobListed } from "@/lib/kv/blobs.ts";
import {
  type ArtifactEntry,
  type DatasetEntry,
  DUMP_FORMAT,
  DUMP_VERSION,
  entryNames,
  MANIFEST,
  type Manifest,
  type ManifestEntry,
  type MessageEntry,
  type SessionEntry,
} from "./format.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const encoder = new TextEncoder();

/** Returns every artifact of a session, oldest first. */
async function allArtifacts(kv: Deno.Kv, sessionId: string) {
  const out: Artifact[] = [];
  let cursor: string | undefined;
  do {
    const page = await listArtifactsBySession(kv, sessionId, {
      limit: 100,
      cursor,
    });
    out.push(...page.values);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return out.reverse();
}

/** Returns every version record of an artifact, oldest first. */
async function allVersions(kv: Deno.Kv, current: Artifact) {
  const out: Artifact[] = [];
  for (const n of await listArtifactVersions(kv, current)) {
    const record = n === current.version
      ? current
      : await getArtifactVersion(kv, current.id, n);
    if (record) out.push(record);
  }
  return out;
}

function artifactEntry(a: Artifact): ArtifactEntry {
  const p = a.provenance;
  return {
    id: a.id,
    version: a.version,
    title: a.title,
    spec: a.spec,
    request: a.request ?? null,
    provenance: {
      query: p.query,
      ...(p.params ? { params: p.params } : {}),
      dataset_id: p.datasetId,
      dataset_name: p.datasetName,
      row_count: p.rowCount,
      execution_ms: p.executionMs,
    },
    interpretation: a.interpretation,
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
    data: entryNames.snapshot(a.id, a.version),
  };
}

function datasetEntry(d: Dataset, rawMime: string | null): DatasetEntry {
  return {
    id: d.id,
    name: d.name,
    filename: d.filename,
    format: d.format,
    encoding: d.encoding,
    delimiter: d.delimiter,
    sheet: d.sheet,
    sheets: d.sheets,
    row_count: d.rowCount,
    column_count: d.columnCount,
    byte_size: d.byteSize,
    repairs: d.repairs,
    origin: d.origin,
    created_at: iso(d.createdAt),
    raw: d.rawBlobId ? entryNames.raw(d.id) : null,
    raw_mime: rawMime,
    table: entryNames.table(d.id),
    detail: entryNames.detail(d.id),
  };
}

/** A blob's bytes as an entry body; throws when the blob is gone. */
async function blobBody(kv: Deno.Kv, blobId: string, what: string) {
  const found = await streamBlobListed(kv, blobId);
  if (!found) throw new Error(`${what}: its stored file is missing`);
  return found;
}

/**
 * Yields the archive's entries (the manifest last), each hashed as the ZIP
 * writer reads it.
 */
async function* dumpEntries(
  kv: Deno.Kv,
  session: Session,
): AsyncGenerator<ZipEntry> {
  const listed: ManifestEntry[] = [];
  const hashed = (
    path: string,
    body: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
    big = false,
  ): ZipEntry => {
    const hash = createHash("sha256");
    if (!(body instanceof ReadableStream)) {
      const bytes = typeof body === "string" ? encoder.encode(body) : body;
      hash.update(bytes);
      listed.push({
        name: path,
        size: bytes.length,
        sha256: hash.digest("hex"),
      });
      return { path, body: bytes, deflate: true };
    }
    let size = 0;
    const through = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          hash.update(chunk);
          size += chunk.length;
          controller.enqueue(chunk);
        },
        flush() {
          listed.push({ name: path, size, sha256: hash.digest("hex") });
        },
      }),
    );
    // Data files (raw, table) are stored: the dump streams at disk speed.
    return { path, body: through, deflate: !big };
  };
  const json = (value: unknown) => JSON.stringify(value);

  const sessionEntry: SessionEntry = {
    title: session.title,
    created_at: iso(session.createdAt),
    updated_at: iso(session.updatedAt),
  };
  yield hashed(entryNames.session, json(sessionEntry));
  const messages: MessageEntry[] = [];
  for (const m of await listMessages(kv, session.id, { limit: 100_000 })) {
    messages.push({
      id: m.id,
      role: m.role,
      content: m.content,
      artifact_ids: m.artifactIds,
      ...(m.options ? { options: m.options } : {}),
      created_at: iso(m.createdAt),
    });
  }
  yield hashed(entryNames.messages, json(messages));

  for (const current of await allArtifacts(kv, session.id)) {
    for (const version of await allVersions(kv, current)) {
      const data = await blobBody(
        kv,
        version.dataBlobId,
        `chart ${version.id} version ${version.version}`,
      );
      yield hashed(
        entryNames.snapshot(version.id, version.version),
        data.stream,
      );
      yield hashed(
        entryNames.artifact(version.id, version.version),
        json(artifactEntry(version)),
      );
    }
  }

  for (const dataset of await listSessionDatasets(kv, session.id, 10_000)) {
    const what = `dataset ${dataset.name}`;
    let rawMime: string | null = null;
    if (dataset.rawBlobId) {
      const raw = await blobBody(kv, dataset.rawBlobId, what);
      rawMime = raw.meta.mime;
      yield hashed(entryNames.raw(dataset.id), raw.stream, true);
    }
    const table = await blobBody(kv, dataset.tableBlobId, what);
    yield hashed(entryNames.table(dataset.id), table.stream, true);
    const detail = await blobBody(kv, dataset.detailBlobId, what);
    yield hashed(entryNames.detail(dataset.id), detail.stream);
    yield hashed(
      entryNames.dataset(dataset.id),
      json(datasetEntry(dataset, rawMime)),
    );
  }

  const manifest: Manifest = {
    format: DUMP_FORMAT,
    format_version: DUMP_VERSION,
    exported_at: new Date().toISOString(),
    entries: listed,
  };
  yield { path: MANIFEST, body: json(manifest), deflate: true };
}

/** Returns the session's archive as a stream of ZIP bytes (see lib/dump/format.ts). */
export function sessionDump(
  kv: Deno.Kv,
  session: Session,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return zipStream(dumpEntries(kv, session));
}
