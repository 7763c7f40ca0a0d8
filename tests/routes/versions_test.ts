/**
 * A chart's versions over HTTP: any version opens, exports (directly and by
 * signed link) and is restored as the newest, which the session's event log
 * announces; a stranger, a bad version number and a foreign site are refused.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  Client,
  seedChart,
  startTestServer,
  type TestServer,
} from "@/tests/_fixtures.ts";
import { getArtifact } from "@/lib/kv/artifacts.ts";
import { listEventsAfter } from "@/lib/kv/events.ts";
import { simpleInput } from "@/tests/exports/_inputs.ts";

/** A session of `client` holding one chart in two versions: a line (v1), then a histogram (v2). */
async function twoVersionChart(server: TestServer, client: Client) {
  const sessionId = await client.createSession();
  const first = { ...simpleInput("line"), interpretation: "first" };
  const second = { ...simpleInput("histogram"), interpretation: "second" };
  const { id } = await seedChart(server.kv, sessionId, [first, second]);
  return { sessionId, id, first, second };
}

Deno.test("versions: an older version opens, exports and links as itself", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { id, first, second } = await twoVersionChart(server, client);

  const v1 = await (await client.fetch(`/api/artifacts/${id}?version=1`))
    .json();
  assert.equal(v1.version, 1);
  assert.equal(v1.spec.type, "line");
  assert.deepEqual(v1.versions, [1, 2]);

  const csv = async (query: string) => {
    const response = await client.fetch(
      `/api/artifacts/${id}/export?format=csv${query}`,
    );
    assert.equal(response.status, 200, query);
    return parse(await response.text()) as string[][];
  };
  assert.deepEqual((await csv("&version=1"))[0], ["month", "revenue", "cost"]);
  assert.equal(
    (await csv("&version=1")).length,
    first.snapshot.rows.length + 1,
  );
  assert.deepEqual((await csv(""))[0], ["edge", "count"]);
  assert.deepEqual((await csv("&version=2"))[0], ["edge", "count"]);
  assert.equal((await csv("")).length, second.snapshot.rows.length + 1);

  const link = await client.json(`/api/artifacts/${id}/links`, "POST", {
    format: "json",
    version: 1,
  });
  assert.equal(link.status, 201);
  const doc = await (await fetch((await link.json()).url)).json();
  assert.equal(doc.chart.type, "line");
  assert.equal(doc.interpretation, "first");

  for (
    const [query, status] of [
      ["&version=3", 404],
      ["&version=0", 400],
      ["&version=abc", 400],
      ["&version=1.5", 400],
    ] as const
  ) {
    const response = await client.fetch(
      `/api/artifacts/${id}/export?format=csv${query}`,
    );
    assert.equal(response.status, status, query);
    assert.ok((await response.json()).error.message, query);
  }
  const badLink = await client.json(`/api/artifacts/${id}/links`, "POST", {
    format: "csv",
    version: 7,
  });
  assert.equal(badLink.status, 404);
  await badLink.body?.cancel();
});

Deno.test("versions: restoring version 1 makes version 3 a copy of it and tells the event log", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { sessionId, id, first } = await twoVersionChart(server, client);

  const response = await client.fetch(
    `/api/artifacts/${id}/versions/1/restore`,
    { method: "POST" },
  );
  assert.equal(response.status, 201);
  const restored = await response.json();
  assert.equal(restored.version, 3);
  assert.deepEqual(restored.versions, [1, 2, 3]);
  assert.equal(restored.spec.type, "line");
  assert.deepEqual(restored.data, first.snapshot);
  assert.equal(restored.interpretation, "first");
  assert.equal(restored.option.series[0].type, "line");

  // The newest is now the copy; version 2 is kept as it was.
  const newest = await (await client.fetch(`/api/artifacts/${id}`)).json();
  assert.equal(newest.version, 3);
  assert.equal(newest.spec.type, "line");
  const v2 = await (await client.fetch(`/api/artifacts/${id}?version=2`))
    .json();
  assert.equal(v2.spec.type, "histogram");
  assert.equal(v2.spec.binWidth, 0.25);

  const events = await listEventsAfter(server.kv, sessionId, 0);
  const updated = events.filter((e) => e.type === "artifact_updated");
  assert.equal(updated.length, 1);
  assert.deepEqual(
    { ...updated[0].data, created_at: undefined, url: undefined },
    {
      artifact_id: id,
      type: "chart",
      chart_type: "line",
      title: first.spec.title,
      version: 3,
      restored_from: 1,
      created_at: undefined,
      url: undefined,
    },
  );
  assert.equal(updated[0].data.url, `${server.url}/api/artifacts/${id}`);

  // A restored version can itself be restored: the histogram comes back as v4.
  const again = await client.fetch(`/api/artifacts/${id}/versions/2/restore`, {
    method: "POST",
  });
  assert.equal(again.status, 201);
  assert.equal((await again.json()).spec.type, "histogram");
});

Deno.test("versions: a bad version number is a 400, another person's chart a 404, another site a 403; none changes anything", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { id } = await twoVersionChart(server, client);
  const restore = (who: Client, n: string, headers: HeadersInit = {}) =>
    who.fetch(`/api/artifacts/${id}/versions/${n}/restore`, {
      method: "POST",
      headers,
    });

  for (const n of ["0", "3", "-1", "1.5", "abc", "01", "99999999999"]) {
    const response = await restore(client, n);
    assert.equal(response.status, 400, n);
    const body = await response.json();
    assert.equal(body.error.code, "invalid_version", n);
    assert.match(body.error.message, /from 1 to 2/);
  }
  const stranger = await restore(new Client(server.url), "1");
  assert.equal(stranger.status, 404);
  assert.equal((await stranger.json()).error.code, "not_found");
  const foreign = await restore(client, "1", {
    origin: "https://evil.example",
  });
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();
  const unknown = await client.fetch(
    "/api/artifacts/01J0000000000000000000000/versions/1/restore",
    { method: "POST" },
  );
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();

  assert.equal((await getArtifact(server.kv, id))!.version, 2);
});
