import { z } from "zod";
import { cleanName } from "@/lib/text.ts";
import type { Handlers } from "@/lib/http/types.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { parseWith } from "@/lib/http/validate.ts";
import { uploadedFile } from "@/lib/http/upload_body.ts";
import { datasetView } from "@/lib/api/build.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import {
  listSessionDatasets,
  readDatasetDetail,
  uploadDataset,
} from "@/lib/kv/datasets.ts";
import { UPLOAD_FORMATS } from "@/lib/data/sniff.ts";
import { storageLimits } from "@/lib/http/quota.ts";
import { checkMembers, listMembers } from "@/lib/kv/quotas.ts";
import { keys } from "@/lib/kv/keys.ts";

const UploadFields = z.object({
  filename: z.string().transform(cleanName).pipe(z.string().min(1).max(255))
    .optional(),
  format: z.enum(UPLOAD_FORMATS).optional(),
  sheet: z.string().trim().max(100).optional(),
});

export const handler: Handlers = {
  /** Lists the session's datasets, oldest first. */
  async GET(c) {
    const session = await ownedSession(c);
    const kv = c.var.kv;
    const origin = publicOrigin(c);
    const datasets = await listSessionDatasets(kv, session.id);
    return c.json({
      datasets: await Promise.all(
        datasets.map(async (d) =>
          datasetView(d, await readDatasetDetail(kv, d), origin)
        ),
      ),
    });
  },
  /** Uploads a file (raw body or multipart) and answers 201 with the new dataset. */
  async POST(c) {
    const session = await ownedSession(c);
    const { config, kv } = c.var;
    const limits = storageLimits(config);
    // Refused before the body is read when the owner is at a limit already.
    checkMembers(
      await listMembers(kv, keys.storedByOwnerPrefix(session.ownerId)),
      0,
      limits,
    );
    const file = await uploadedFile(
      c.req.raw,
      c.req.query(),
      config.MAX_UPLOAD_BYTES,
    );
    const fields = parseWith(UploadFields, {
      filename: file.fields.filename,
      format: file.fields.format || undefined,
      sheet: file.fields.sheet || undefined,
    });
    const dataset = await uploadDataset(kv, {
      sessionId: session.id,
      ownerId: session.ownerId,
      filename: (fields.filename ?? file.filename).replace(/[\\/]/g, "_")
        .slice(0, 255),
      body: file.body,
      format: fields.format,
      sheet: fields.sheet,
      ttlMs: config.ARTIFACT_TTL,
      limits,
      maxRows: config.MAX_UPLOAD_ROWS,
      maxColumns: config.MAX_UPLOAD_COLUMNS,
    });
    const detail = await readDatasetDetail(kv, dataset);
    return c.json(datasetView(dataset, detail, publicOrigin(c)), 201);
  },
};
