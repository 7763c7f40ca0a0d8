import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { queryOf } from "@/lib/http/validate.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { ARTIFACT_TYPES, listArtifactsBySession } from "@/lib/kv/artifacts.ts";
import { artifactView } from "@/lib/api/build.ts";
import { publicOrigin } from "@/lib/http/urls.ts";

const ListQuery = z.object({
  type: z.enum(ARTIFACT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
}).strict();

export const handler: Handlers = {
  /** Lists the session's artifacts, newest first. */
  async GET(c) {
    const session = await ownedSession(c);
    const query = queryOf(c, ListQuery);
    const page = await listArtifactsBySession(c.var.kv, session.id, query);
    const origin = publicOrigin(c);
    return c.json({
      artifacts: page.values.map((a) => artifactView(a, origin)),
      cursor: page.cursor,
    });
  },
};
