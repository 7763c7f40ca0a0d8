/** API tokens: made once, stored hashed, named, listed, revocable, expiring; used as Bearer. */
import assert from "node:assert/strict";
import { allKeys, Client, startTestServer } from "@/tests/_fixtures.ts";
import { keys } from "@/lib/kv/keys.ts";

Deno.test("tokens: shown once, stored hashed, used as Bearer without a cookie, listed by name, revoked to 401", async () => {
  await using server = await startTestServer();
  const browser = new Client(server.url);
  const sessionId = await browser.createSession();
  const made = await browser.json("/api/tokens", "POST", {
    name: "nightly export",
  });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get("cache-control"), "no-store");
  const token = await made.json();
  assert.match(token.token, /^crt_[0-9A-Z]{26}_[0-9a-f]{64}$/);
  assert.equal(token.name, "nightly export");
  assert.equal(token.expires_at, null);
  // Stored hashed: the secret is nowhere in the store.
  const secret = token.token.split("_")[2];
  for await (const entry of server.kv.list({ prefix: [] })) {
    assert.ok(!JSON.stringify(entry.value).includes(secret));
  }
  const record = (await server.kv.get<{ hash: string }>(
    keys.apiToken(token.id),
  )).value!;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)),
  );
  assert.equal(
    record.hash,
    Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
  );
  // A script: no cookie, the token alone; it acts as the browser's identity.
  const bearer = { authorization: `Bearer ${token.token}` };
  const sessions = await fetch(server.url + "/api/sessions", {
    headers: bearer,
  });
  assert.equal(sessions.status, 200);
  assert.equal(sessions.headers.get("set-cookie"), null);
  assert.deepEqual(
    (await sessions.json()).sessions.map((s: { id: string }) => s.id),
    [sessionId],
  );
  // A token cannot make tokens.
  const minted = await fetch(server.url + "/api/tokens", {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ name: "another" }),
  });
  assert.equal(minted.status, 403);
  assert.equal((await minted.json()).error.code, "cookie_required");
  // Listed by name, never with its text.
  const list = await (await browser.fetch("/api/tokens")).json();
  assert.deepEqual(list.tokens.map((t: { name: string }) => t.name), [
    "nightly export",
  ]);
  assert.ok(!JSON.stringify(list).includes(secret));
  // Another identity cannot revoke it.
  const stranger = new Client(server.url);
  const theirs = await stranger.fetch(`/api/tokens/${token.id}`, {
    method: "DELETE",
  });
  assert.equal(theirs.status, 404);
  await theirs.body?.cancel();
  // Revoked: refused (401, never a fresh anonymous identity), and gone from the store.
  const revoke = await browser.fetch(`/api/tokens/${token.id}`, {
    method: "DELETE",
  });
  assert.equal(revoke.status, 204);
  const refused = await fetch(server.url + "/api/sessions", {
    headers: bearer,
  });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get("set-cookie"), null);
  assert.match(refused.headers.get("www-authenticate")!, /invalid_token/);
  assert.equal((await refused.json()).error.code, "invalid_token");
  assert.ok(
    !(await allKeys(server.kv)).some((k) =>
      String(k[0]).startsWith("api_token")
    ),
  );
});

Deno.test("tokens: one with an expiry stops working when it expires; bad names and expiries are 400", async () => {
  await using server = await startTestServer();
  const browser = new Client(server.url);
  const made = await (await browser.json("/api/tokens", "POST", {
    name: "short",
    expires_in: 1,
  })).json();
  assert.ok(Date.parse(made.expires_at) - Date.now() <= 1000);
  const bearer = { authorization: `Bearer ${made.token}` };
  const before = await fetch(server.url + "/api/sessions", { headers: bearer });
  assert.equal(before.status, 200);
  await before.body?.cancel();
  await new Promise((r) => setTimeout(r, 1100));
  const after = await fetch(server.url + "/api/sessions", { headers: bearer });
  assert.equal(after.status, 401);
  await after.body?.cancel();
  for (
    const body of [
      {},
      { name: "" },
      { name: "x", expires_in: 0 },
      { name: "x", expires_in: "forever" },
      { name: "x", extra: 1 },
    ]
  ) {
    const response = await browser.json("/api/tokens", "POST", body);
    assert.equal(response.status, 400, JSON.stringify(body));
    await response.body?.cancel();
  }
  const list = await (await browser.fetch("/api/tokens")).json();
  assert.deepEqual(list.tokens, []);
  // A malformed Authorization header is a 401 too, not an anonymous request.
  for (const value of ["Bearer", "Basic abc", "Bearer crt_nope"]) {
    const response = await fetch(server.url + "/api/sessions", {
      headers: { authorization: value },
    });
    assert.equal(response.status, 401, value);
    await response.body?.cancel();
  }
});

Deno.test("tokens: the tokens page makes a token (shown once), lists it and revokes it, without JavaScript", async () => {
  await using server = await startTestServer();
  const browser = new Client(server.url);
  const form = (path: string, fields: Record<string, string>) =>
    browser.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  const empty = await (await browser.fetch("/tokens")).text();
  assert.match(empty, /No tokens yet/);
  const made = await form("/tokens", { name: "ci job", expires_in: "30d" });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get("cache-control"), "no-store");
  const page = await made.text();
  const token = /crt_[0-9A-Z]{26}_[0-9a-f]{64}/.exec(page)?.[0];
  assert.ok(token, "the new token is on the page");
  const listed = await (await browser.fetch("/tokens")).text();
  assert.match(listed, /ci job/);
  assert.ok(!listed.includes(token), "the token is shown only once");
  const bearer = { authorization: `Bearer ${token}` };
  const works = await fetch(server.url + "/api/sessions", { headers: bearer });
  assert.equal(works.status, 200);
  await works.body?.cancel();
  const bad = await form("/tokens", { name: "" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /must not be empty/);
  const id = token.split("_")[1];
  const revoked = await form(`/tokens/${id}/revoke`, {});
  assert.equal(revoked.status, 303);
  await revoked.body?.cancel();
  const refused = await fetch(server.url + "/api/sessions", {
    headers: bearer,
  });
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  assert.match(await (await browser.fetch("/tokens")).text(), /No tokens yet/);
});
