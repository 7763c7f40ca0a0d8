import { z } from "zod";
import { cleanMessage } from "@/lib/text.ts";
import type { Handlers } from "@/lib/http/types.ts";
import { takeIdentityRate } from "@/lib/http/quota.ts";
import { openStreamSlot } from "@/lib/kv/stream_slots.ts";
import { jsonBody } from "@/lib/http/validate.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { EventQueue, sseResponse } from "@/lib/http/sse.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import { loadChatTurn } from "@/lib/agent/turn_loader.ts";
import { listMessages } from "@/lib/kv/messages.ts";
import { messageView } from "@/lib/api/build.ts";
import type { SessionEvent } from "@/lib/kv/events.ts";
import { log } from "@/lib/log.ts";
import { beginTurn, endCrashedTurn } from "@/lib/kv/turns.ts";
import { chatTurnDuration, chatTurns, secondsSince } from "@/lib/metrics.ts";

/** How long a message waits for the session's previous turn before a 409. */
const TURN_WAIT_MS = 120_000;

// An empty or blank message is not an error: it gets the help reply.
const SendMessage = z.object({
  content: z.string().transform(cleanMessage),
}).strict();

export const handler: Handlers = {
  async GET(c) {
    const session = await ownedSession(c);
    const messages = await listMessages(c.var.kv, session.id);
    return c.json({ messages: messages.map(messageView) });
  },
  /** Runs a chat turn; the response streams that turn's events. */
  async POST(c) {
    const session = await ownedSession(c);
    const { content } = await jsonBody(
      c,
      SendMessage,
      c.var.config.MAX_MESSAGE_BYTES,
    );
    const { runChatTurn } = await loadChatTurn();
    await takeIdentityRate(c, "chat_turns");
    const freeSlot = await openStreamSlot(
      c.var.kv,
      c.var.ownerId,
      c.var.config.QUOTA_SSE_STREAMS,
    );
    // One turn of a session at a time (a second waits, or gets a 409).
    const turn = await beginTurn(c.var.kv, session.id, {
      owner: c.var.requestId,
      ttlMs: c.var.config.ARTIFACT_TTL,
      waitMs: TURN_WAIT_MS,
    }).catch(async (error) => {
      await freeSlot();
      throw error;
    });
    const queue = new EventQueue<SessionEvent>();
    const started = performance.now();
    let outcome: "ok" | "error" = "ok";
    // Not awaited: the turn completes and is stored even if the client leaves.
    runChatTurn(
      {
        kv: c.var.kv,
        signingKey: c.var.signingKey,
        origin: publicOrigin(c),
        artifactTtlMs: c.var.config.ARTIFACT_TTL,
        downloadTtlMs: c.var.config.DOWNLOAD_TTL,
        wordDelayMs: c.var.config.STREAM_WORD_DELAY_MS,
        jobs: c.var.jobs,
        eventPollMs: c.var.eventPollMs,
        pageLang: c.var.lang,
        model: c.var.model,
      },
      session,
      content,
      (event) => {
        if (event.type === "error") outcome = "error";
        queue.push(event);
      },
    ).catch(async (error) => {
      log.error("chat turn crashed", { error });
      await endCrashedTurn(c.var.kv, session.id, c.var.config.ARTIFACT_TTL)
        .then((events) => events.forEach((e) => queue.push(e)))
        .catch(() => {});
      outcome = "error";
    }).finally(async () => {
      chatTurns.inc({ outcome });
      chatTurnDuration.observe(secondsSince(started));
      await turn.end();
      queue.end();
    });
    return sseResponse(queue, { onEnd: () => void freeSlot() });
  },
};
