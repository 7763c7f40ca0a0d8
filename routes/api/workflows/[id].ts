import type { Handlers } from "@/lib/http/types.ts";
import { getOwnedJob } from "@/lib/kv/jobs.ts";
import { workflowView } from "@/lib/api/build.ts";
import type { WorkflowRequest } from "@/lib/workflows/schema.ts";
import { isId } from "@/lib/ids.ts";
import { notFound } from "@/lib/errors.ts";

export const handler: Handlers = {
  /** A workflow run: its status, steps, outputs with download links, and any failure. */
  async GET(c) {
    const id = c.req.param("id") ?? "";
    const job = isId(id)
      ? await getOwnedJob<WorkflowRequest>(c.var.kv, id, c.var.ownerId)
      : null;
    if (!job) throw notFound("workflow");
    return c.json(workflowView(job));
  },
};
