/** The dataset API as the islands use it: shapes, uploads with progress, previews. */
import type { ColumnStats } from "../data/infer.ts";
import { RequestError, requestError } from "./errors.ts";

export interface DatasetColumnView {
  name: string;
  type: string;
  nulls: number;
  invalid: number;
}

export interface DatasetView {
  id: string;
  session_id: string;
  name: string;
  filename: string | null;
  format: string | null;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  sheets: string[] | null;
  rows: number;
  byte_size: number;
  columns: DatasetColumnView[];
  repairs: string[];
  origin: { kind: "upload" } | {
    kind: "workflow";
    job_id: string;
    step: number;
    operation: string;
  };
  created_at: string;
  url: string;
  export_url: string;
}

export interface DatasetPage extends DatasetView {
  stats: ColumnStats[];
  preview: {
    columns: { name: string; type: string }[];
    rows: (string | number | boolean | null)[][];
    offset: number;
    limit: number;
    total: number;
    sort: string | null;
    dir: "asc" | "desc";
  };
}

/** Lists a session's datasets. */
export async function fetchDatasets(sessionId: string): Promise<DatasetView[]> {
  const response = await fetch(`/api/sessions/${sessionId}/datasets`);
  if (!response.ok) throw await requestError(response);
  return (await response.json()).datasets;
}

/** Fetches a dataset with a page of rows. */
export async function fetchDatasetPage(
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
  const response = await fetch(`/api/datasets/${id}?${params}`);
  if (!response.ok) throw await requestError(response);
  return await response.json();
}

/** Deletes a dataset. */
export async function deleteDatasetRequest(id: string): Promise<void> {
  const response = await fetch(`/api/datasets/${id}`, { method: "DELETE" });
  if (!response.ok) throw await requestError(response);
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
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(
      "POST",
      `/api/sessions/${sessionId}/datasets?filename=${
        encodeURIComponent(file.name)
      }`,
    );
    xhr.setRequestHeader(
      "content-type",
      file.type || "application/octet-stream",
    );
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) resolve(xhr.response as DatasetView);
      else reject(new RequestError(xhr.status, xhr.response?.error?.message));
    };
    xhr.onerror = () => reject(new RequestError(0));
    xhr.send(file);
  });
}

/** Returns a byte count as "12 KB" / "3.4 MB" (decimal units, the locale's decimal mark). */
export function formatBytes(n: number, locale = "en-US"): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} KB`;
  return `${(Math.round(n / 100_000) / 10).toLocaleString(locale)} MB`;
}
