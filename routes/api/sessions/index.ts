import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { jsonBody, queryOf } from "@/lib/http/validate.ts";
import { createSession, listSessionsByOwner } from "@/lib/kv/sessions.ts";
import { sessionView } from "@/lib/api/build.ts";
import { cleanName } from "@/lib/text.ts";

const CreateSession = z.object({
  title: z.string().transform(cleanName).pipe(z.string().max(200)).optional(),
}).strict();
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
}).strict();

export const handler: Handlers = {
  async GET(c) {
    const query = queryOf(c, ListQuery);
    const page = await listSessionsByOwner(c.var.kv, c.var.ownerId, query);
    return c.json({
      sessions: page.values.map(sessionView),
      cursor: page.cursor,
    });
  },
  async POST(c) {
    const hasBody = (c.req.header("content-length") ?? "0") !== "0";
    const input = hasBody ? await jsonBody(c, CreateSession) : {};
    const session = await createSession(c.var.kv, {
      ownerId: c.var.ownerId,
      title: input.title,
      ttlMs: c.var.config.ARTIFACT_TTL,
    });
    return c.json(sessionView(session), 201);
  },
};
