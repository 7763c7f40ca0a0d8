import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import { loadSigningKey, signToken, verifyToken } from "@/lib/links/signing.ts";
import { readDownloadToken, signedDownloadPath } from "@/lib/links/download.ts";

Deno.test("signing: a token verifies and returns its payload", async () => {
  await using store = await tempKv();
  const key = await loadSigningKey(store.kv);
  const token = await signToken(key, { b: "blob", e: 5 });
  assert.deepEqual(await verifyToken(key, token), { b: "blob", e: 5 });
});

Deno.test("signing: a tampered payload or signature is refused", async () => {
  await using store = await tempKv();
  const key = await loadSigningKey(store.kv);
  const token = await signToken(key, { b: "blob", e: 5 });
  const [body, mac] = token.split(".");
  const forgedBody = btoa(JSON.stringify({ b: "other", e: 5 })).replace(
    /=+$/,
    "",
  );
  assert.equal(await verifyToken(key, `${forgedBody}.${mac}`), null);
  // The first character carries six bits of the MAC (the last one only four).
  const flipped = (mac.startsWith("A") ? "B" : "A") + mac.slice(1);
  assert.equal(await verifyToken(key, `${body}.${flipped}`), null);
  // Another spelling of the same MAC (its spare low bits set) is refused too.
  const last =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
      .indexOf(mac.at(-1)!);
  const respelled = mac.slice(0, -1) +
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[
      last ^ 1
    ];
  assert.equal(await verifyToken(key, `${body}.${respelled}`), null);
  assert.equal(await verifyToken(key, "garbage"), null);
  assert.equal(await verifyToken(key, `${body}.${mac}.extra`), null);
});

Deno.test("signing: the generated key is kept in KV, so a restart signs alike", async () => {
  await using store = await tempKv();
  const first = await loadSigningKey(store.kv);
  const token = await signToken(first, { o: 1 });
  const second = await loadSigningKey(store.kv);
  assert.deepEqual(await verifyToken(second, token), { o: 1 });
  const configured = await loadSigningKey(store.kv, "x".repeat(32));
  assert.equal(await verifyToken(configured, token), null);
});

Deno.test("links: a link token expires and a forged one is invalid", async () => {
  await using store = await tempKv();
  const key = await loadSigningKey(store.kv);
  const now = Date.now();
  const path = await signedDownloadPath(key, "B1", now + 1_000);
  const token = path.replace("/d/", "");
  assert.deepEqual(await readDownloadToken(key, token, now), {
    status: "ok",
    blobId: "B1",
  });
  assert.deepEqual(await readDownloadToken(key, token, now + 1_000), {
    status: "expired",
  });
  assert.deepEqual(await readDownloadToken(key, token + "x", now), {
    status: "invalid",
  });
});
