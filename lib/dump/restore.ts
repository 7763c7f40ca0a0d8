/**
 * Restoring a checked archive (lib/dump/read.ts) as a new session of the
 * caller: every record gets a new id (in the original order, so lists keep
 * their order) and every reference between them is carried over; times,
 * texts and stored bytes stay as they were, so a dump of the restored
 * session equals the original's apart from ids. The session joins its
 * owner's list only once everything is stored; a write that fails removes
 * all that was written.
 */
import { newId } from "@/lib/ids.ts";
import { inflateEntry, ZipReadError } from "@/lib/data/zip_read.ts";
import {
  importSession,
  listImportedSession,
  type Session,
} from "@/lib/kv/sessions.ts";
import { importMessages } from "@/lib/kv/messages.ts";
import { importArtifact } from "@/lib/kv/artifacts.ts";
import { importDataset } from "@/lib/kv/datasets.ts";
import { keys } from "@/lib/kv/keys.ts";
import { finishSessionDelete } from "@/lib/kv/session_delete.ts";
import { checkMembers, listMembers, type SetLimits } from "@/lib/kv/quotas.ts";
import type { ValidDump } from "./read.ts";
import { isChartQuery } from "@/lib/agent/planner/mod.ts";
import type { ChartQuery } from "@/lib/agent/planner/types.ts";
import type { ArtifactEntry, DatasetEntry } from "./format.ts";

/** Replaces every string in `value` that is an old id by its new one. */
function remapIds(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === "string") return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remapIds(v, ids));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, remapIds(v, ids)]),
    );
  }
  return value;
}

/** The entry's inflated bytes, a step at a time (checked already). */
async function* entryStream(
  dump: ValidDump,
  name: string,
): AsyncGenerator<Uint8Array> {
  const entry = dump.entries.get(name);
  if (!entry) throw new ZipReadError("damaged", `${name} is gone`, name);
  yield* inflateEntry(dump.bytes, entry);
}

const ms = (iso: string) => Date.parse(iso);

/** A stored chart request as the planner reads it; anything else is kept as null. */
function chartQueryOrNull(value: unknown): ChartQuery | null {
  return isChartQuery(value) ? value : null;
}

function artifactVersion(entry: ArtifactEntry, ids: Map<string, string>) {
  const p = entry.provenance;
  return {
    title: entry.title,
    version: entry.version,
    spec: entry.spec,
    request: chartQueryOrNull(remapIds(entry.request, ids)),
    provenance: {
      query: p.query,
      ...(p.params ? { params: p.params } : {}),
      datasetId: ids.get(p.dataset_id) ?? p.dataset_id,
      datasetName: p.dataset_name,
      rowCount: p.row_count,
      executionMs: p.execution_ms,
    },
    interpretation: entry.interpretation,
    createdAt: ms(entry.created_at),
    updatedAt: ms(entry.updated_at),
  };
}

function datasetRecord(entry: DatasetEntry, ids: Map<string, string>) {
  return {
    name: entry.name,
    filename: entry.filename,
    format: entry.format,
    encoding: entry.encoding,
    delimiter: entry.delimiter,
    sheet: entry.sheet,
    sheets: entry.sheets,
    rowCount: entry.row_count,
    columnCount: entry.column_count,
    byteSize: entry.byte_size,
    repairs: entry.repairs,
    origin: entry.origin.kind === "workflow"
      ? {
        ...entry.origin,
        inputId: ids.get(entry.origin.inputId) ?? entry.origin.inputId,
      }
      : entry.origin,
    createdAt: ms(entry.created_at),
  };
}

/**
 * Throws QuotaExceeded when the archive's datasets would take the owner past
 * their storage limits; run before anything is written.
 */
export async function checkRestoreQuota(
  kv: Deno.Kv,
  dump: ValidDump,
  ownerId: string,
  limits: SetLimits,
): Promise<void> {
  const size = (name: string | null) =>
    name ? dump.entries.get(name)?.size ?? 0 : 0;
  const members = await listMembers(
    kv,
    keys.storedByOwnerPrefix(ownerId),
  );
  for (const { entry } of dump.datasets) {
    checkMembers(members, size(entry.raw) + size(entry.table), limits);
    members.push({
      bytes: size(entry.raw) + size(entry.table),
      expiresAt: Infinity,
    });
  }
}

/** Writes a checked archive as a new session of `ownerId` and returns it. */
export async function restoreDump(
  kv: Deno.Kv,
  dump: ValidDump,
  options: { ownerId: string; ttlMs: number; limits: SetLimits },
): Promise<Session> {
  const { ownerId, ttlMs } = options;
  // New ids in the original order: lists ordered by id keep their order.
  const ids = new Map<string, string>();
  for (const { entry } of dump.datasets) ids.set(entry.id, newId());
  for (const { id } of dump.artifacts) ids.set(id, newId());
  const session = await importSession(kv, {
    ownerId,
    title: dump.session.title,
    createdAt: ms(dump.session.created_at),
    updatedAt: ms(dump.session.updated_at),
    ttlMs,
  });
  try {
    for (const { entry, detail } of dump.datasets) {
      await importDataset(kv, {
        id: ids.get(entry.id)!,
        sessionId: session.id,
        ownerId,
        record: datasetRecord(entry, ids),
        raw: entry.raw
          ? { body: entryStream(dump, entry.raw), mime: entry.raw_mime ?? "" }
          : null,
        table: entryStream(dump, entry.table),
        // The planner's profile in the detail names its dataset by id.
        detail: new TextEncoder().encode(
          JSON.stringify(
            remapIds(JSON.parse(new TextDecoder().decode(detail)), ids),
          ),
        ),
        ttlMs,
        limits: options.limits,
      });
    }
    for (const { id, versions } of dump.artifacts) {
      await importArtifact(kv, {
        id: ids.get(id)!,
        sessionId: session.id,
        ownerId,
        versions: versions.map((v) => ({
          ...artifactVersion(v, ids),
          snapshot: dump.snapshots.get(v.data)!,
        })),
        ttlMs,
      });
    }
    const messages = [...dump.messages]
      .sort((a, b) => a.id < b.id ? -1 : 1)
      .map((m) => ({
        id: newId(),
        sessionId: session.id,
        role: m.role,
        content: m.content,
        artifactIds: m.artifact_ids.map((a) => ids.get(a)!),
        ...(m.options ? { options: m.options } : {}),
        createdAt: ms(m.created_at),
      }));
    await importMessages(kv, messages, ttlMs);
    await listImportedSession(kv, session);
    return session;
  } catch (error) {
    await finishSessionDelete(kv, { sessionId: session.id, ownerId })
      .catch(() => {});
    throw error;
  }
}
