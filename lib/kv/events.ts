/**
 * The session event log. Each event gets the next sequence number of its
 * session (a check-and-set on the counter), so ids are strictly ordered and a
 * client can resume after `Last-Event-ID`.
 */
import { keys } from "./keys.ts";
import { type Expiring, liveValue } from "./ttl.ts";
import { appendEventBatched, type KvWrite } from "./event_batch.ts";
import {
  SESSION_EVENT_NAMES,
  type SessionEventName,
} from "@/lib/api/event_names.ts";

/** Every event name the log holds: the contract's (lib/api/events.ts). */
export const EVENT_TYPES: readonly SessionEventName[] = SESSION_EVENT_NAMES;
export type EventType = SessionEventName;

export interface SessionEvent extends Expiring {
  seq: number;
  type: EventType;
  data: Record<string, unknown>;
  createdAt: number;
}

/**
 * Adds the next event of a session's log to `op`: reads the counter and adds
 * its check, so the commit fails (and is retried by its caller) when another
 * event got the number first. Returns the event the commit would store.
 */
export async function addEventToCommit(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  sessionId: string,
  type: EventType,
  data: Record<string, unknown>,
  ttlMs: number,
): Promise<SessionEvent> {
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
  op.check(counter)
    .set(keys.eventSeq(sessionId), seq, { expireIn: ttlMs })
    .set(keys.event(sessionId, seq), event, { expireIn: ttlMs });
  return event;
}

export type { KvWrite };

/**
 * Appends an event to a session's log and returns it with its sequence number,
 * once stored; `writes` (the record the event announces) are stored in the
 * same commit. Appends made at the same time in this process share a commit
 * (`event_batch.ts`).
 */
export function appendEvent(
  kv: Deno.Kv,
  sessionId: string,
  type: EventType,
  data: Record<string, unknown>,
  ttlMs: number,
  writes: KvWrite[] = [],
): Promise<SessionEvent> {
  return appendEventBatched(kv, sessionId, type, data, ttlMs, writes);
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

/** How a follower learns that a session's log grew. */
export interface FollowOptions {
  /**
   * Also read the log's counter this often (ms) and wake when its versionstamp
   * moved: for a local file that other processes write, whose commits
   * `kv.watch` in this process does not see. 0 relies on `kv.watch` alone.
   */
  pollMs?: number;
}

/**
 * Yields the session's events after `afterSeq`: first those already stored,
 * then new ones as they are appended, until `signal` aborts. New events are
 * noticed through `kv.watch` on the log's counter (which sees every instance's
 * writes on Deploy and KV Connect, and this process's on a local file) and,
 * with `pollMs`, a poll of that counter's versionstamp. Each wake-up lists the
 * log after the last event yielded, so no event is skipped or repeated.
 */
export async function* followEvents(
  kv: Deno.Kv,
  sessionId: string,
  afterSeq: number,
  signal: AbortSignal,
  options: FollowOptions = {},
): AsyncGenerator<SessionEvent> {
  let last = afterSeq;
  const wake = new Wakeup();
  const counterKey = keys.eventSeq(sessionId);
  const reader = kv.watch([counterKey]).getReader();
  const stop = () => {
    reader.cancel().catch(() => {});
    wake.close();
  };
  signal.addEventListener("abort", stop, { once: true });
  (async () => {
    while (!signal.aborted) {
      const { done } = await reader.read();
      if (done) break;
      wake.notify();
    }
  })().catch(() => {}).finally(() => {
    // Without a poll nothing else would wake this follower again.
    if (!options.pollMs) wake.close();
  });
  const poll = options.pollMs
    ? pollVersionstamp(kv, counterKey, options.pollMs, signal, wake)
    : null;
  try {
    while (!signal.aborted) {
      wake.clear();
      const batch = await listEventsAfter(kv, sessionId, last);
      for (const event of batch) {
        last = event.seq;
        yield event;
      }
      if (batch.length === 1000) continue;
      if (!await wake.wait()) return;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
    await poll;
  }
}

async function pollVersionstamp(
  kv: Deno.Kv,
  key: Deno.KvKey,
  everyMs: number,
  signal: AbortSignal,
  wake: Wakeup,
): Promise<void> {
  let seen: string | null | undefined;
  while (!signal.aborted && !wake.closed) {
    try {
      const { versionstamp } = await kv.get(key);
      if (seen !== undefined && versionstamp !== seen) wake.notify();
      seen = versionstamp;
    } catch {
      // The store went away (shutdown): the follower ends with it.
      return;
    }
    await wake.sleep(everyMs);
  }
}

/** A level-triggered signal: `notify` before `wait` is not lost. */
class Wakeup {
  #pending = false;
  #waiter: ((woken: boolean) => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sleeper: (() => void) | null = null;
  closed = false;

  notify(): void {
    this.#pending = true;
    this.#waiter?.(true);
    this.#waiter = null;
  }

  clear(): void {
    this.#pending = false;
  }

  /** Resolves true when notified (now or later), false once closed. */
  wait(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.#pending) return Promise.resolve(true);
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  /** Resolves after `ms`, or at once when closed. */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#sleeper = resolve;
      this.#timer = setTimeout(() => {
        this.#sleeper = null;
        resolve();
      }, ms);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.#timer);
    this.#sleeper?.();
    this.#waiter?.(false);
    this.#waiter = null;
  }
}
