import assert from "node:assert/strict";
import { keys, sessionScopedPrefixes } from "@/lib/kv/keys.ts";

Deno.test("keys: records and indexes have the documented layout", () => {
  assert.deepEqual(keys.session("S1"), ["session", "S1"]);
  assert.deepEqual(keys.sessionByOwner("O1", "S1"), [
    "session_by_owner",
    "O1",
    "S1",
  ]);
  assert.deepEqual(keys.message("S1", "M1"), ["message", "S1", "M1"]);
  assert.deepEqual(keys.artifact("A1"), ["artifact", "A1"]);
  assert.deepEqual(keys.artifactBySession("S1", "A1"), [
    "artifact_by_session",
    "S1",
    "A1",
  ]);
  assert.deepEqual(
    keys.artifactByOwnerType("O1", "chart", "A1"),
    ["artifact_by_owner_type", "O1", "chart", "A1"],
  );
  assert.deepEqual(keys.event("S1", 7), ["event", "S1", 7]);
  assert.deepEqual(keys.blobMeta("B1"), ["blob", "B1", "meta"]);
  assert.deepEqual(keys.blobChunk("B1", 3), ["blob", "B1", "chunk", 3]);
});

Deno.test("keys: every list key extends its prefix", () => {
  const pairs: [Deno.KvKey, Deno.KvKey][] = [
    [keys.sessionByOwner("O", "S"), keys.sessionsByOwnerPrefix("O")],
    [keys.message("S", "M"), keys.messagesPrefix("S")],
    [keys.artifactBySession("S", "A"), keys.artifactsBySessionPrefix("S")],
    [
      keys.artifactByOwnerType("O", "chart", "A"),
      keys.artifactsByOwnerTypePrefix("O", "chart"),
    ],
    [keys.event("S", 1), keys.eventsPrefix("S")],
    [keys.blobChunk("B", 0), keys.blobChunksPrefix("B")],
    [keys.download("S", "h"), keys.downloadsPrefix("S")],
  ];
  for (const [key, prefix] of pairs) {
    assert.deepEqual(key.slice(0, prefix.length), prefix);
  }
});

Deno.test("keys: a session's scoped prefixes all name the session", () => {
  for (const prefix of sessionScopedPrefixes("S9")) {
    assert.equal(prefix[1], "S9");
  }
});
