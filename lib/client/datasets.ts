/** The dataset API as the islands use it: lists, pages of rows, uploads with progress. */
import {
  callApi,
  callApiNoContent,
  uploadDatasetFile,
} from "@/lib/api/client.ts";
import type { DatasetPage, DatasetView } from "@/lib/api/views.ts";

export type { DatasetPage, DatasetView };

/** Lists a session's datasets. */
export async function fetchDatasets(sessionId: string): Promise<DatasetView[]> {
  const list = await callApi(
    "GET /api/sessions/:id/datasets",
    `/api/sessions/${sessionId}/datasets`,
  );
  return list.datasets;
}

/** Fetches a dataset with a page of rows. */
export function fetchDatasetPage(
  id: string,
  page: {
    offset: number;
    limit: number;
    sort: string | null;
    dir: "asc" | "desc";
  },
): Promise<DatasetPage> {
  const params = new URLSearchParams({
    offset: String(page.offset),
    limit: String(page.limit),
    dir: page.dir,
  });
  if (page.sort) params.set("sort", page.sort);
  return callApi("GET /api/datasets/:id", `/api/datasets/${id}?${params}`);
}

/** Deletes a dataset. */
export function deleteDatasetRequest(id: string): Promise<void> {
  return callApiNoContent(`/api/datasets/${id}`);
}

/**
 * Uploads a file as the raw request body (XMLHttpRequest, for upload
 * progress); `onProgress` gets the fraction sent. Resolves with the dataset.
 */
export function uploadFile(
  sessionId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<DatasetView> {
  return uploadDatasetFile(
    `/api/sessions/${sessionId}/datasets?filename=${
      encodeURIComponent(file.name)
    }`,
    file,
    onProgress,
  );
}

/** Returns a byte count as "12 KB" / "3.4 MB" (decimal units, the locale's decimal mark). */
export function formatBytes(n: number, locale = "en-US"): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} KB`;
  return `${(Math.round(n / 100_000) / 10).toLocaleString(locale)} MB`;
}
