/** Service routes and the HTTP plumbing: health, metrics, static caching, pages, headers. */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";

Deno.test("service: /health makes a KV round trip", async () => {
  await using server = await startTestServer();
  const response = await fetch(server.url + "/health");
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.status, "ok");
  assert.equal(typeof body.kv_ms, "number");
});

Deno.test("service: hashed bundles are cached for a year; pages carry a strict CSP", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const page = await client.fetch(`/sessions/${sessionId}`);
  assert.equal(page.status, 200);
  assert.match(
    page.headers.get("content-security-policy")!,
    /script-src 'self'/,
  );
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  const html = await page.text();
  const runtime =
    /<script type="module" src="(\/static\/build\/[^"]+)"/.exec(html)![1];
  const asset = await fetch(server.url + runtime);
  assert.equal(asset.status, 200);
  assert.equal(
    asset.headers.get("cache-control"),
    "public, max-age=31536000, immutable",
  );
  await asset.body?.cancel();
  const missing = await fetch(server.url + "/static/build/nope-123.js");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("service: the identity cookie is signed, HttpOnly and SameSite=Lax; a forged one is replaced", async () => {
  await using server = await startTestServer();
  const first = await fetch(server.url + "/api/sessions");
  const cookie = first.headers.get("set-cookie")!;
  await first.body?.cancel();
  assert.match(cookie, /^chartroom_id=[\w-]+\.[\w-]+;/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const forged = await fetch(server.url + "/api/sessions", {
    headers: {
      cookie:
        "chartroom_id=eyJvIjoiMDFKMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAifQ.AAAA",
    },
  });
  await forged.body?.cancel();
  assert.ok(
    forged.headers.get("set-cookie"),
    "a forged identity is not accepted",
  );
});

Deno.test("service: an unknown path gets the 404 page for browsers and JSON for the API", async () => {
  await using server = await startTestServer();
  const page = await fetch(server.url + "/nowhere", {
    headers: { accept: "text/html" },
  });
  assert.equal(page.status, 404);
  assert.match(await page.text(), /Not found/);
  const api = await fetch(server.url + "/api/nowhere");
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error.code, "not_found");
});

Deno.test("service: the home page's form creates a session and opens it with a first prompt", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const response = await client.fetch("/sessions", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
    },
    body: "prompt=bar+chart+of+average+no2+per+city",
  });
  assert.equal(response.status, 303);
  assert.match(
    response.headers.get("location")!,
    /^\/sessions\/[0-9A-Z]{26}\?prompt=bar%20chart%20of%20average%20no2%20per%20city$/,
  );
  const sessions = await (await client.fetch("/api/sessions")).json();
  assert.equal(sessions.sessions.length, 1);
});
