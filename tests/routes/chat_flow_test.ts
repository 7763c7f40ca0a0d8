/**
 * The spine, end to end over real HTTP on a real KV file: a chat turn streams,
 * makes an artifact, which exports as PNG and CSV and through signed links.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  allKeys,
  Client,
  type Frame,
  startTestServer,
} from "@/tests/_fixtures.ts";
import { decodePng } from "@/tests/_png.ts";

const PROMPT = "line chart of pm25 by date for Kampala";

function typesOf(frames: Frame[]) {
  return frames.map((f) => f.event);
}

Deno.test("chat: a turn streams message, deltas, chart, artifact_created, reply and done", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const frames = await client.chat(sessionId, PROMPT);

  const types = typesOf(frames);
  assert.equal(types[0], "message");
  assert.equal(frames[0].data.role, "user");
  assert.equal(frames[0].data.content, PROMPT);
  assert.equal(types.at(-1), "done");
  assert.equal(types.at(-2), "message");
  assert.equal(frames.at(-2)!.data.role, "assistant");
  const chartAt = types.indexOf("chart");
  const createdAt = types.indexOf("artifact_created");
  assert.ok(
    types.indexOf("delta") < chartAt,
    "some text streams before the chart",
  );
  assert.ok(chartAt < createdAt);
  assert.ok(
    types.lastIndexOf("delta") > createdAt,
    "the interpretation streams after it",
  );
  assert.ok(
    types.filter((t) => t === "delta").length > 5,
    "the reply streams word by word",
  );
  // Ids are the session log's sequence numbers: 1, 2, 3, ...
  assert.deepEqual(
    frames.map((f) => Number(f.id)),
    frames.map((_, i) => i + 1),
  );

  const created = frames[createdAt].data;
  assert.equal(created.type, "chart");
  assert.match(String(created.title), /pm25/i);
  assert.match(
    String(created.url),
    new RegExp(`^${server.url}/api/artifacts/`),
  );
  const replyText = frames.filter((f) => f.event === "delta").map((f) =>
    f.data.text
  ).join("");
  assert.equal(frames.at(-2)!.data.content, replyText.trim());

  const artifact =
    await (await client.fetch(`/api/artifacts/${created.artifact_id}`)).json();
  assert.equal(artifact.spec.type, "line");
  assert.ok(artifact.data.rows.length > 100, "daily points for Kampala");
  assert.match(artifact.provenance.query, /select/i);
  assert.ok(artifact.interpretation.length > 20);

  // Reloading the session shows the same conversation.
  const session = await (await client.fetch(`/api/sessions/${sessionId}`))
    .json();
  assert.deepEqual(session.messages.map((m: { role: string }) => m.role), [
    "user",
    "assistant",
  ]);
  assert.equal(session.messages[1].content, replyText.trim());
});

Deno.test("chat: artifacts are listed newest first and page with a cursor", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const ids: string[] = [];
  for (
    const prompt of [
      PROMPT,
      "bar chart of average no2 per city",
      "monthly average roe by bank",
    ]
  ) {
    const frames = await client.chat(sessionId, prompt);
    const created = frames.find((f) => f.event === "artifact_created");
    assert.ok(created, `"${prompt}" made a chart`);
    ids.push(String(created.data.artifact_id));
  }
  const list =
    await (await client.fetch(`/api/sessions/${sessionId}/artifacts`)).json();
  assert.deepEqual(
    list.artifacts.map((a: { id: string }) => a.id),
    [...ids].reverse(),
  );
  const first =
    await (await client.fetch(`/api/sessions/${sessionId}/artifacts?limit=2`))
      .json();
  assert.equal(first.artifacts.length, 2);
  const rest = await (await client.fetch(
    `/api/sessions/${sessionId}/artifacts?limit=2&cursor=${
      encodeURIComponent(first.cursor)
    }`,
  )).json();
  assert.deepEqual(rest.artifacts.map((a: { id: string }) => a.id), [ids[0]]);
});

Deno.test("exports: PNG has the requested pixel size and is not one flat colour", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { artifactId: id } = await client.sessionWithChart(
    PROMPT,
  );

  const response = await client.fetch(
    `/api/artifacts/${id}/export?format=png&width=640&height=360&scale=2`,
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "image/png");
  assert.match(
    response.headers.get("content-disposition")!,
    /^attachment; filename=".+\.png"/,
  );
  const png = decodePng(new Uint8Array(await response.arrayBuffer()));
  assert.equal(png.width, 1280);
  assert.equal(png.height, 720);
  assert.ok(png.distinctColours > 10, `only ${png.distinctColours} colours`);
});

Deno.test("exports: CSV parses back to the artifact's data", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { artifactId: id } = await client.sessionWithChart(
    "bar chart of average no2 per city",
  );
  const artifact = await (await client.fetch(`/api/artifacts/${id}`)).json();

  const response = await client.fetch(`/api/artifacts/${id}/export?format=csv`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/csv/);
  const rows: string[][] = parse(await response.text());
  assert.deepEqual(
    rows[0],
    artifact.data.columns.map((c: { name: string }) => c.name),
  );
  assert.deepEqual(
    rows.slice(1),
    artifact.data.rows.map((r: unknown[]) =>
      r.map((v) => v === null ? "" : String(v))
    ),
  );
});

Deno.test("links: a signed link downloads without a cookie and fails after it expires", async () => {
  await using server = await startTestServer({ DOWNLOAD_TTL: "2s" });
  const client = new Client(server.url);
  const { artifactId: id } = await client.sessionWithChart(
    PROMPT,
  );

  const made = await client.json(`/api/artifacts/${id}/links`, "POST", {
    format: "csv",
  });
  assert.equal(made.status, 201);
  const { url } = await made.json();
  assert.match(url, new RegExp(`^${server.url}/d/`));
  const anonymous = await fetch(url);
  assert.equal(anonymous.status, 200);
  assert.match(anonymous.headers.get("content-disposition")!, /attachment/);
  assert.match(await anonymous.text(), /^date,/);

  const forged = await fetch(url.slice(0, -3) + "abc", {
    headers: { accept: "text/html" },
  });
  assert.equal(forged.status, 404);
  assert.match(await forged.text(), /not valid/);

  await new Promise((r) => setTimeout(r, 2_100));
  const expired = await fetch(url, { headers: { accept: "text/html" } });
  assert.equal(expired.status, 410);
  assert.match(await expired.text(), /expired/);
});

Deno.test("ownership: another identity gets 404 for every route of a session and its artifacts", async () => {
  await using server = await startTestServer();
  const owner = new Client(server.url);
  const sessionId = await owner.createSession();
  const frames = await owner.chat(sessionId, PROMPT);
  const artifactId =
    frames.find((f) => f.event === "artifact_created")!.data.artifact_id;
  const stranger = new Client(server.url);
  const before = await allKeys(server.kv);

  const attempts: [string, string, unknown?][] = [
    ["GET", `/api/sessions/${sessionId}`],
    ["PATCH", `/api/sessions/${sessionId}`, { title: "mine now" }],
    ["DELETE", `/api/sessions/${sessionId}`],
    ["GET", `/api/sessions/${sessionId}/messages`],
    ["POST", `/api/sessions/${sessionId}/messages`, { content: "hello" }],
    ["GET", `/api/sessions/${sessionId}/events`],
    ["GET", `/api/sessions/${sessionId}/artifacts`],
    ["GET", `/api/artifacts/${artifactId}`],
    ["DELETE", `/api/artifacts/${artifactId}`],
    ["GET", `/api/artifacts/${artifactId}/export?format=png`],
    ["POST", `/api/artifacts/${artifactId}/links`, { format: "csv" }],
  ];
  for (const [method, path, body] of attempts) {
    const response = body === undefined
      ? await stranger.fetch(path, { method })
      : await stranger.json(path, method, body);
    assert.equal(response.status, 404, `${method} ${path}`);
    const json = await response.json();
    assert.equal(json.error.code, "not_found");
  }
  const page = await stranger.fetch(`/sessions/${sessionId}`, {
    headers: { accept: "text/html" },
  });
  assert.equal(page.status, 404);
  await page.body?.cancel();
  const listed = await (await stranger.fetch("/api/sessions")).json();
  assert.deepEqual(listed.sessions, []);
  assert.deepEqual(await allKeys(server.kv), before, "nothing was written");
});

Deno.test("sessions: deleting a session leaves no key of it in KV", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const keep = await client.createSession();
  await client.chat(keep, "bar chart of average no2 per city");
  const sessionId = await client.createSession();
  const frames = await client.chat(sessionId, PROMPT);
  const artifactId = String(
    frames.find((f) => f.event === "artifact_created")!.data.artifact_id,
  );
  await client.chat(sessionId, "make it a bar chart");
  const artifact = await (await client.fetch(`/api/artifacts/${artifactId}`))
    .json();
  await (await client.fetch(`/api/artifacts/${artifactId}/export?format=png`))
    .body?.cancel();
  await (await client.json(`/api/artifacts/${artifactId}/links`, "POST", {
    format: "csv",
  })).json();
  const keysBefore = (await allKeys(server.kv)).length;

  // Blob ids of this session, to check their chunks go too.
  const blobIds: string[] = [];
  for await (
    const e of server.kv.list<string>({
      prefix: ["blob_by_session", sessionId],
    })
  ) {
    blobIds.push(e.value);
  }
  assert.ok(
    blobIds.length >= 3,
    "snapshots and downloads are blobs of the session",
  );

  const response = await client.fetch(`/api/sessions/${sessionId}`, {
    method: "DELETE",
  });
  assert.equal(response.status, 204);
  assert.equal((await client.fetch(`/api/sessions/${sessionId}`)).status, 404);
  assert.equal(
    (await client.fetch(`/api/artifacts/${artifact.id}`)).status,
    404,
  );

  const owned = new Set([sessionId, artifactId, ...blobIds]);
  const left = (await allKeys(server.kv)).filter((key) =>
    key.some((part) => typeof part === "string" && owned.has(part))
  );
  assert.deepEqual(left, []);
  assert.ok((await allKeys(server.kv)).length < keysBefore);
  // The other session is untouched.
  const other = await (await client.fetch(`/api/sessions/${keep}/artifacts`))
    .json();
  assert.equal(other.artifacts.length, 1);
});

Deno.test("chat: an ambiguous request asks which one is meant, and picking an option draws it", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const asked = await client.chat(sessionId, "chart pm by city");
  assert.ok(!asked.some((f) => f.event === "artifact_created"));
  const question = asked.findLast((f) => f.event === "message")!.data;
  assert.deepEqual([...(question.options as string[])].sort(), [
    "pm10",
    "pm25",
  ]);

  const answered = await client.chat(sessionId, "pm25");
  const created = answered.find((f) => f.event === "artifact_created");
  assert.ok(created, "picking an option makes the chart");
  const artifact =
    await (await client.fetch(`/api/artifacts/${created.data.artifact_id}`))
      .json();
  assert.equal(artifact.spec.series.length, 1);
  assert.match(artifact.title, /pm25/);
  assert.match(artifact.title, /city/i);
});

Deno.test("chat: a refinement makes version 2 of the same artifact, and a download request yields a signed link", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const first = await client.chat(
    sessionId,
    "line chart of average pm25 by month for Kampala",
  );
  const id =
    first.find((f) => f.event === "artifact_created")!.data.artifact_id;
  const refined = await client.chat(sessionId, "make it a bar chart");
  const updated = refined.find((f) => f.event === "artifact_updated");
  assert.ok(updated);
  assert.equal(updated.data.artifact_id, id);
  assert.equal(updated.data.version, 2);
  const artifact = await (await client.fetch(`/api/artifacts/${id}`)).json();
  assert.equal(artifact.spec.type, "bar");
  assert.deepEqual(artifact.versions, [1, 2]);
  const v1 = await (await client.fetch(`/api/artifacts/${id}?version=1`))
    .json();
  assert.equal(v1.spec.type, "line");
  assert.deepEqual(v1.data, artifact.data);

  const download = (await client.chat(sessionId, "export it as csv")).find((
    f,
  ) => f.event === "download");
  assert.ok(download);
  assert.match(String(download.data.url), new RegExp(`^${server.url}/d/`));
  const file = await fetch(String(download.data.url));
  assert.equal(file.status, 200);
  assert.equal(
    (await file.text()).split("\r\n").filter(Boolean).length,
    artifact.data.rows.length + 1,
  );
});
