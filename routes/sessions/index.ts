import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { parseWith } from "@/lib/http/validate.ts";
import { readBodyText } from "@/lib/http/guards.ts";
import { createSession } from "@/lib/kv/sessions.ts";

const NewSessionForm = z.object({
  prompt: z.string().trim().max(2000).optional(),
});

export const handler: Handlers = {
  /** The home page's form: creates a session and opens it (with a first prompt, if given). */
  async POST(c) {
    const text = await readBodyText(c.req.raw, 16 * 1024);
    const form = parseWith(
      NewSessionForm,
      Object.fromEntries(new URLSearchParams(text)),
    );
    const session = await createSession(c.var.kv, {
      ownerId: c.var.ownerId,
      ttlMs: c.var.config.ARTIFACT_TTL,
    });
    const query = form.prompt
      ? `?prompt=${encodeURIComponent(form.prompt)}`
      : "";
    return c.redirect(`/sessions/${session.id}${query}`, 303);
  },
};
