/**
 * Every Deno KV key the app writes is built here; no key literal lives elsewhere.
 * Keys of listable collections end in a ULID (or a sequence number), so a prefix
 * listing is time-ordered.
 */

export const keys = {
  /** The session record. */
  session: (sessionId: string) => ["session", sessionId] as const,
  /** Index of an owner's sessions; the value is the session id. */
  sessionByOwner: (ownerId: string, sessionId: string) =>
    ["session_by_owner", ownerId, sessionId] as const,
  sessionsByOwnerPrefix: (ownerId: string) =>
    ["session_by_owner", ownerId] as const,

  /** A chat message of a session. */
  message: (sessionId: string, messageId: string) =>
    ["message", sessionId, messageId] as const,
  messagesPrefix: (sessionId: string) => ["message", sessionId] as const,

  /** The artifact record. */
  artifact: (artifactId: string) => ["artifact", artifactId] as const,
  /** Index of a session's artifacts; the value is the artifact id. */
  artifactBySession: (sessionId: string, artifactId: string) =>
    ["artifact_by_session", sessionId, artifactId] as const,
  artifactsBySessionPrefix: (sessionId: string) =>
    ["artifact_by_session", sessionId] as const,
  /** Index of an owner's artifacts by type; the value is the artifact id. */
  artifactByOwnerType: (ownerId: string, type: string, artifactId: string) =>
    ["artifact_by_owner_type", ownerId, type, artifactId] as const,
  artifactsByOwnerTypePrefix: (ownerId: string, type: string) =>
    ["artifact_by_owner_type", ownerId, type] as const,
  /** A previous version of an artifact, kept when it is re-versioned. */
  artifactVersion: (artifactId: string, version: number) =>
    ["artifact_version", artifactId, version] as const,
  artifactVersionsPrefix: (artifactId: string) =>
    ["artifact_version", artifactId] as const,

  /** The highest event sequence number of a session's event log. */
  eventSeq: (sessionId: string) => ["event_seq", sessionId] as const,
  /** One event of a session's event log, keyed by its sequence number. */
  event: (sessionId: string, seq: number) => ["event", sessionId, seq] as const,
  eventsPrefix: (sessionId: string) => ["event", sessionId] as const,

  /** Blob metadata; written last, so a blob without it does not exist. */
  blobMeta: (blobId: string) => ["blob", blobId, "meta"] as const,
  /** One chunk (at most BLOB_CHUNK_BYTES) of a blob's content. */
  blobChunk: (blobId: string, index: number) =>
    ["blob", blobId, "chunk", index] as const,
  blobChunksPrefix: (blobId: string) => ["blob", blobId, "chunk"] as const,
  blobPrefix: (blobId: string) => ["blob", blobId] as const,
  /** Marks a blob being written, so a sweeper can remove an abandoned write. */
  blobPending: (blobId: string) => ["blob_pending", blobId] as const,
  blobsPendingPrefix: () => ["blob_pending"] as const,
  /** Index of a session's blobs; the value is the blob id. */
  blobBySession: (sessionId: string, blobId: string) =>
    ["blob_by_session", sessionId, blobId] as const,
  blobsBySessionPrefix: (sessionId: string) =>
    ["blob_by_session", sessionId] as const,
  /** Download cache of a session: a hash of (artifact, version, format, options) → blob id. */
  download: (sessionId: string, hash: string) =>
    ["download", sessionId, hash] as const,
  downloadsPrefix: (sessionId: string) => ["download", sessionId] as const,

  /** Render API cache: a hash of the normalised render request → its blob. */
  renderCache: (hash: string) => ["render_cache", hash] as const,
  /** The render cache's images in the order they were stored (oldest first), for eviction. */
  renderCacheOrder: (id: string) => ["render_cache_order", id] as const,
  renderCacheOrderPrefix: () => ["render_cache_order"] as const,
  /** The render cache's total: bytes and images it holds. */
  renderCacheTotal: () => ["render_cache_total"] as const,

  /** A dataset uploaded to a session. */
  dataset: (datasetId: string) => ["dataset", datasetId] as const,
  datasetBySession: (sessionId: string, datasetId: string) =>
    ["dataset_by_session", sessionId, datasetId] as const,
  datasetsBySessionPrefix: (sessionId: string) =>
    ["dataset_by_session", sessionId] as const,

  /** A background job (workflow run, session delete); its lease is `lease("job", id)`. */
  job: (jobId: string) => ["job", jobId] as const,
  jobsPrefix: () => ["job"] as const,
  /** Index of a session's jobs; the value is the job id. */
  jobBySession: (sessionId: string, jobId: string) =>
    ["job_by_session", sessionId, jobId] as const,
  jobsBySessionPrefix: (sessionId: string) =>
    ["job_by_session", sessionId] as const,

  /** The lease of a piece of work (a job, a turn, a housekeeping slot): who holds it, until when. */
  lease: (kind: string, id: string) => ["lease", kind, id] as const,
  leasesPrefix: (kind: string) => ["lease", kind] as const,

  /** A share link, by its token (lib/kv/shares.ts). */
  share: (token: string) => ["share", token] as const,
  /** Index of a session's live share links; the value is the token. */
  shareBySession: (sessionId: string, shareId: string) =>
    ["share_by_session", sessionId, shareId] as const,
  sharesBySessionPrefix: (sessionId: string) =>
    ["share_by_session", sessionId] as const,
  /** When a share link was last opened (ms since the epoch). */
  shareOpened: (token: string) => ["share_opened", token] as const,

  /** An API token: its owner, name and the SHA-256 of its secret (never the secret). */
  apiToken: (tokenId: string) => ["api_token", tokenId] as const,
  /** Index of an owner's API tokens; the value is the token id. */
  apiTokenByOwner: (ownerId: string, tokenId: string) =>
    ["api_token_by_owner", ownerId, tokenId] as const,
  apiTokensByOwnerPrefix: (ownerId: string) =>
    ["api_token_by_owner", ownerId] as const,

  /** A rate limit's count of one subject (an identity, an IP) in its current window. */
  quotaWindow: (limit: string, subject: string) =>
    ["quota", limit, subject] as const,
  /** What one dataset adds to its owner's stored bytes; the value is `{bytes, expiresAt}`. */
  storedByOwner: (ownerId: string, datasetId: string) =>
    ["stored_by_owner", ownerId, datasetId] as const,
  storedByOwnerPrefix: (ownerId: string) =>
    ["stored_by_owner", ownerId] as const,
  /** An open event stream of an owner, renewed while it is open; `{expiresAt}`. */
  streamByOwner: (ownerId: string, streamId: string) =>
    ["stream_by_owner", ownerId, streamId] as const,
  streamsByOwnerPrefix: (ownerId: string) =>
    ["stream_by_owner", ownerId] as const,
  /**
   * Changed by every commit that adds to a counted set of an owner (stored
   * datasets, open streams), so two adds made at once cannot both pass a limit.
   */
  quotaGuard: (set: string, ownerId: string) =>
    ["quota_guard", set, ownerId] as const,

  /** App secrets, such as the signing key created on first start. */
  secret: (name: string) => ["secret", name] as const,

  /** A store-wide figure, such as the bytes housekeeping counted (no TTL). */
  stats: (name: string) => ["stats", name] as const,

  /** Round-trip probe used by /health. */
  health: (probeId: string) => ["health", probeId] as const,
} as const;

/** Every key prefix that holds records belonging to one session. */
export function sessionScopedPrefixes(sessionId: string): Deno.KvKey[] {
  return [
    keys.messagesPrefix(sessionId),
    keys.artifactsBySessionPrefix(sessionId),
    keys.eventsPrefix(sessionId),
    keys.blobsBySessionPrefix(sessionId),
    keys.datasetsBySessionPrefix(sessionId),
    keys.jobsBySessionPrefix(sessionId),
    keys.downloadsPrefix(sessionId),
    keys.sharesBySessionPrefix(sessionId),
  ];
}
