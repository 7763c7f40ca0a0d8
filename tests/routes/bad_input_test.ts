/** Bad input gets a clear 4xx with a code and a message, and writes nothing. */
import assert from "node:assert/strict";
import { allKeys, Client, startTestServer } from "@/tests/_fixtures.ts";

Deno.test("bad input: every refusal is a clear error and changes nothing", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { sessionId, artifactId } = await client.sessionWithChart(
    "bar chart of average no2 per city",
  );
  const before = await allKeys(server.kv);

  const cases: {
    name: string;
    send: () => Promise<Response>;
    status: number;
    code: string;
    message?: RegExp;
  }[] = [
    {
      name: "a message over 8 KiB",
      send: () =>
        client.json(`/api/sessions/${sessionId}/messages`, "POST", {
          content: "x".repeat(9000),
        }),
      status: 413,
      code: "payload_too_large",
    },
    {
      name: "malformed JSON",
      send: () =>
        client.fetch(`/api/sessions/${sessionId}/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"content": ',
        }),
      status: 400,
      code: "malformed_json",
    },
    {
      name: "a message that is not text",
      send: () =>
        client.json(`/api/sessions/${sessionId}/messages`, "POST", {
          content: 42,
        }),
      status: 400,
      code: "invalid_input",
      message: /content/,
    },
    {
      name: "an unknown session",
      send: () =>
        client.json(
          `/api/sessions/01J00000000000000000000000/messages`,
          "POST",
          { content: "hi" },
        ),
      status: 404,
      code: "not_found",
    },
    {
      name: "a malformed session id",
      send: () => client.fetch(`/api/sessions/..%2F..%2Fetc/artifacts`),
      status: 404,
      code: "not_found",
    },
    {
      name: "an unknown export format",
      send: () =>
        client.fetch(`/api/artifacts/${artifactId}/export?format=bmp`),
      status: 400,
      code: "unknown_format",
      message: /png.*csv/,
    },
    {
      name: "a width out of bounds",
      send: () =>
        client.fetch(
          `/api/artifacts/${artifactId}/export?format=png&width=99999`,
        ),
      status: 400,
      code: "",
      message: /width/,
    },
    {
      name: "a height out of bounds",
      send: () =>
        client.fetch(`/api/artifacts/${artifactId}/export?format=png&height=5`),
      status: 400,
      code: "",
      message: /height/,
    },
    {
      name: "a scale out of bounds",
      send: () =>
        client.fetch(`/api/artifacts/${artifactId}/export?format=png&scale=9`),
      status: 400,
      code: "",
      message: /scale/,
    },
    {
      name: "a link in an unknown format",
      send: () =>
        client.json(`/api/artifacts/${artifactId}/links`, "POST", {
          format: "exe",
        }),
      status: 400,
      code: "unknown_format",
    },
    {
      name: "a cross-site POST",
      send: () =>
        client.fetch(`/api/sessions`, {
          method: "POST",
          headers: { origin: "https://evil.example" },
        }),
      status: 403,
      code: "bad_origin",
    },
  ];
  for (const c of cases) {
    const response = await c.send();
    assert.equal(response.status, c.status, c.name);
    const body = await response.json();
    if (c.code) assert.equal(body.error.code, c.code, c.name);
    assert.ok(body.error.message.length > 5, `${c.name}: has a message`);
    if (c.message) assert.match(body.error.message, c.message, c.name);
  }
  assert.deepEqual(await allKeys(server.kv), before, "nothing was written");
});
