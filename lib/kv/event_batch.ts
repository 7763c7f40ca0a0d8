/**
 * Group commit for the session event logs. Appends that arrive while a
 * commit is under way (other turns, other sessions, in this process) go
 * together in the next commit: each session's counter is read once, checked
 * once and advanced by its events, in the order they arrived. A store takes
 * one write at a time however many processes share it, so fewer, fuller
 * commits are what lets more turns run at once. A lone append commits at
 * once (after the appends made in the same task), as before.
 */
import { keys } from "./keys.ts";
import { getMany } from "./batch.ts";
import { ConflictError } from "./commit.ts";
import type { EventType, SessionEvent } from "./events.ts";

/** A record stored in the same commit as an event (the message it announces, say). */
export interface KvWrite {
  key: Deno.KvKey;
  value: unknown;
  expireIn: number;
}

interface Pending {
  sessionId: string;
  type: EventType;
  data: Record<string, unknown>;
  ttlMs: number;
  writes: KvWrite[];
  bytes: number;
  resolve: (event: SessionEvent) => void;
  reject: (error: unknown) => void;
}

/** At most this many events, and this much data, in one commit (KV allows 1,000 mutations and 800 KiB). */
const MAX_EVENTS = 64;
const MAX_BYTES = 256 * 1024;
const TRIES = 30;

class EventBatcher {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(readonly kv: Deno.Kv) {}

  append(
    sessionId: string,
    type: EventType,
    data: Record<string, unknown>,
    ttlMs: number,
    writes: KvWrite[],
  ): Promise<SessionEvent> {
    const { promise, resolve, reject } = Promise.withResolvers<SessionEvent>();
    const bytes = JSON.stringify([data, writes]).length +
      128 * (1 + writes.length);
    this.#queue.push({
      sessionId,
      type,
      data,
      ttlMs,
      writes,
      bytes,
      resolve,
      reject,
    });
    if (!this.#flushing) {
      // After the current task's other appends (a turn's words, say), so
      // they share the first commit too.
      this.#flushing = true;
      queueMicrotask(() => this.#flush());
    }
    return promise;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#take();
        try {
          const events = await this.#commit(batch);
          batch.forEach((p, i) => p.resolve(events[i]));
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          // One event the store refuses (too large, say) fails alone.
          else for (const p of batch) await this.#commitAlone(p);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #take(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (
      this.#queue.length > 0 && batch.length < MAX_EVENTS &&
      (batch.length === 0 || bytes + this.#queue[0].bytes <= MAX_BYTES)
    ) {
      const next = this.#queue.shift()!;
      bytes += next.bytes;
      batch.push(next);
    }
    return batch;
  }

  async #commitAlone(p: Pending): Promise<void> {
    try {
      p.resolve((await this.#commit([p]))[0]);
    } catch (error) {
      p.reject(error);
    }
  }

  /** Commits the batch, re-reading the counters when another writer moved one first. */
  async #commit(batch: Pending[]): Promise<SessionEvent[]> {
    const sessions = [...new Set(batch.map((p) => p.sessionId))];
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const counters = await getMany<number>(
        this.kv,
        sessions.map((id) => keys.eventSeq(id)),
      );
      const next = new Map(
        sessions.map((id, i) => [id, counters[i].value ?? 0]),
      );
      const now = Date.now();
      const op = this.kv.atomic();
      counters.forEach((entry) => op.check(entry));
      const events = batch.map((p) => {
        const seq = next.get(p.sessionId)! + 1;
        next.set(p.sessionId, seq);
        const event: SessionEvent = {
          seq,
          type: p.type,
          data: p.data,
          createdAt: now,
          expiresAt: now + p.ttlMs,
        };
        op.set(keys.event(p.sessionId, seq), event, { expireIn: p.ttlMs });
        for (const w of p.writes) {
          op.set(w.key, w.value, { expireIn: w.expireIn });
        }
        return event;
      });
      // Each counter lives as long as the last event written with it.
      const ttlOf = new Map(batch.map((p) => [p.sessionId, p.ttlMs]));
      for (const id of sessions) {
        op.set(keys.eventSeq(id), next.get(id)!, { expireIn: ttlOf.get(id)! });
      }
      if ((await op.commit()).ok) return events;
      await new Promise((r) =>
        setTimeout(r, Math.random() * 3 * (attempt + 1))
      );
    }
    throw new ConflictError("event append");
  }
}

const batchers = new WeakMap<Deno.Kv, EventBatcher>();

/**
 * Appends an event through this process's group commit for `kv`, with
 * `writes` in the same commit; resolves with the event once stored.
 */
export function appendEventBatched(
  kv: Deno.Kv,
  sessionId: string,
  type: EventType,
  data: Record<string, unknown>,
  ttlMs: number,
  writes: KvWrite[] = [],
): Promise<SessionEvent> {
  let batcher = batchers.get(kv);
  if (!batcher) batchers.set(kv, batcher = new EventBatcher(kv));
  return batcher.append(sessionId, type, data, ttlMs, writes);
}
