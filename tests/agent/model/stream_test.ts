/**
 * The model client and stream reader against the local stand-in model: tool
 * calls assembled from pieces (two at once, interleaved), usage read, text
 * handed on in order; no key means no Authorization header; a server that
 * wants the other max-tokens parameter gets it.
 */
import assert from "node:assert/strict";
import { createModelClient, ModelFailure } from "@/lib/agent/model/client.ts";
import { IdleTimer, readCompletion } from "@/lib/agent/model/stream.ts";
import { startModelServer } from "@/tests/_model_server.ts";

const settings = (baseUrl: string) => ({
  baseUrl,
  model: "m",
  timeoutMs: 30_000,
  maxTokens: 256,
});

function piece(delta: unknown, finish: string | null = null): string {
  return JSON.stringify({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
}

Deno.test("model stream: two tool calls whose arguments arrive interleaved in pieces are assembled; text and usage are read", async () => {
  const a = JSON.stringify({ datasets: ["demo:sales"] });
  const b = JSON.stringify({ question: "Which one — “pm25” or “pm10”?" });
  const call = (index: number, args: string, id?: string, name?: string) =>
    piece({
      tool_calls: [{
        index,
        ...(id ? { id, type: "function" } : {}),
        function: { ...(name ? { name } : {}), arguments: args },
      }],
    });
  await using server = startModelServer(() => ({
    stream: [
      { text: "Let me " },
      { text: "check." },
      { raw: call(0, "", "call_a", "describe_datasets") },
      { raw: call(1, b.slice(0, 9), "call_b", "ask_clarifying_question") },
      { raw: call(0, a.slice(0, 5)) },
      { raw: call(1, b.slice(9, 30)) },
      { raw: call(0, a.slice(5)) },
      { raw: call(1, b.slice(30)) },
      { finish: "tool_calls" },
      { usage: { prompt: 321, completion: 45 } },
      { done: true },
    ],
  }));
  const client = createModelClient(settings(server.baseUrl));
  const idle = new IdleTimer(30_000);
  const texts: string[] = [];
  const response = await readCompletion(
    await client.stream({ messages: [], tools: [] }, idle.signal),
    idle,
    (t) => {
      texts.push(t);
      return Promise.resolve();
    },
  );
  assert.deepEqual(texts, ["Let me ", "check."]);
  assert.equal(response.text, "Let me check.");
  assert.equal(response.finishReason, "tool_calls");
  assert.deepEqual(response.usage, { promptTokens: 321, completionTokens: 45 });
  assert.deepEqual(response.toolCalls, [
    { id: "call_a", name: "describe_datasets", arguments: a },
    { id: "call_b", name: "ask_clarifying_question", arguments: b },
  ]);
  // Without a key, no Authorization header is sent at all.
  assert.equal(server.requests[0].headers.get("authorization"), null);
});

Deno.test("model stream: failures mid-stream are ModelFailures with their reason", async (t) => {
  const cases: [string, Parameters<typeof startModelServer>[0], string][] = [
    ["malformed JSON", () => ({ stream: [{ raw: "{nope" }] }), "malformed"],
    ["an error payload", () => ({
      stream: [{ text: "a" }, { error: { message: "overloaded" } }],
    }), "malformed"],
    [
      "no finish reason",
      () => ({ stream: [{ text: "a" }, { done: true }] }),
      "malformed",
    ],
    ["a refusal", () => ({
      stream: [{ refusal: "no" }, { finish: "stop" }, { done: true }],
    }), "refusal"],
    [
      "a stall",
      () => ({ stream: [{ text: "a" }, { stall: true }] }),
      "timeout",
    ],
    [
      "an HTTP 503",
      () => ({ status: 503, body: { error: { message: "down" } } }),
      "http",
    ],
  ];
  for (const [name, script, reason] of cases) {
    await t.step(name, async () => {
      await using server = startModelServer(script);
      // A short wait only where a stall is the case: a slow machine turns no other case into a timeout.
      const timeoutMs = reason === "timeout" ? 300 : 30_000;
      const client = createModelClient({
        ...settings(server.baseUrl),
        timeoutMs,
      });
      const idle = new IdleTimer(timeoutMs);
      await assert.rejects(
        async () =>
          await readCompletion(
            await client.stream({ messages: [], tools: [] }, idle.signal),
            idle,
            () => Promise.resolve(),
          ),
        (e: Error) => e instanceof ModelFailure && e.reason === reason,
      );
    });
  }
});

Deno.test("model client: a server that refuses max_tokens is asked again with max_completion_tokens", async () => {
  await using server = startModelServer((request) =>
    "max_tokens" in request.body
      ? {
        status: 400,
        body: {
          error: {
            message:
              "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          },
        },
      }
      : { stream: [{ text: "ok" }, { finish: "stop" }, { done: true }] }
  );
  const client = createModelClient(settings(server.baseUrl));
  const idle = new IdleTimer(30_000);
  const response = await readCompletion(
    await client.stream({ messages: [], tools: [] }, idle.signal),
    idle,
    () => Promise.resolve(),
  );
  assert.equal(response.text, "ok");
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1].body.max_completion_tokens, 256);
});
