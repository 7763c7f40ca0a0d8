/**
 * Checking a session archive before anything of it is written: the ZIP's
 * directory (sizes, zip bombs), every entry's name, the manifest's format
 * version, every entry's size and SHA-256 against the manifest, every JSON
 * entry against its schema, and every reference between entries. Any
 * problem is a `DumpError` naming the entry and the reason. Large entries
 * (raw files, tables) are only hashed here; the restore inflates them again
 * as it writes them, so memory holds the archive and its JSON, not its data.
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { AppError } from "@/lib/errors.ts";
import {
  inflateEntry,
  listZipEntries,
  type ZipEntryInfo,
  type ZipLimits,
  ZipReadError,
} from "@/lib/data/zip_read.ts";
import { describeIssues } from "@/lib/validate.ts";
import type { Snapshot } from "@/lib/charts/spec.ts";
import {
  ArtifactEntry,
  badEntryName,
  DatasetEntry,
  DetailEntry,
  DUMP_FORMAT,
  DUMP_VERSION,
  MANIFEST,
  type Manifest,
  ManifestSchema,
  type MessageEntry,
  MessagesEntry,
  SessionEntry,
  SnapshotSchema,
} from "./format.ts";

/** An archive refused: too large, else unprocessable; `entry` names the entry at fault. */
export class DumpError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly entry: string | null = null,
    kind: "too_large" | "unprocessable" = "unprocessable",
  ) {
    super(kind, code, entry ? `${entry}: ${message}` : message);
  }
}

/** A checked archive: its bytes, its entries by name and its parsed JSON. */
export interface ValidDump {
  bytes: Uint8Array;
  entries: Map<string, ZipEntryInfo>;
  manifest: Manifest;
  session: z.infer<typeof SessionEntry>;
  messages: MessageEntry[];
  /** Each chart's versions, oldest first, with their snapshots' entry names. */
  artifacts: { id: string; versions: ArtifactEntry[] }[];
  /** Snapshot entries' bytes (as stored, so a restore keeps them byte for byte). */
  snapshots: Map<string, Uint8Array>;
  datasets: { entry: DatasetEntry; detail: Uint8Array }[];
}

/** Largest JSON entry held while checking (a chart's data, a dataset's detail). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

const ARTIFACT = /^artifacts\/([0-9A-Z]{26})\/([1-9][0-9]{0,5})\.json$/;
const SNAPSHOT = /^artifacts\/([0-9A-Z]{26})\/([1-9][0-9]{0,5})\.data\.json$/;
const DATASET = /^datasets\/([0-9A-Z]{26})\/dataset\.json$/;
const DATASET_PART = /^datasets\/([0-9A-Z]{26})\/(raw|table|detail\.json)$/;

function zipProblem(error: ZipReadError): DumpError {
  switch (error.kind) {
    case "bomb":
      return new DumpError(
        "zip_bomb",
        `${error.message}: this is a zip bomb, not a session archive`,
        error.entry,
      );
    case "too_large":
    case "zip64":
      return new DumpError(
        "dump_too_large",
        error.message,
        error.entry,
        "too_large",
      );
    case "truncated":
      return new DumpError(
        "dump_truncated",
        `${error.message}; the archive is incomplete`,
        error.entry,
      );
    default:
      return new DumpError("dump_unreadable", error.message, error.entry);
  }
}

/** Returns an entry's bytes, inflating it with every bound checked. */
function entryBytes(
  bytes: Uint8Array,
  entry: ZipEntryInfo,
  cap: number,
): Uint8Array {
  const out = new Uint8Array(entry.size);
  let at = 0;
  try {
    for (const chunk of inflateEntry(bytes, entry, cap)) {
      out.set(chunk, at);
      at += chunk.length;
    }
  } catch (error) {
    throw error instanceof ZipReadError ? zipProblem(error) : error;
  }
  return at === out.length ? out : out.subarray(0, at);
}

