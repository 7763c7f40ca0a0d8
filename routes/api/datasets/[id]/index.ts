import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { ownedDataset } from "@/lib/http/owned.ts";
import { queryOf } from "@/lib/http/validate.ts";
import { datasetPageView } from "@/lib/api/build.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import {
  deleteDataset,
  readDatasetDetail,
  storedSourceOf,
} from "@/lib/kv/datasets.ts";
import { previewRows } from "@/lib/data/preview.ts";
import { badRequest } from "@/lib/errors.ts";

const PreviewQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(0).max(500).default(50),
  sort: z.string().max(200).optional(),
  dir: z.enum(["asc", "desc"]).default("asc"),
}).strict();

export const handler: Handlers = {
  /** The dataset: schema, statistics per column and a page of rows (`offset`, `limit`, `sort`, `dir`). */
  async GET(c) {
    const dataset = await ownedDataset(c);
    const query = queryOf(c, PreviewQuery);
    const kv = c.var.kv;
    const detail = await readDatasetDetail(kv, dataset);
    if (query.sort && !detail.columns.some((col) => col.name === query.sort)) {
      throw badRequest(
        "invalid_query",
        `sort: no column named "${query.sort}"`,
      );
    }
    const preview = await previewRows(
      storedSourceOf(kv, dataset, detail),
      query,
    );
    return c.json(
      datasetPageView(dataset, detail, publicOrigin(c), preview),
    );
  },
  /** Deletes the dataset and its files. */
  async DELETE(c) {
    const dataset = await ownedDataset(c);
    await deleteDataset(c.var.kv, dataset);
    return c.body(null, 204);
  },
};
