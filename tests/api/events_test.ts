/**
 * The session event contract (lib/api/events.ts) against a real server: every
 * frame of chat turns (chart, revision, download, question) and of a workflow
 * job parses with its event's schema, and parsing drops nothing, so a field
 * the server sends and the contract does not name fails here.
 */
import assert from "node:assert/strict";
import { SESSION_EVENT_NAMES, SessionEventPayload } from "@/lib/api/events.ts";
import {
  assertEventContract,
  Client,
  collectFrames,
  startTestServer,
} from "@/tests/_fixtures.ts";

Deno.test("events contract: the browser's event names are the schemas', in order", () => {
  assert.deepEqual(
    SessionEventPayload.options.map((o) => o.shape.event.value),
    [...SESSION_EVENT_NAMES],
  );
});

Deno.test("events contract: every frame of chat turns and of a workflow fits its schema exactly", async () => {
  await using server = await startTestServer({ STREAM_WORD_DELAY_MS: "0" });
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const seen = new Set<string>();
  for (
    const prompt of [
      "line chart of pm25 by date for Kampala",
      "make it a bar chart",
      "export it as csv",
      "chart",
    ]
  ) {
    const frames = await client.chat(sessionId, prompt);
    assertEventContract(frames);
    for (const f of frames) seen.add(f.event);
  }
  for (
    const name of [
      "message",
      "delta",
      "chart",
      "artifact_created",
      "artifact_updated",
      "download",
      "done",
    ]
  ) assert.ok(seen.has(name), `no ${name} event was seen`);

  const upload = await client.fetch(
    `/api/sessions/${sessionId}/datasets?filename=people.csv`,
    { method: "POST", body: "id,name,spend\n1,Ann,10\n2,Bob,\n3,Cy,5\n" },
  );
  assert.equal(upload.status, 201);
  await upload.body?.cancel();
  const events = await client.fetch(`/api/sessions/${sessionId}/events`);
  const started = await client.json(
    `/api/sessions/${sessionId}/workflows`,
    "POST",
    {
      input: "people.csv",
      steps: [
        { operation: "fill_missing", arguments: { value: 0 } },
        { operation: "convert", arguments: { format: "xlsx" } },
      ],
    },
  );
  assert.equal(started.status, 202);
  await started.body?.cancel();
  const frames = await collectFrames(
    events.body!,
    (f) => f.event === "workflow_completed" || f.event === "workflow_failed",
  );
  assertEventContract(frames);
  const names = frames.map((f) => f.event);
  assert.ok(names.includes("workflow_started"));
  assert.ok(names.includes("progress"));
  assert.equal(names.at(-1), "workflow_completed");
});
