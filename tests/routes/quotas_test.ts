/**
 * Quotas: each limit of config answers 429 with Retry-After and a message
 * naming it, resets with its window (or when room is made), and holds when
 * requests alternate between two app processes on one store.
 */
import assert from "node:assert/strict";
import { allKeys, Client, startTestServer, tempKv } from "@/tests/_fixtures.ts";
import { spawnApp } from "@/tests/_instances.ts";
import { takeRate } from "@/lib/kv/quotas.ts";

const OPTION = encodeURIComponent(JSON.stringify({
  xAxis: { type: "category", data: ["a"] },
  yAxis: {},
  series: [{ type: "bar", data: [1] }],
}));

async function refusal(response: Response, limit: string) {
  assert.equal(response.status, 429);
  const retry = Number(response.headers.get("retry-after"));
  assert.ok(retry >= 1, `Retry-After ${retry}`);
  const body = await response.json();
  assert.equal(body.error.code, "quota_exceeded");
  assert.equal(body.error.limit, limit);
  assert.match(body.error.message, new RegExp(limit));
  return retry;
}

async function status(response: Response): Promise<number> {
  await response.body?.cancel();
  return response.status;
}

Deno.test("quotas: requests, chat turns, renders and the render API per address answer 429 naming the limit", async () => {
  await using server = await startTestServer({
    QUOTA_REQUESTS_PER_MINUTE: "6",
    QUOTA_CHAT_TURNS_PER_MINUTE: "1",
    QUOTA_RENDERS_PER_MINUTE: "1",
    RENDER_API_PER_MINUTE: "2",
  });
  const client = new Client(server.url);
  // Creating the session issues the identity: that request is not counted.
  const { sessionId, artifactId } = await client.sessionWithChart(
    "bar chart of average no2 per city",
  ); // 1 (the turn)
  const chat = (content: string) =>
    client.json(`/api/sessions/${sessionId}/messages`, "POST", { content });
  const retry = await refusal(
    await chat("make it a line chart"),
    "QUOTA_CHAT_TURNS_PER_MINUTE",
  ); // 2
  assert.ok(retry <= 60, `Retry-After ${retry}`);
  // One drawing; a cached copy of it is not a second; another format is.
  const png = `/api/artifacts/${artifactId}/export?format=png`;
  assert.equal(await status(await client.fetch(png)), 200); // 3
  assert.equal(await status(await client.fetch(png)), 200); // 4
  const svg = await client.fetch(
    `/api/artifacts/${artifactId}/export?format=svg`,
  ); // 5
  await refusal(svg, "QUOTA_RENDERS_PER_MINUTE");
  assert.equal(
    await status(await client.fetch(`/api/sessions/${sessionId}`)),
    200,
  ); // 6
  await refusal(
    await client.fetch(`/api/sessions/${sessionId}`),
    "QUOTA_REQUESTS_PER_MINUTE",
  );
  // Another identity has its own counts.
  const other = new Client(server.url);
  assert.ok(await other.createSession());
  // The render API counts by address, with or without a cookie.
  const render = () => fetch(`${server.url}/api/render?f=svg&c=${OPTION}`);
  assert.equal(await status(await render()), 200);
  assert.equal(await status(await render()), 200);
  await refusal(await render(), "RENDER_API_PER_MINUTE");
});

Deno.test("quotas: a rate's window starts at the first request, and the count starts afresh when it ends", async () => {
  await using store = await tempKv();
  const rate = { name: "R", max: 2, windowMs: 60_000, what: "things" };
  const t0 = 1_000_000;
  await takeRate(store.kv, rate, "me", t0);
  await takeRate(store.kv, rate, "me", t0 + 30_000);
  await assert.rejects(
    takeRate(store.kv, rate, "me", t0 + 59_000),
    (e: Error & { retryAfterS?: number }) =>
      e.retryAfterS === 1 && /2 things this minute.*\(R\)/.test(e.message),
  );
  await takeRate(store.kv, rate, "someone else", t0 + 59_000);
  // The window ended: a new one starts with this request.
  await takeRate(store.kv, rate, "me", t0 + 60_000);
  await takeRate(store.kv, rate, "me", t0 + 61_000);
  await assert.rejects(
    takeRate(store.kv, rate, "me", t0 + 62_000),
    (e: Error & { retryAfterS?: number }) => e.retryAfterS === 58,
  );
});

