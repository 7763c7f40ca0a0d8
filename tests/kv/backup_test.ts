/**
 * `deno task backup` / `deno task restore`, run as an operator runs them
 * (their own processes, KV_PATH in the environment): a store the app filled
 * is restored into an empty one equal key for key, value for value, and
 * expiry for expiry (read from the SQLite file, since Deno KV does not show
 * them); a store that holds data is refused without --merge; a damaged
 * backup writes nothing.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import { START_ENV } from "@/scripts/start.ts";

const ROOT = new URL("../../", import.meta.url);

async function task(args: string[], kvPath: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", ...args],
    cwd: ROOT,
    env: { ...START_ENV, KV_PATH: kvPath, LOG_LEVEL: "warn" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) +
    new TextDecoder().decode(output.stderr);
  return { code: output.code, text };
}

interface Row {
  k: string;
  v: string;
  v_encoding: number;
  expiration_ms: number;
}

/** Every entry of a local KV file as SQLite holds it: key, value bytes, expiry. */
function rows(path: string): Row[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const hex = (b: Uint8Array) =>
      Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return (db.prepare(
      "SELECT k, v, v_encoding, expiration_ms FROM kv ORDER BY k",
    ).all() as unknown as {
      k: Uint8Array;
      v: Uint8Array;
      v_encoding: number;
      expiration_ms: number;
    }[]).map((r) => ({ ...r, k: hex(r.k), v: hex(r.v) }));
  } finally {
    db.close();
  }
}

Deno.test("backup: a store restored into an empty one is equal key for key, with each entry's expiry; a non-empty store needs --merge; a damaged backup writes nothing", async () => {
  await using server = await startTestServer();
  const owner = new Client(server.url);
  const { sessionId, artifactId } = await owner.sessionWithChart(
    "bar chart of average no2 per city",
  );
  await owner.chat(sessionId, "make it a line chart");
  const upload = await owner.fetch(
    `/api/sessions/${sessionId}/datasets?filename=t.csv`,
    { method: "POST", body: "city,amount\nLagos,3\nAccra,5\n" },
  );
  assert.equal(upload.status, 201);
  await upload.body?.cancel();
  await (await owner.json("/api/tokens", "POST", { name: "ci" })).body
    ?.cancel();
  await (await owner.json("/api/tokens", "POST", {
    name: "brief",
    expires_in: "1h",
  })).body?.cancel();
  const share = await (await owner.json(
    `/api/sessions/${sessionId}/shares`,
    "POST",
    { artifact_id: artifactId, expires_in: "2h" },
  )).json();
  await (await fetch(share.url)).body?.cancel();
  await (await owner.fetch(
    `/api/artifacts/${artifactId}/export?format=csv`,
  )).body?.cancel();

  const dir = await Deno.makeTempDir({ prefix: "chartroom-backup-" });
  try {
    const file = `${dir}/store.backup`;
    const backedUp = await task(["backup", file], server.kvPath);
    assert.equal(backedUp.code, 0, backedUp.text);
    assert.match(backedUp.text, /backed up \d+ entries/);

    const empty = `${dir}/restored.kv`;
    const restored = await task(["restore", file], empty);
    assert.equal(restored.code, 0, restored.text);

    // Values compared as values (V8 may lay an array out otherwise), expiries
    // from SQLite.
    const restoredKv = await Deno.openKv(empty);
    const entries = async (kv: Deno.Kv) => {
      const out: [Deno.KvKey, unknown][] = [];
      for await (const e of kv.list({ prefix: [] })) out.push([e.key, e.value]);
      return out;
    };
    const skippedFamily = (key: Deno.KvKey) =>
      key[0] === "blob_pending" || key[0] === "health";
    const values = (await entries(server.kv)).filter(([k]) =>
      !skippedFamily(k)
    );
    assert.deepEqual(
      await entries(restoredKv),
      values,
      "key for key, value for value",
    );
    restoredKv.close();

    const original = rows(server.kvPath);
    const copy = new Map(rows(empty).map((r) => [r.k, r]));
    const skipped = /^02(626c6f625f70656e64696e67|6865616c7468)00/; // blob_pending, health
    const kept = original.filter((r) => !skipped.test(r.k));
    assert.ok(kept.length > 50, `only ${kept.length} entries`);
    assert.equal(copy.size, kept.length, "key for key");
    let withTtl = 0;
    for (const row of kept) {
      const back = copy.get(row.k);
      assert.ok(back, `key ${row.k} was not restored`);
      assert.equal(back.v_encoding, row.v_encoding);
      if (row.expiration_ms === -1) {
        assert.equal(back.expiration_ms, -1, `${row.k} has no TTL`);
      } else {
        withTtl++;
        assert.ok(
          Math.abs(back.expiration_ms - row.expiration_ms) < 2000,
          `${row.k} expires at ${back.expiration_ms}, not ${row.expiration_ms}`,
        );
      }
    }
    assert.ok(withTtl > kept.length / 2, "most entries carry a TTL");

    // Into a store that holds data: refused, unless --merge.
    const again = await task(["restore", file], empty);
    assert.equal(again.code, 1);
    assert.match(again.text, /already holds data.*--merge/);
    const merged = await task(["restore", file, "--merge"], empty);
    assert.equal(merged.code, 0, merged.text);
    assert.equal(rows(empty).length, kept.length);

    // A cut backup is refused and writes nothing.
    const bytes = await Deno.readFile(file);
    await Deno.writeFile(
      `${dir}/cut.backup`,
      bytes.subarray(0, bytes.length - 40),
    );
    const fresh = `${dir}/fresh.kv`;
    const cut = await task(["restore", `${dir}/cut.backup`], fresh);
    assert.equal(cut.code, 1);
    assert.match(cut.text, /restore refused: .*cut short|damaged/);
    assert.equal(rows(fresh).length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
