/** SSE over a real socket: disconnect mid-turn, resume with Last-Event-ID, heartbeats. */
import assert from "node:assert/strict";
import {
  Client,
  collectFrames,
  type Frame,
  startTestServer,
} from "@/tests/_fixtures.ts";

async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out");
}

Deno.test("sse: a client that disconnects mid-turn resumes with Last-Event-ID and gets every missed event once, in order", async () => {
  // Paced words keep the turn running while the client goes away.
  await using server = await startTestServer({ STREAM_WORD_DELAY_MS: "15" });
  const client = new Client(server.url);
  const sessionId = await client.createSession();

  const response = await client.json(
    `/api/sessions/${sessionId}/messages`,
    "POST",
    {
      content: "line chart of pm25 by date for Kampala",
    },
  );
  const seen = await collectFrames(
    response.body!,
    (f) => f.event === "artifact_created",
  );
  await response.body!.cancel().catch(() => {});
  const lastId = seen.at(-1)!.id!;
  assert.ok(
    !seen.some((f) => f.event === "done"),
    "disconnected before the end",
  );

  // The turn finishes and is stored although nobody listens.
  await waitFor(async () => {
    const session = await (await client.fetch(`/api/sessions/${sessionId}`))
      .json();
    return session.messages.length === 2;
  });

  const resumed = await client.fetch(`/api/sessions/${sessionId}/events`, {
    headers: { "last-event-id": lastId },
  });
  assert.equal(
    resumed.headers.get("content-type"),
    "text/event-stream; charset=utf-8",
  );
  const rest = await collectFrames(resumed.body!, (f) => f.event === "done");
  await resumed.body!.cancel().catch(() => {});

  const all: Frame[] = [...seen, ...rest];
  assert.deepEqual(
    all.map((f) => Number(f.id)),
    all.map((_, i) => i + 1),
    "no gap, no repeat",
  );
  assert.equal(rest[0].id, String(Number(lastId) + 1));
  assert.equal(all.at(-1)!.event, "done");
  const text = all.filter((f) => f.event === "delta").map((f) => f.data.text)
    .join("");
  const stored = await (await client.fetch(`/api/sessions/${sessionId}`))
    .json();
  assert.equal(stored.messages[1].content, text.trim());
});

Deno.test("sse: the events stream follows a later turn live", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const live = await client.fetch(`/api/sessions/${sessionId}/events`);
  const following = collectFrames(live.body!, (f) => f.event === "done");
  await new Promise((r) => setTimeout(r, 50));
  const turn = await client.chat(
    sessionId,
    "bar chart of average no2 per city",
  );
  const followed = await following;
  await live.body!.cancel().catch(() => {});
  assert.deepEqual(
    followed.map((f) => [f.id, f.event]),
    turn.map((f) => [f.id, f.event]),
  );
});

Deno.test("sse: frames are exact and the stream opens with a comment", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await client.chat(sessionId, "bar chart of average no2 per city");
  const response = await client.fetch(
    `/api/sessions/${sessionId}/events?after=0`,
  );
  const reader = response.body!.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  while (!text.includes("event: message\n")) {
    text += (await reader.read()).value;
  }
  await reader.cancel();
  assert.ok(text.startsWith(": connected\n\n"));
  assert.match(
    text,
    /id: 1\nevent: message\ndata: \{"id":"[0-9A-Z]{26}","role":"user","content":"bar chart of average no2 per city","created_at":"[^"]+"\}\n\n/,
  );
});
