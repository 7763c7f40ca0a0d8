/**
 * Chat turns that always end (issue 15): 50 turns sent at once to one
 * session all end with `done`; a turn whose server was killed with
 * SIGKILL is closed by the next server with `error` (turn_interrupted) and
 * `done`, seen by a client following `/events`.
 */
import assert from "node:assert/strict";
import {
  Client,
  collectFrames,
  type Frame,
  startTestServer,
} from "@/tests/_fixtures.ts";
import { startServerProcess } from "@/bench/_server.ts";
import { readSse } from "@/lib/client/sse_client.ts";

Deno.test("turns: 50 turns sent at once to one session all end with done, one after another", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const turns = await Promise.all(
    Array.from(
      { length: 50 },
      (_, i) =>
        client.json(`/api/sessions/${sessionId}/messages`, "POST", {
          content: i % 2 ? "hello" : "what can you do?",
        }).then(async (response) => {
          assert.equal(response.status, 200);
          return await collectFrames(response.body!);
        }),
    ),
  );
  for (const [i, frames] of turns.entries()) {
    assert.equal(frames.at(-1)?.event, "done", `turn ${i} ended with done`);
    assert.ok(
      !frames.some((f) => f.event === "error"),
      `turn ${i} had no error`,
    );
  }
  // The log holds them one after another: no turn's events among another's.
  const response = await client.fetch(`/api/sessions/${sessionId}/events`);
  const log: Frame[] = [];
  await collectFrames(response.body!, (frame) => {
    log.push(frame);
    return log.filter((f) => f.event === "done").length === 50;
  });
  let open = false;
  for (const frame of log) {
    if (frame.event === "message" && frame.data.role === "user") {
      assert.ok(!open, "a turn began before the previous one ended");
      open = true;
    }
    if (frame.event === "done") open = false;
  }
  const ids = log.map((f) => Number(f.id));
  assert.deepEqual(ids, ids.map((_, i) => i + 1), "gapless event ids");
});

Deno.test({
  name:
    "turns: a turn killed with its server (SIGKILL) ends with error + done, seen by a client following /events",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chartroom-turns-" });
    const env = {
      KV_PATH: `${dir}/shared.kv`,
      RENDER_WARMUP: "off",
      STREAM_WORD_DELAY_MS: "250",
    };
    try {
      const first = await startServerProcess(env);
      const client = new Client(first.url);
      const sessionId = await client.createSession();
      // A client follows the session's events, as the page does.
      const follower = new AbortController();
      const seen: Frame[] = [];
      const following = (async () => {
        const response = await client.fetch(
          `/api/sessions/${sessionId}/events`,
          { signal: follower.signal },
        );
        for await (const m of readSse(response.body!)) {
          seen.push({ id: m.id, event: m.event, data: JSON.parse(m.data) });
        }
      })().catch(() => {});
      const turn = await client.json(
        `/api/sessions/${sessionId}/messages`,
        "POST",
        { content: "bar chart of average no2 per city" },
      );
      // Killed once the chart is stored, while the reply is still streaming.
      const before = await collectFrames(
        turn.body!,
        (f) =>
          f.event === "delta" &&
          seen.some((s) => s.event === "artifact_created"),
      );
      const artifactId = String(
        before.find((f) => f.event === "artifact_created")!.data.artifact_id,
      );
      Deno.kill(first.pid, "SIGKILL");
      await following;
      await first[Symbol.asyncDispose]();
      assert.ok(
        !seen.some((f) => f.event === "done"),
        "no done before the kill",
      );
      const lastId = seen.at(-1)!.id!;

      // The follower reconnects (as EventSource does) to a new server.
      await using second = await startServerProcess(env);
      const again = new Client(second.url);
      again.cookies = client.cookies;
      const started = performance.now();
      const response = await again.fetch(`/api/sessions/${sessionId}/events`, {
        headers: { "last-event-id": lastId },
      });
      const after = await collectFrames(
        response.body!,
        (f) => f.event === "done",
      );
      assert.ok(performance.now() - started < 20_000);
      const error = after.find((f) => f.event === "error");
      assert.equal(error?.data.code, "turn_interrupted");
      assert.equal(after.at(-1)?.event, "done");
      // The chart the turn had stored is kept, and the closing reply names it.
      const closing = after.find((f) =>
        f.event === "message" && f.data.role === "assistant"
      );
      assert.deepEqual(closing?.data.artifact_ids, [artifactId]);
      assert.equal(
        (await again.fetch(`/api/artifacts/${artifactId}`)).status,
        200,
      );
      // The session takes new messages.
      const next = await again.chat(sessionId, "hello");
      assert.equal(next.at(-1)?.event, "done");
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
