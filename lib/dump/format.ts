/**
 * The session archive (`GET /api/sessions/:id/dump`, format version 1): a
 * ZIP whose entries are named below, every JSON entry described by a zod
 * schema here, and `manifest.json` last, listing every other entry with its
 * size and SHA-256. Ids in the archive are the original ones; a restore
 * gives everything new ids and keeps how the entries refer to each other.
 *
 * ```
 * session.json                       title and dates
 * messages.json                      the conversation, oldest first
 * artifacts/<id>/<n>.json            version n of a chart (record)
 * artifacts/<id>/<n>.data.json       its data snapshot
 * datasets/<id>/dataset.json         a dataset's record
 * datasets/<id>/raw                  the uploaded file, as it was
 * datasets/<id>/table                the parsed table (columnar batches)
 * datasets/<id>/detail.json          schema, statistics, planner profile
 * manifest.json                      format, version, entries with SHA-256
 * ```
 */
import { z } from "zod";
import { isId } from "@/lib/ids.ts";
import { ChartSpecSchema, SnapshotSchema } from "@/lib/charts/spec.ts";
import { UPLOAD_FORMATS } from "@/lib/data/sniff.ts";
import { COLUMN_TYPES } from "@/lib/data/table.ts";

/** The archive format's name, in its manifest. */
export const DUMP_FORMAT = "chartroom-session";
/** The format version this build writes and reads. */
export const DUMP_VERSION = 1;
/** The manifest's entry name. */
export const MANIFEST = "manifest.json";

/** Entry names: relative, `/`-separated, each part a plain file name. */
export const ENTRY_NAME =
  /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}){0,3}$/;

/** Returns why an entry name may not be used (a path that leaves the archive, an odd name), or null. */
export function badEntryName(name: string): string | null {
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) {
    return "an absolute path";
  }
  if (name.includes("\\")) return "a path with backslashes";
  if (name.split("/").some((part) => part === ".." || part === ".")) {
    return "a path with . or .. parts";
  }
  if (!ENTRY_NAME.test(name)) return "not a plain relative name";
  return null;
}

const Id = z.string().refine(isId, "must be an id");
const Iso = z.iso.datetime({ offset: true });
const Text = (max: number) => z.string().max(max);

export const ManifestEntry = z.strictObject({
  name: z.string().max(500),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a hex SHA-256"),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/** The manifest, without its version (read first, to refuse another one by name). */
export const ManifestSchema = z.strictObject({
  format: z.literal(DUMP_FORMAT),
  format_version: z.number().int(),
  exported_at: Iso,
  entries: z.array(ManifestEntry).max(200_000),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const SessionEntry = z.strictObject({
  title: Text(500),
  created_at: Iso,
  updated_at: Iso,
});
export type SessionEntry = z.infer<typeof SessionEntry>;

export const MessageEntry = z.strictObject({
  id: Id,
  role: z.enum(["user", "assistant"]),
  content: Text(1_000_000),
  artifact_ids: z.array(Id).max(1000),
  options: z.array(Text(1000)).max(100).optional(),
  created_at: Iso,
});
export const MessagesEntry = z.array(MessageEntry).max(100_000);
export type MessageEntry = z.infer<typeof MessageEntry>;

export const ArtifactEntry = z.strictObject({
  id: Id,
  version: z.number().int().min(1),
  title: Text(1000),
  spec: ChartSpecSchema,
  request: z.unknown(),
  provenance: z.strictObject({
    query: Text(1_000_000),
    params: z.array(z.union([z.string(), z.number(), z.null()])).optional(),
    dataset_id: Text(100),
    dataset_name: Text(1000),
    row_count: z.number().int().min(0),
    execution_ms: z.number().min(0),
  }),
  interpretation: Text(100_000),
  created_at: Iso,
  updated_at: Iso,
  /** The entry holding its data snapshot. */
  data: z.string().max(500),
});
export type ArtifactEntry = z.infer<typeof ArtifactEntry>;

export { SnapshotSchema };

const ColumnType = z.enum(COLUMN_TYPES);

export const DatasetEntry = z.strictObject({
  id: Id,
  name: Text(1000),
  filename: Text(1000).nullable(),
  format: z.enum(UPLOAD_FORMATS).nullable(),
  encoding: z.enum(["utf-8", "utf-16le", "utf-16be", "windows-1252"])
    .nullable(),
  delimiter: Text(4).nullable(),
  sheet: Text(500).nullable(),
  sheets: z.array(Text(500)).max(1000).nullable(),
  row_count: z.number().int().min(0),
  column_count: z.number().int().min(0),
  byte_size: z.number().int().min(0),
  repairs: z.array(Text(1000)).max(1000),
  origin: z.union([
    z.strictObject({ kind: z.literal("upload") }),
    z.strictObject({
      kind: z.literal("workflow"),
      jobId: Text(100),
      step: z.number().int().min(1),
      operation: Text(100),
      inputId: Text(100),
    }),
  ]),
  created_at: Iso,
  /** The entries holding its raw file (uploads only), table and detail. */
  raw: z.string().max(500).nullable(),
  raw_mime: Text(200).nullable(),
  table: z.string().max(500),
  detail: z.string().max(500),
});
export type DatasetEntry = z.infer<typeof DatasetEntry>;

/** A dataset's detail: checked for shape (columns and their types); statistics and profile as stored. */
export const DetailEntry = z.object({
  columns: z.array(
    z.object({ name: Text(1000), type: ColumnType }).passthrough(),
  ).max(100_000),
  stats: z.array(z.object({ name: Text(1000) }).passthrough()).max(100_000),
  profile: z.object({}).passthrough(),
});

/** Entry names of the archive's parts. */
export const entryNames = {
  session: "session.json",
  messages: "messages.json",
  artifact: (id: string, version: number) => `artifacts/${id}/${version}.json`,
  snapshot: (id: string, version: number) =>
    `artifacts/${id}/${version}.data.json`,
  dataset: (id: string) => `datasets/${id}/dataset.json`,
  raw: (id: string) => `datasets/${id}/raw`,
  table: (id: string) => `datasets/${id}/table`,
  detail: (id: string) => `datasets/${id}/detail.json`,
} as const;
