/** Fetches artifacts for the islands, sharing one request per artifact version. */
import type { ArtifactDetail } from "./api_types.ts";
import { requestError } from "./errors.ts";

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
    pending = fetch(`${base}/artifacts/${id}${query}`).then(
      async (response) => {
        if (!response.ok) throw await requestError(response);
        return response.json();
      },
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