Deno.test("quotas: datasets and bytes stored refuse an upload that does not fit, leave nothing of it, and make room when one is deleted", async () => {
  await using server = await startTestServer({
    QUOTA_DATASETS: "2",
    QUOTA_STORED_BYTES: "600",
    QUOTA_WINDOW: "1s",
    RENDER_API_PER_MINUTE: "1",
  });
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const upload = (name: string, body: string) =>
    client.fetch(`/api/sessions/${sessionId}/datasets?filename=${name}`, {
      method: "POST",
      body,
    });
  const first = await upload("a.csv", "x,y\n1,2\n");
  assert.equal(first.status, 201);
  const a = await first.json();
  const keysBefore = (await allKeys(server.kv)).length;
  // Raw file + table would pass 600 bytes.
  const big = "x,y\n" + "123456,7890\n".repeat(40);
  await refusal(await upload("big.csv", big), "QUOTA_STORED_BYTES");
  const blobs = (await allKeys(server.kv)).filter((k) => k[0] === "blob");
  assert.equal(
    (await allKeys(server.kv)).length,
    keysBefore,
    "nothing of the refused upload is left",
  );
  assert.ok(blobs.length > 0);
  assert.equal(await status(await upload("b.csv", "x\n1\n")), 201);
  await refusal(await upload("c.csv", "x\n1\n"), "QUOTA_DATASETS");
  // Deleting one makes room.
  const removed = await client.fetch(`/api/datasets/${a.id}`, {
    method: "DELETE",
  });
  assert.equal(await status(removed), 204);
  assert.equal(await status(await upload("c.csv", "x\n1\n")), 201);
  // A rate starts afresh when its window (1 s here) ends.
  const render = () => fetch(`${server.url}/api/render?f=svg&c=${OPTION}`);
  let refused: Response | null = null;
  for (let i = 0; i < 20 && !refused; i++) {
    const response = await render();
    if (response.status === 429) refused = response;
    else assert.equal(await status(response), 200);
  }
  assert.ok(refused, "the second drawing within a second was not refused");
  const retry = await refusal(refused, "RENDER_API_PER_MINUTE");
  await new Promise((r) => setTimeout(r, retry * 1000));
  assert.equal(await status(await render()), 200);
});

Deno.test("quotas: requests and open event streams hold when requests alternate between two app processes", async () => {
  await using store = await tempKv();
  const env = {
    QUOTA_REQUESTS_PER_MINUTE: "10",
    QUOTA_SSE_STREAMS: "2",
  };
  await using a = await spawnApp(store.path, env);
  await using b = await spawnApp(store.path, env);
  const client = new Client([a.url, b.url]);
  const sessionId = await client.createSession(); // issued the identity: not counted
  // Two streams, one on each process; a third on either is refused.
  const streams = [new AbortController(), new AbortController()];
  const opened = await Promise.all(
    [a.url, b.url].map((url, i) =>
      client.fetch(`${url}/api/sessions/${sessionId}/events`, {
        signal: streams[i].signal,
      })
    ),
  );
  assert.deepEqual(opened.map((r) => r.status), [200, 200]);
  for (const url of [a.url, b.url]) {
    const third = await client.fetch(`${url}/api/sessions/${sessionId}/events`);
    const body = await third.json();
    assert.equal(third.status, 429);
    assert.equal(body.error.limit, "QUOTA_SSE_STREAMS");
  }
  // Closing one frees its slot (on the process that held it).
  streams[0].abort();
  await opened[0].body?.cancel().catch(() => {});
  let reopened: Response | null = null;
  for (let i = 0; i < 50 && reopened?.status !== 200; i++) {
    await reopened?.body?.cancel();
    await new Promise((r) => setTimeout(r, 100));
    reopened = await client.fetch(`${b.url}/api/sessions/${sessionId}/events`);
  }
  assert.equal(reopened!.status, 200);
  // 5 requests so far counted (2 opens, 2 refusals, reopen tries ≥ 1); fill up to 10
  // alternating, then both processes refuse.
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    statuses.push(
      await status(await client.fetch(`/api/sessions/${sessionId}`)),
    );
  }
  const ok = statuses.filter((s) => s === 200).length;
  assert.ok(ok <= 5, `${ok} went through past the limit`);
  assert.deepEqual(statuses.slice(-4), [429, 429, 429, 429]);
  for (const url of [a.url, b.url]) {
    const response = await client.fetch(`${url}/api/sessions/${sessionId}`);
    await refusal(response, "QUOTA_REQUESTS_PER_MINUTE");
  }
  streams[1].abort();
  await opened[1].body?.cancel().catch(() => {});
  await reopened!.body?.cancel().catch(() => {});
});
