/**
 * Server-Sent Events: exact frames (`id`, `event`, `data` as one JSON line), a
 * comment heartbeat, and a stream that stops reading its source when the
 * client goes away (the source's own work is not cancelled by that).
 */
import type { SessionEvent } from "@/lib/kv/events.ts";
import { sseStreamsOpen } from "@/lib/metrics.ts";

const encoder = new TextEncoder();

/** Returns the SSE frame of one session event. */
export function sseFrame(
  event: Pick<SessionEvent, "seq" | "type" | "data">,
): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${
    JSON.stringify(event.data)
  }\n\n`;
}

/**
 * Returns a `text/event-stream` response that writes every event of `source`
 * and a `: ping` comment every `heartbeatMs`. When the client disconnects,
 * `onCancel` runs and the source is no longer read. `onEnd` runs once when
 * the stream ends either way.
 */
export function sseResponse(
  source: AsyncIterable<SessionEvent>,
  options: {
    heartbeatMs?: number;
    onCancel?: () => void;
    onEnd?: () => void;
  } = {},
): Response {
  let timer: ReturnType<typeof setInterval> | undefined;
  let iterator: AsyncIterator<SessionEvent> | undefined;
  let open = true;
  const end = () => {
    if (!open) return;
    open = false;
    clearInterval(timer);
    sseStreamsOpen.dec();
    options.onEnd?.();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      sseStreamsOpen.inc();
      controller.enqueue(encoder.encode(": connected\n\n"));
      timer = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": ping\n\n"));
        } catch {
          clearInterval(timer);
        }
      }, options.heartbeatMs ?? 15_000);
      iterator = source[Symbol.asyncIterator]();
    },
    async pull(controller) {
      let next: IteratorResult<SessionEvent>;
      try {
        next = await iterator!.next();
      } catch (error) {
        end();
        throw error;
      }
      if (next.done) {
        end();
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(sseFrame(next.value)));
    },
    cancel() {
      end();
      options.onCancel?.();
      iterator?.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * An unbounded async queue: one producer pushes, one consumer iterates; `end`
 * finishes the iteration once everything pushed has been read.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #waiting: ((r: IteratorResult<T>) => void) | null = null;
  #ended = false;

  /** Adds an item; dropped silently once the consumer has gone. */
  push(item: T): void {
    if (this.#ended) return;
    if (this.#waiting) {
      this.#waiting({ value: item, done: false });
      this.#waiting = null;
    } else this.#items.push(item);
  }

  /** Marks the end of the items. */
  end(): void {
    this.#ended = true;
    if (this.#waiting && this.#items.length === 0) {
      this.#waiting({ value: undefined, done: true });
      this.#waiting = null;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.#items.length > 0) {
          return Promise.resolve({ value: this.#items.shift()!, done: false });
        }
        if (this.#ended) {
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => (this.#waiting = resolve));
      },
      return: () => {
        this.#ended = true;
        this.#items = [];
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
