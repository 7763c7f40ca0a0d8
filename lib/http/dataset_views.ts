/** JSON shapes of datasets and workflow jobs, as the API and the islands see them. */
import type { Dataset, DatasetDetail } from "../kv/datasets.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** Returns the API view of a dataset (with its columns) and its links under `origin`. */
export function datasetView(
  dataset: Dataset,
  detail: DatasetDetail,
  origin: string,
) {
  return {
    id: dataset.id,
    session_id: dataset.sessionId,
    name: dataset.name,
    filename: dataset.filename,
    format: dataset.format,
    encoding: dataset.encoding,
    delimiter: dataset.delimiter,
    sheet: dataset.sheet,
    sheets: dataset.sheets,
    rows: dataset.rowCount,
    byte_size: dataset.byteSize,
    columns: detail.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nulls: c.nulls,
      invalid: c.invalid,
      ...(c.dateOrder ? { date_order: c.dateOrder } : {}),
    })),
    repairs: dataset.repairs,
    origin: dataset.origin.kind === "upload" ? { kind: "upload" } : {
      kind: "workflow",
      job_id: dataset.origin.jobId,
      step: dataset.origin.step,
      operation: dataset.origin.operation,
      input_id: dataset.origin.inputId,
    },
    created_at: iso(dataset.createdAt),
    expires_at: iso(dataset.expiresAt),
    url: `${origin}/api/datasets/${dataset.id}`,
    export_url: `${origin}/api/datasets/${dataset.id}/export?format=csv`,
  };
}
