import { z } from "zod";
import { cleanName } from "@/lib/text.ts";
import type { Handlers } from "@/lib/http/types.ts";
import { jsonBody } from "@/lib/http/validate.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { updateSession } from "@/lib/kv/sessions.ts";
import { listMessages } from "@/lib/kv/messages.ts";
import { deleteSession } from "@/lib/kv/session_delete.ts";
import { messageView, sessionView } from "@/lib/api/build.ts";
import { notFound } from "@/lib/errors.ts";

const PatchSession = z.object({
  title: z.string().transform(cleanName).pipe(z.string().min(1).max(200)),
})
  .strict();

export const handler: Handlers = {
  async GET(c) {
    const session = await ownedSession(c);
    const messages = await listMessages(c.var.kv, session.id);
    return c.json({
      ...sessionView(session),
      messages: messages.map(messageView),
    });
  },
  async PATCH(c) {
    const session = await ownedSession(c);
    const input = await jsonBody(c, PatchSession);
    const updated = await updateSession(
      c.var.kv,
      session.id,
      c.var.config.ARTIFACT_TTL,
      () => ({ title: input.title }),
    );
    if (!updated) throw notFound("session");
    return c.json(sessionView(updated));
  },
  async DELETE(c) {
    const session = await ownedSession(c);
    await deleteSession(c.var.jobs, session);
    return c.body(null, 204);
  },
};
