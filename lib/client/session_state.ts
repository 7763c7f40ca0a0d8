/**
 * State shared by the islands of one session page (they share this module
 * through the bundle's code splitting): the chat announces charts here and the
 * canvas opens them.
 */
import { signal } from "@preact/signals";
import { callApi } from "@/lib/api/client.ts";

export interface ChartAnnouncement {
  artifactId: string;
  version: number;
  /** Bumped on every announcement so the same artifact can be re-opened. */
  at: number;
}

/** The chart the canvas should show; set by the chat when a chart arrives. */
export const announcedChart = signal<ChartAnnouncement | null>(null);

/** Asks the canvas to open an artifact (and refresh its list). */
export function announceChart(artifactId: string, version = 1): void {
  announcedChart.value = { artifactId, version, at: Date.now() };
}

/** The dataset the canvas previews (its Data panel), or null for the charts. */
export const openedDataset = signal<string | null>(null);

/** Asks the canvas to preview a dataset. */
export function openDataset(datasetId: string): void {
  openedDataset.value = datasetId;
}

/** Returns the canvas to the charts. */
export function closeDataset(): void {
  openedDataset.value = null;
}

/** A file dropped somewhere else on the page (the chat), for the Uploader to send. */
export const uploadRequest = signal<{ file: File; at: number } | null>(null);

/** Hands a file to the Uploader island. */
export function requestUpload(file: File): void {
  uploadRequest.value = { file, at: Date.now() };
}

/** Bumped when the session's datasets changed (an upload, a workflow's outputs). */
export const datasetsVersion = signal(0);

/** Tells the dataset list to refresh. */
export function datasetsChanged(): void {
  datasetsVersion.value++;
}

/** The session's title once its first request named it (null: as the page was rendered). */
export const sessionTitle = signal<string | null>(null);

/** Reads the session's title again, for the page's heading. */
export async function refreshSessionTitle(sessionId: string): Promise<void> {
  const session = await callApi(
    "GET /api/sessions/:id",
    `/api/sessions/${sessionId}`,
  ).catch(() => null);
  if (session) sessionTitle.value = session.title;
}
