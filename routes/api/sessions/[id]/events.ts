import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { openStreamSlot } from "@/lib/kv/stream_slots.ts";
import { parseWith } from "@/lib/http/validate.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { sseResponse } from "@/lib/http/sse.ts";
import { followEvents } from "@/lib/kv/events.ts";
import { watchTurn } from "@/lib/kv/turns.ts";

const LastEventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const handler: Handlers = {
  /** Replays the session's events after `Last-Event-ID` (or `?after=`), then follows live. */
  async GET(c) {
    const session = await ownedSession(c);
    const raw = c.req.header("last-event-id") ?? c.req.query("after") ?? "0";
    const after = parseWith(LastEventId, raw, "invalid_last_event_id");
    const freeSlot = await openStreamSlot(
      c.var.kv,
      c.var.ownerId,
      c.var.config.QUOTA_SSE_STREAMS,
    );
    // A client that goes away cancels the stream (onCancel); shutdown ends it too.
    const abort = new AbortController();
    const stop = AbortSignal.any([abort.signal, c.var.closing]);
    // A turn whose server died is closed here, so this client sees its end.
    watchTurn(c.var.kv, session.id, c.var.requestId, stop);
    return sseResponse(
      followEvents(c.var.kv, session.id, after, stop, {
        pollMs: c.var.eventPollMs,
      }),
      {
        onCancel: () => abort.abort(),
        onEnd: () => void freeSlot(),
      },
    );
  },
};
