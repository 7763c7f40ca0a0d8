import type { Handlers } from "@/lib/http/types.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { jsonBody } from "@/lib/http/validate.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import { WorkflowRequest } from "@/lib/workflows/schema.ts";
import { startWorkflow } from "@/lib/workflows/run.ts";
import { workflowStartedView, workflowView } from "@/lib/api/build.ts";
import { listSessionJobs } from "@/lib/kv/jobs.ts";

export const handler: Handlers = {
  /** Lists the session's workflow runs, newest first. */
  async GET(c) {
    const session = await ownedSession(c);
    const jobs = await listSessionJobs<WorkflowRequest>(c.var.kv, session.id);
    return c.json({ workflows: jobs.map(workflowView) });
  },
  /** Starts a workflow as a background job; answers 202 with the job (progress arrives on /events). */
  async POST(c) {
    const session = await ownedSession(c);
    const request = await jsonBody(c, WorkflowRequest);
    const job = await startWorkflow(c.var.jobs, c.var.kv, {
      session,
      request,
      origin: publicOrigin(c),
      ttlMs: c.var.config.ARTIFACT_TTL,
    });
    return c.json(workflowStartedView(job), 202);
  },
};
