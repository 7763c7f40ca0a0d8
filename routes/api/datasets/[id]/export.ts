import type { Handlers } from "@/lib/http/types.ts";
import { ownedDataset } from "@/lib/http/owned.ts";
import { attachmentDisposition } from "@/lib/http/blob_response.ts";
import { readDatasetDetail, typedBatches } from "@/lib/kv/datasets.ts";
import {
  DATASET_EXPORT_FORMATS,
  EXPORT_MIME,
  exportDataset,
  exportFilename,
  isDatasetExportFormat,
} from "@/lib/exports/dataset.ts";
import { badRequest } from "@/lib/errors.ts";

export const handler: Handlers = {
  /** Streams the whole dataset as a file in `?format=` (csv, tsv, xlsx, json, ndjson). */
  async GET(c) {
    const dataset = await ownedDataset(c);
    const format = c.req.query("format") ?? "csv";
    if (!isDatasetExportFormat(format)) {
      throw badRequest(
        "invalid_format",
        `format must be one of ${DATASET_EXPORT_FORMATS.join(", ")}`,
      );
    }
    const detail = await readDatasetDetail(c.var.kv, dataset);
    const columns = detail.columns.map((col) => ({
      name: col.name,
      type: col.type,
    }));
    const body = exportDataset(
      format,
      columns,
      typedBatches(c.var.kv, dataset, detail.columns),
      dataset.sheet ?? "Data",
    );
    return new Response(body, {
      headers: {
        "content-type": EXPORT_MIME[format],
        "content-disposition": attachmentDisposition(
          exportFilename(dataset.name, format),
        ),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
};
