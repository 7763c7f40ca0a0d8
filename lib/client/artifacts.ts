/** Fetches artifacts for the islands, sharing one request per artifact version. */
import { callApi } from "@/lib/api/client.ts";
import type { ArtifactDetail } from "@/lib/api/views.ts";

const cache = new Map<string, Promise<ArtifactDetail>>();

/**
 * Returns an artifact with its data and option; `version` omitted means the
 * newest. `base` is `/api`, or a share link's `/s/<token>` (read-only).
 */
export function fetchArtifact(
  id: string,
  version?: number,
  base = "/api",
): Promise<ArtifactDetail> {
  const key = `${base}/${id}@${version ?? "latest"}`;
  let pending = cache.get(key);
  if (!pending) {
    const query = version ? `?version=${version}` : "";
    // The share link's read-only route answers as the API's does.
    pending = callApi(
      "GET /api/artifacts/:id",
      `${base}/artifacts/${id}${query}`,
    );
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/** Forgets the cached newest version of an artifact (it has changed). */
export function forgetLatest(id: string, base = "/api"): void {
  cache.delete(`${base}/${id}@latest`);
}
