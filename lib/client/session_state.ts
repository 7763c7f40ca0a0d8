/**
 * State shared by the islands of one session page (they share this module
 * through the bundle's code splitting): the chat announces charts here and the
 * canvas opens them.
 */
import { signal } from "@preact/signals";

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
