/**
 * The session event log. Each event gets the next sequence number of its
 * session (a check-and-set on the counter), so ids are strictly ordered and a
 * client can resume after `Last-Event-ID`.
 */
import { keys } from "./keys.ts";
import { type Expiring, liveValue } from "./ttl.ts";
import { retryCommit } from "./commit.ts";

export const EVENT_TYPES = [
  "message",
  "delta",
  "chart",
  "artifact_created",
  "artifact_updated",
  "download",
  "progress",
  "workflow_started",
  "workflow_completed",
  "workflow_failed",
  "error",
  "done",
] as const;
export type EventType = typeof EVENT_TYPES[number];

export interface SessionEvent extends Expiring {
  seq: number;
  type: EventType;
  data: Record<string, unknown>;
  createdAt: number;
}

/** Appends an event to a session's log and returns it with its sequence number. */
export function appendEvent(
  kv: Deno.Kv,
  sessionId: string,
  type: EventType,
  data: Record<string, unknown>,
  ttlMs: number,
): Promise<SessionEvent> {
  return retryCommit("event append", async () => {
    const counter = await kv.get<number>(keys.eventSeq(sessionId));
    const seq = (counter.value ?? 0) + 1;
    const now = Date.now();
    const event: SessionEvent = {
      seq,
      type,
      data,
      createdAt: now,
      expiresAt: now + ttlMs,
    };
    const result = await kv.atomic()
      .check(counter)
      .set(keys.eventSeq(sessionId), seq, { expireIn: ttlMs })
      .set(keys.event(sessionId, seq), event, { expireIn: ttlMs })
      .commit();
    return result.ok ? event : null;
  });
}

/** Lists a session's events with a sequence number above `afterSeq`, in order. */
export async function listEventsAfter(
  kv: Deno.Kv,
  sessionId: string,
  afterSeq: number,
  limit = 1000,
): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  const now = Date.now();
  for await (
    const entry of kv.list<SessionEvent>({
      start: keys.event(sessionId, afterSeq + 1),
      end: keys.event(sessionId, Number.MAX_SAFE_INTEGER),
    }, { limit })
  ) {
    const value = liveValue(entry, now);
    if (value) out.push(value);
  }
  return out;
}

/**
 * Yields the session's events after `afterSeq`: first those already stored,
 * then new ones as they are appended (through `kv.watch` on the counter, which
 * works across instances on Deno Deploy), until `signal` aborts.
 */
export async function* followEvents(
  kv: Deno.Kv,
  sessionId: string,
  afterSeq: number,
  signal: AbortSignal,
): AsyncGenerator<SessionEvent> {
  let last = afterSeq;
  const stream = kv.watch([keys.eventSeq(sessionId)]);
  const reader = stream.getReader();
  const stop = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", stop, { once: true });
  try {
    while (!signal.aborted) {
      const batch = await listEventsAfter(kv, sessionId, last);
      for (const event of batch) {
        last = event.seq;
        yield event;
      }
      const { done } = await reader.read();
      if (done) return;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}
