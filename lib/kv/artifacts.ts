/**
 * Artifacts: a chart frozen with its data snapshot. The record holds the spec
 * and provenance; the snapshot is a blob (it can exceed a KV value). The record
 * and its indexes (by session; by owner and type) are written in one commit.
 */
import { listValues } from "./cursor.ts";
import { keys } from "./keys.ts";
import { expireInFor, type Expiring, liveValue } from "./ttl.ts";
import { retryCommit } from "./commit.ts";
import {
  addBlobToCommit,
  BLOB_INLINE_BYTES,
  deleteBlob,
  readBlob,
  writeBlob,
} from "./blobs.ts";
import { getMany } from "./batch.ts";
import { newId } from "@/lib/ids.ts";
import type { ChartSpec, Snapshot } from "@/lib/charts/spec.ts";
import type { ChartQuery } from "@/lib/agent/planner/types.ts";
import { artifactsCreated } from "@/lib/metrics.ts";

export const ARTIFACT_TYPES = ["chart"] as const;
export type ArtifactType = typeof ARTIFACT_TYPES[number];

export interface Provenance {
  /** The query that ran, as text (SQL with `?` placeholders). */
  query: string;
  /** The values bound to the placeholders, in order. */
  params?: (string | number | null)[];
  datasetId: string;
  datasetName: string;
  /** Rows in the result the chart was drawn from. */
  rowCount: number;
  executionMs: number;
}

export interface Artifact extends Expiring {
  id: string;
  sessionId: string;
  ownerId: string;
  type: ArtifactType;
  title: string;
  version: number;
  spec: ChartSpec;
  /**
   * The planner's statement of the chart's data, kept so a later turn can
   * refine it; null for a chart made some other way (seeded, or restored
   * from an archive whose request the planner cannot read).
   */
  request: ChartQuery | null;
  dataBlobId: string;
  provenance: Provenance;
  interpretation: string;
  createdAt: number;
  updatedAt: number;
}

