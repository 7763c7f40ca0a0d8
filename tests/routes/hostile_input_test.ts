/**
 * Input that used to crash or mislead the server (issue 15): malformed
 * encodings, prototype-named keys, forged forwarding headers, control
 * characters, unsupported methods. Every answer is a clear 4xx or a clean
 * success, never a 500, and nothing raw reaches a page.
 */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";

Deno.test("hostile input: malformed percent, base64 and cursors are a 400, prototype-named keys ordinary", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const upload = await client.fetch(`/api/sessions/${sessionId}/datasets`, {
    method: "POST",
    headers: { "x-filename": "data%E0%A4%A.csv" },
    body: "a,b\n1,2\n",
  });
  assert.equal(upload.status, 400);
  assert.equal((await upload.json()).error.code, "invalid_filename");
  const disposition = await client.fetch(
    `/api/sessions/${sessionId}/datasets`,
    {
      method: "POST",
      headers: {
        "content-disposition": "attachment; filename*=UTF-8''%ZZ.csv",
      },
      body: "a,b\n1,2\n",
    },
  );
  assert.equal(disposition.status, 400);
  await disposition.body?.cancel();

  for (const cursor of ["%2F%2F%2F", "AQ", "%00", "%F0%9F%98%80"]) {
    const response = await client.fetch(`/api/sessions?cursor=${cursor}`);
    assert.equal(response.status, 400, cursor);
    assert.equal((await response.json()).error.code, "invalid_cursor");
  }
  const artifacts = await client.fetch(
    `/api/sessions/${sessionId}/artifacts?cursor=%2F%2F%2F`,
  );
  assert.equal(artifacts.status, 400);
  await artifacts.body?.cancel();

  for (
    const key of ["constructor", "toString", "__proto__", "hasOwnProperty"]
  ) {
    const response = await client.json("/api/render", "POST", {
      option: JSON.parse(
        `{"${key}": {"text": "x"}, "xAxis": {"type": "category", "data": ["a"]}, "yAxis": {}, "series": [{"type": "bar", "data": [1], "${key}": 1}]}`,
      ),
      format: "svg",
    });
    assert.ok(response.status < 500, `${key}: ${response.status}`);
    await response.body?.cancel();
  }
  const link = await client.fetch("/d/%E0%A4%A");
  assert.ok(link.status === 404 || link.status === 400, `${link.status}`);
  await link.body?.cancel();
  const token = await client.fetch("/d/bm90LWEtdG9rZW4");
  assert.equal(token.status, 404);
  await token.body?.cancel();
});

Deno.test("hostile input: NUL and control characters never reach a name, a title or the page", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const created = await client.json("/api/sessions", "POST", {
    title: "Q\u0000uarterly\u0007 report\u009b",
  });
  assert.equal(created.status, 201);
  const session = await created.json();
  assert.equal(session.title, "Quarterly report");
  const upload = await client.fetch(
    `/api/sessions/${session.id}/datasets?filename=${
      encodeURIComponent("sa\u0000les\u001b.csv")
    }`,
    { method: "POST", body: "region,amount\nNorth,1\n" },
  );
  assert.equal(upload.status, 201);
  assert.equal((await upload.json()).name, "sales.csv");
  const renamed = await client.json(`/api/sessions/${session.id}`, "PATCH", {
    title: "\u0000\u0001",
  });
  assert.equal(renamed.status, 400, "a title of controls only is empty");
  await renamed.body?.cancel();
  const frames = await client.chat(session.id, "hel\u0000lo\u0008 there");
  const echoed = frames.find((f) => f.event === "message");
  assert.equal(echoed?.data.content, "hello there");
  const page = await (await client.fetch(`/sessions/${session.id}`, {
    headers: { accept: "text/html" },
  })).text();
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(page));
});

Deno.test("hostile input: an unsupported method is a 405 with Allow", async () => {
  await using server = await startTestServer();
  const cases: [string, string, string][] = [
    ["PUT", "/api/sessions", "GET, HEAD, POST"],
    ["DELETE", "/health", "GET, HEAD"],
    ["POST", "/api/artifacts/01ARZ3NDEKTSV4RRFFQ69G5FAV/export", "GET, HEAD"],
  ];
  for (const [method, path, allow] of cases) {
    const response = await fetch(server.url + path, { method });
    assert.equal(response.status, 405, `${method} ${path}`);
    assert.equal(response.headers.get("allow"), allow);
    assert.equal((await response.json()).error.code, "method_not_allowed");
  }
});

/** Asks for a signed link to a fresh chart with `headers`; returns the response. */
async function linkRequest(
  env: Record<string, string>,
  headers: Record<string, string>,
): Promise<{ status: number; url?: string; cookie: string | null }> {
  await using server = await startTestServer(env);
  const client = new Client(server.url);
  const { artifactId } = await client.sessionWithChart(
    "bar chart of average no2 per city",
  );
  const fresh = await fetch(`${server.url}/api/sessions`, { headers });
  const cookie = fresh.headers.get("set-cookie");
  await fresh.body?.cancel();
  const response = await client.fetch(`/api/artifacts/${artifactId}/links`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ format: "csv" }),
  });
  const body = await response.json();
  return { status: response.status, url: body.url, cookie };
}

Deno.test("proxies: forwarded headers count only with TRUST_PROXY, and PUBLIC_URL always wins", async () => {
  const forged = {
    origin: "https://evil.example",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
  };
  // Off (the default): the forged origin is refused, links keep the real host.
  const off = await linkRequest({}, forged);
  assert.equal(off.status, 403);
  const plain = await linkRequest({}, {
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
  });
  assert.match(plain.url!, /^http:\/\/127\.0\.0\.1:\d+\/d\//);
  assert.doesNotMatch(plain.cookie!, /Secure/);
  // On: behind a proxy the public origin follows it, cookies get Secure.
  const on = await linkRequest({ TRUST_PROXY: "on" }, {
    origin: "https://charts.example",
    "x-forwarded-host": "charts.example",
    "x-forwarded-proto": "https",
  });
  assert.equal(on.status, 201);
  assert.match(on.url!, /^https:\/\/charts\.example\/d\//);
  assert.match(on.cookie!, /; Secure/);
  // PUBLIC_URL wins over forwarded headers, for links and the Origin check.
  const pinned = { TRUST_PROXY: "on", PUBLIC_URL: "https://charts.example" };
  const evil = await linkRequest(pinned, forged);
  assert.equal(evil.status, 403);
  const ok = await linkRequest(pinned, {
    origin: "https://charts.example",
    "x-forwarded-host": "evil.example",
  });
  assert.equal(ok.status, 201);
  assert.match(ok.url!, /^https:\/\/charts\.example\/d\//);
  assert.match(ok.cookie!, /; Secure/);
});
