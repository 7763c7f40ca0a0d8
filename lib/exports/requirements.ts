/**
 * requirements.txt export: the pinned Python packages that the notebook and
 * the script need, the same for every chart.
 */
import type { Exporter, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { requirementsTxt } from "./python_chart.ts";

/** Returns requirements.txt for the notebook and script exports. */
export function renderRequirements(): ExportResult {
  return {
    body: new TextEncoder().encode(requirementsTxt()),
    mime: "text/plain; charset=utf-8",
    extension: "txt",
    filename: "requirements.txt",
  };
}

/** The requirements.txt exporter. */
export const requirementsExporter: Exporter<Record<string, never>> = {
  mime: "text/plain; charset=utf-8",
  extension: "txt",
  options: NoOptions,
  render: renderRequirements,
};