export interface ArtifactInput {
  sessionId: string;
  ownerId: string;
  spec: ChartSpec;
  snapshot: Snapshot;
  request: ChartQuery | null;
  provenance: Provenance;
  interpretation: string;
  ttlMs: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A chart's data snapshot, stored with its artifact's commit when small. */
interface SnapshotBlob {
  id: string;
  /** Adds the blob to the artifact's commit (nothing when stored already). */
  addTo(op: Deno.AtomicOperation): void;
  /** Removes it when the artifact's commit did not happen. */
  discard(): Promise<void>;
}

async function prepareSnapshot(
  kv: Deno.Kv,
  sessionId: string,
  snapshot: Snapshot,
  expiresAt: number,
): Promise<SnapshotBlob> {
  const bytes = encoder.encode(JSON.stringify(snapshot));
  const options = { mime: "application/json", sessionId, expiresAt };
  if (bytes.length <= BLOB_INLINE_BYTES) {
    const id = newId();
    return {
      id,
      addTo: (op) => void addBlobToCommit(op, bytes, { ...options, id }),
      discard: () => Promise.resolve(),
    };
  }
  const meta = await writeBlob(kv, bytes, options);
  return {
    id: meta.id,
    addTo: () => {},
    discard: () => deleteBlob(kv, meta.id),
  };
}

/** Creates a chart artifact (version 1) and returns its record. */
export async function createArtifact(
  kv: Deno.Kv,
  input: ArtifactInput,
): Promise<Artifact> {
  const now = Date.now();
  const expiresAt = now + input.ttlMs;
  const blob = await prepareSnapshot(
    kv,
    input.sessionId,
    input.snapshot,
    expiresAt,
  );
  const dataBlobId = blob.id;
  const artifact: Artifact = {
    id: newId(),
    sessionId: input.sessionId,
    ownerId: input.ownerId,
    type: "chart",
    title: input.spec.title,
    version: 1,
    spec: input.spec,
    request: input.request,
    dataBlobId,
    provenance: input.provenance,
    interpretation: input.interpretation,
    createdAt: now,
    updatedAt: now,
    expiresAt,
  };
  const expireIn = input.ttlMs;
  const op = kv.atomic();
  blob.addTo(op);
  const result = await op
    .check({ key: keys.artifact(artifact.id), versionstamp: null })
    .set(keys.artifact(artifact.id), artifact, { expireIn })
    .set(keys.artifactBySession(artifact.sessionId, artifact.id), artifact.id, {
      expireIn,
    })
    .set(
      keys.artifactByOwnerType(artifact.ownerId, artifact.type, artifact.id),
      artifact.id,
      { expireIn },
    )
    .commit();
  if (!result.ok) {
    await blob.discard();
    throw new Error("artifact id collision");
  }
  artifactsCreated.inc();
  return artifact;
}

/** One version of an artifact being imported (a restored archive). */
export type ImportedVersion =
  & Omit<
    Artifact,
    "id" | "sessionId" | "ownerId" | "type" | "dataBlobId" | "expiresAt"
  >
  & {
    /** The snapshot's JSON bytes, stored as they are. */
    snapshot: Uint8Array;
  };

/**
 * Stores an artifact with every version (oldest first) under `id`: the
 * snapshots, then the records and indexes in one commit. Returns the newest.
 */
export async function importArtifact(
  kv: Deno.Kv,
  input: {
    id: string;
    sessionId: string;
    ownerId: string;
    versions: ImportedVersion[];
    ttlMs: number;
  },
): Promise<Artifact> {
  const now = Date.now();
  const expiresAt = now + input.ttlMs;
  const expireIn = input.ttlMs;
  const records: Artifact[] = [];
  for (const { snapshot, ...version } of input.versions) {
    const meta = await writeBlob(kv, snapshot, {
      mime: "application/json",
      sessionId: input.sessionId,
      expiresAt,
    });
    records.push({
      ...version,
      id: input.id,
      sessionId: input.sessionId,
      ownerId: input.ownerId,
      type: "chart",
      dataBlobId: meta.id,
      expiresAt,
    });
  }
  const current = records.at(-1)!;
  const op = kv.atomic()
    .check({ key: keys.artifact(input.id), versionstamp: null })
    .set(keys.artifact(input.id), current, { expireIn })
    .set(keys.artifactBySession(input.sessionId, input.id), input.id, {
      expireIn,
    })
    .set(
      keys.artifactByOwnerType(input.ownerId, "chart", input.id),
      input.id,
      { expireIn },
    );
  for (const record of records.slice(0, -1)) {
    op.set(keys.artifactVersion(input.id, record.version), record, {
      expireIn,
    });
  }
  if (!(await op.commit()).ok) throw new Error("artifact id collision");
  artifactsCreated.inc();
  return current;
}

/**
 * Replaces an artifact's chart with a new version (the previous one is kept
 * under its version number) and returns the new record, or null when gone.
 */
export async function reviseArtifact(
  kv: Deno.Kv,
  artifactId: string,
  input: Omit<ArtifactInput, "sessionId" | "ownerId">,
): Promise<Artifact | null> {
  const current = await getArtifact(kv, artifactId);
  if (!current) return null;
  const now = Date.now();
  const expiresAt = now + input.ttlMs;
  const blob = await prepareSnapshot(
    kv,
    current.sessionId,
    input.snapshot,
    expiresAt,
  );
  const dataBlobId = blob.id;
  const outcome = await retryCommit("artifact revision", async () => {
    const entry = await kv.get<Artifact>(keys.artifact(artifactId));
    const before = liveValue(entry);
    if (!before) return { value: null };
    const next: Artifact = {
      ...before,
      title: input.spec.title,
      version: before.version + 1,
      spec: input.spec,
      request: input.request,
      dataBlobId,
      provenance: input.provenance,
      interpretation: input.interpretation,
      updatedAt: now,
      expiresAt,
    };
    const expireIn = expireInFor(expiresAt, now);
    const op = kv.atomic();
    blob.addTo(op);
    const result = await op
      .check(entry)
      .set(keys.artifactVersion(artifactId, before.version), before, {
        expireIn,
      })
      .set(keys.artifact(artifactId), next, { expireIn })
      .set(keys.artifactBySession(next.sessionId, artifactId), artifactId, {
        expireIn,
      })
      .set(
        keys.artifactByOwnerType(next.ownerId, next.type, artifactId),
        artifactId,
        { expireIn },
      )
      .commit();
    return result.ok ? { value: next } : null;
  });
  if (!outcome.value) await blob.discard();
  return outcome.value;
}

/**
 * Makes a new newest version of an artifact that is a copy of its version
 * `version` (chart, data, query and interpretation) and returns it; null
 * when the artifact or that version is gone. Earlier versions stay as they
 * were, so a restore can itself be undone.
 */
export async function restoreArtifactVersion(
  kv: Deno.Kv,
  artifact: Artifact,
  version: number,
  ttlMs: number,
): Promise<Artifact | null> {
  const source = version === artifact.version
    ? artifact
    : await getArtifactVersion(kv, artifact.id, version);
  if (!source) return null;
  return await reviseArtifact(kv, artifact.id, {
    spec: source.spec,
    snapshot: await readArtifactSnapshot(kv, source),
    request: source.request,
    provenance: source.provenance,
    interpretation: source.interpretation,
    ttlMs,
  });
}

/** Returns the artifact, or null when absent or expired. */
export async function getArtifact(
  kv: Deno.Kv,
  artifactId: string,
): Promise<Artifact | null> {
  return liveValue(await kv.get<Artifact>(keys.artifact(artifactId)));
}

/** Returns the artifact when `ownerId` owns it, else null (the caller answers 404). */
export async function getOwnedArtifact(
  kv: Deno.Kv,
  artifactId: string,
  ownerId: string,
): Promise<Artifact | null> {
  const artifact = await getArtifact(kv, artifactId);
  return artifact && artifact.ownerId === ownerId ? artifact : null;
}

/** Returns an earlier version of an artifact, or null. */
export async function getArtifactVersion(
  kv: Deno.Kv,
  artifactId: string,
  version: number,
): Promise<Artifact | null> {
  return liveValue(
    await kv.get<Artifact>(keys.artifactVersion(artifactId, version)),
  );
}

/** Lists the version numbers an artifact has, oldest first (the current included). */
export async function listArtifactVersions(
  kv: Deno.Kv,
  artifact: Artifact,
): Promise<number[]> {
  const versions: number[] = [];
  for await (
    const entry of kv.list<Artifact>({
      prefix: keys.artifactVersionsPrefix(artifact.id),
    })
  ) {
    if (liveValue(entry)) versions.push(entry.value.version);
  }
  versions.push(artifact.version);
  return versions;
}

/** Returns the frozen data snapshot of an artifact (or one of its versions). */
export async function readArtifactSnapshot(
  kv: Deno.Kv,
  artifact: Artifact,
): Promise<Snapshot> {
  const bytes = await readBlob(kv, artifact.dataBlobId);
  if (!bytes) throw new Error(`artifact ${artifact.id}: snapshot missing`);
  return JSON.parse(decoder.decode(bytes));
}

/** Lists a session's artifacts, newest first, as `{ values, cursor }`. */
export async function listArtifactsBySession(
  kv: Deno.Kv,
  sessionId: string,
  options: { type?: ArtifactType; limit?: number; cursor?: string } = {},
): Promise<{ values: Artifact[]; cursor: string | null }> {
  const limit = options.limit ?? 50;
  const iter = kv.list<string>(
    { prefix: keys.artifactsBySessionPrefix(sessionId) },
    { reverse: true, limit, cursor: options.cursor },
  );
  const ids = await listValues(iter, options.cursor);
  const now = Date.now();
  const values =
    (await getMany<Artifact>(kv, ids.map((id) => keys.artifact(id))))
      .map((e) => liveValue(e, now))
      .filter((a): a is Artifact =>
        a !== null && (!options.type || a.type === options.type)
      );
  return { values, cursor: ids.length === limit ? iter.cursor : null };
}

/** Deletes an artifact, its versions, its indexes and its snapshot blobs. */
export async function deleteArtifact(
  kv: Deno.Kv,
  artifact: Artifact,
): Promise<void> {
  const blobIds = new Set([artifact.dataBlobId]);
  const versionKeys: Deno.KvKey[] = [];
  for await (
    const entry of kv.list<Artifact>({
      prefix: keys.artifactVersionsPrefix(artifact.id),
    })
  ) {
    blobIds.add(entry.value.dataBlobId);
    versionKeys.push(entry.key);
  }
  const op = kv.atomic()
    .delete(keys.artifact(artifact.id))
    .delete(keys.artifactBySession(artifact.sessionId, artifact.id))
    .delete(
      keys.artifactByOwnerType(artifact.ownerId, artifact.type, artifact.id),
    );
  for (const key of versionKeys) op.delete(key);
  await op.commit();
  for (const id of blobIds) await deleteBlob(kv, id);
}