/** Returns an entry's size and SHA-256, inflating it as a stream. */
function entryDigest(bytes: Uint8Array, entry: ZipEntryInfo) {
  const hash = createHash("sha256");
  let size = 0;
  try {
    for (const chunk of inflateEntry(bytes, entry)) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (error) {
    throw error instanceof ZipReadError ? zipProblem(error) : error;
  }
  return { size, sha256: hash.digest("hex") };
}

function parseJson<S extends z.ZodType>(
  name: string,
  bytes: Uint8Array,
  schema: S,
): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new DumpError(
      "dump_invalid_entry",
      `not valid JSON (${(error as Error).message})`,
      name,
    );
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new DumpError(
      "dump_invalid_entry",
      describeIssues(result.error),
      name,
    );
  }
  return result.data;
}

function missing(name: string, from: string): DumpError {
  return new DumpError(
    "dump_missing_entry",
    `refers to ${name}, which the archive does not hold`,
    from,
  );
}

/**
 * Checks an archive held in memory and returns its parsed content; throws a
 * DumpError (4xx) naming the entry and the reason for the first problem.
 */
export function readDump(bytes: Uint8Array, limits: ZipLimits): ValidDump {
  let list: ZipEntryInfo[];
  try {
    list = listZipEntries(bytes, limits);
  } catch (error) {
    throw error instanceof ZipReadError ? zipProblem(error) : error;
  }
  const entries = new Map<string, ZipEntryInfo>();
  for (const entry of list) {
    const bad = badEntryName(entry.name);
    if (bad) {
      throw new DumpError(
        "dump_bad_name",
        `${bad}; entries are plain relative names`,
        entry.name,
      );
    }
    if (entries.has(entry.name)) {
      throw new DumpError(
        "dump_duplicate_entry",
        "appears twice in the archive",
        entry.name,
      );
    }
    entries.set(entry.name, entry);
  }

  const manifestEntry = entries.get(MANIFEST);
  if (!manifestEntry) {
    throw new DumpError(
      "dump_missing_entry",
      "the archive has no manifest; it is not a Chartroom session archive",
      MANIFEST,
    );
  }
  const manifestBytes = entryBytes(bytes, manifestEntry, MAX_JSON_BYTES);
  const head = parseJson(
    MANIFEST,
    manifestBytes,
    ManifestSchema.pick({ format: true, format_version: true }).loose(),
  );
  if (head.format_version !== DUMP_VERSION) {
    throw new DumpError(
      "dump_version",
      `format version ${head.format_version} of ${DUMP_FORMAT}; this Chartroom reads version ${DUMP_VERSION}`,
      MANIFEST,
    );
  }
  const manifest = parseJson(MANIFEST, manifestBytes, ManifestSchema);

  // Every entry listed once and present, every present entry listed.
  const listed = new Map<string, Manifest["entries"][number]>();
  for (const item of manifest.entries) {
    if (listed.has(item.name)) {
      throw new DumpError(
        "dump_duplicate_entry",
        "is listed twice in the manifest",
        item.name,
      );
    }
    if (item.name === MANIFEST) {
      throw new DumpError(
        "dump_invalid_entry",
        "the manifest lists itself",
        MANIFEST,
      );
    }
    if (!entries.has(item.name)) throw missing(item.name, MANIFEST);
    listed.set(item.name, item);
  }
  for (const name of entries.keys()) {
    if (name !== MANIFEST && !listed.has(name)) {
      throw new DumpError(
        "dump_unlisted_entry",
        "is not in the manifest, so it cannot be checked",
        name,
      );
    }
  }

  // Sizes and checksums, in archive order; JSON entries are kept to parse.
  const json = new Map<string, Uint8Array>();
  for (const entry of list) {
    if (entry.name === MANIFEST) continue;
    const item = listed.get(entry.name)!;
    if (entry.size !== item.size) {
      throw new DumpError(
        "dump_checksum",
        `is ${entry.size} bytes, the manifest says ${item.size}`,
        entry.name,
      );
    }
    let digest: { size: number; sha256: string };
    if (entry.name.endsWith(".json")) {
      const data = entryBytes(bytes, entry, MAX_JSON_BYTES);
      digest = {
        size: data.length,
        sha256: createHash("sha256").update(data).digest("hex"),
      };
      json.set(entry.name, data);
    } else {
      digest = entryDigest(bytes, entry);
    }
    if (digest.size !== item.size || digest.sha256 !== item.sha256) {
      throw new DumpError(
        "dump_checksum",
        "its SHA-256 does not match the manifest; the archive is damaged or was altered",
        entry.name,
      );
    }
  }

  const need = (name: string, from: string) => {
    if (!entries.has(name)) throw missing(name, from);
  };
  const jsonOf = (name: string) => {
    const data = json.get(name);
    if (!data) throw missing(name, MANIFEST);
    return data;
  };
  const session = parseJson(
    "session.json",
    jsonOf("session.json"),
    SessionEntry,
  );
  const messages = parseJson(
    "messages.json",
    jsonOf("messages.json"),
    MessagesEntry,
  );

  const versions = new Map<string, ArtifactEntry[]>();
  const snapshots = new Map<string, Uint8Array>();
  const datasets: ValidDump["datasets"] = [];
  const known = new Set(["session.json", "messages.json", MANIFEST]);
  for (const name of entries.keys()) {
    const artifact = ARTIFACT.exec(name);
    const dataset = DATASET.exec(name);
    if (artifact) {
      const entry = parseJson(name, jsonOf(name), ArtifactEntry);
      if (entry.id !== artifact[1] || entry.version !== Number(artifact[2])) {
        throw new DumpError(
          "dump_invalid_entry",
          `holds chart ${entry.id} version ${entry.version}, not the one its name says`,
          name,
        );
      }
      need(entry.data, name);
      if (!SNAPSHOT.test(entry.data)) {
        throw new DumpError(
          "dump_invalid_entry",
          `data: ${entry.data} is not a chart's data entry`,
          name,
        );
      }
      const snapshot: Snapshot = parseJson(
        entry.data,
        jsonOf(entry.data),
        SnapshotSchema,
      );
      for (
        const column of [entry.spec.x, ...entry.spec.series, entry.spec.group]
      ) {
        if (column && !snapshot.columns.some((c) => c.name === column)) {
          throw new DumpError(
            "dump_invalid_entry",
            `the chart draws column ${column}, which its data does not have`,
            name,
          );
        }
      }
      snapshots.set(entry.data, jsonOf(entry.data));
      known.add(name).add(entry.data);
      const list = versions.get(entry.id) ?? [];
      list.push(entry);
      versions.set(entry.id, list);
    } else if (dataset) {
      const entry = parseJson(name, jsonOf(name), DatasetEntry);
      if (entry.id !== dataset[1]) {
        throw new DumpError(
          "dump_invalid_entry",
          `holds dataset ${entry.id}, not the one its name says`,
          name,
        );
      }
      for (const part of [entry.raw, entry.table, entry.detail]) {
        if (part === null) continue;
        need(part, name);
        const match = DATASET_PART.exec(part);
        if (!match || match[1] !== entry.id) {
          throw new DumpError(
            "dump_invalid_entry",
            `${part} is not one of this dataset's files`,
            name,
          );
        }
        known.add(part);
      }
      const detail = parseJson(entry.detail, jsonOf(entry.detail), DetailEntry);
      if (detail.columns.length !== entry.column_count) {
        throw new DumpError(
          "dump_invalid_entry",
          `has ${detail.columns.length} columns, the dataset says ${entry.column_count}`,
          entry.detail,
        );
      }
      known.add(name);
      datasets.push({ entry, detail: jsonOf(entry.detail) });
    }
  }
  for (const name of entries.keys()) {
    if (!known.has(name)) {
      throw new DumpError(
        "dump_invalid_entry",
        "is not an entry of this format (or no record refers to it)",
        name,
      );
    }
  }
  const artifacts = [...versions].map(([id, list]) => ({
    id,
    versions: list.sort((a, b) => a.version - b.version),
  }));
  for (const { id, versions: list } of artifacts) {
    const newest = list.at(-1)!.version;
    if (list.length !== newest) {
      throw missing(
        `every version from 1 to ${newest}`,
        `artifacts/${id}/${newest}.json`,
      );
    }
  }
  const chartIds = new Set(artifacts.map((a) => a.id));
  for (const message of messages) {
    for (const id of message.artifact_ids) {
      if (!chartIds.has(id)) {
        throw missing(`chart ${id}`, "messages.json");
      }
    }
  }
  return {
    bytes,
    entries,
    manifest,
    session,
    messages,
    artifacts: artifacts.sort((a, b) => a.id < b.id ? -1 : 1),
    snapshots,
    datasets: datasets.sort((a, b) => a.entry.id < b.entry.id ? -1 : 1),
  };
}
