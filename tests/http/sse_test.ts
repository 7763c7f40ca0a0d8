import assert from "node:assert/strict";
import { EventQueue, sseFrame, sseResponse } from "@/lib/http/sse.ts";
import type { SessionEvent } from "@/lib/kv/events.ts";

Deno.test("sse: a frame is id, event and one line of JSON data", () => {
  assert.equal(
    sseFrame({ seq: 4, type: "delta", data: { text: "a\nb" } }),
    'id: 4\nevent: delta\ndata: {"text":"a\\nb"}\n\n',
  );
});

Deno.test("sse: an idle stream sends comment heartbeats", async () => {
  const queue = new EventQueue<SessionEvent>();
  const response = sseResponse(queue, { heartbeatMs: 20 });
  const reader = response.body!.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  while ((text.match(/: ping/g) ?? []).length < 2) {
    text += (await reader.read()).value;
  }
  assert.ok(text.startsWith(": connected\n\n: ping\n\n"));
  await reader.cancel();
});

Deno.test("sse: cancelling the response stops reading the source", async () => {
  const queue = new EventQueue<SessionEvent>();
  let cancelled = false;
  const response = sseResponse(queue, { onCancel: () => (cancelled = true) });
  await response.body!.cancel();
  assert.equal(cancelled, true);
  queue.push({ seq: 1, type: "done", data: {}, createdAt: 0, expiresAt: 1 });
});
