/**
 * Session dump and restore over HTTP: the archive passes `unzip -t` and its
 * manifest's SHA-256 sums hold; a restore makes a new session of the caller
 * whose dump equals the original's apart from ids (every message, version,
 * dataset row and blob byte); each corrupt archive is refused with a 4xx
 * naming the entry and the reason, and writes nothing.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { strToU8, unzipSync, Zip, ZipPassThrough, zipSync } from "fflate";
import { allKeys, Client, startTestServer } from "@/tests/_fixtures.ts";
import { runOk, tool } from "@/tests/exports/_tools.ts";

const unzip = tool("unzip", "unzip", ["-v"], "unzip");

const CSV = "city,amount,day\n" +
  Array.from(
    { length: 400 },
    (_, i) =>
      `${["Lagos", "Accra", "Kigali", "Nairobi"][i % 4]},${i * 1.5},2024-01-${
        String(1 + (i % 28)).padStart(2, "0")
      }`,
  ).join("\n") + "\n";

type Files = Record<string, Uint8Array>;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const sha = (bytes: Uint8Array) =>
  createHash("sha256").update(bytes).digest("hex");

/** Every entry's bytes, with each id replaced by its order of first appearance. */
function normalised(files: Files): Record<string, string> {
  const ids = new Map<string, string>();
  const swap = (s: string) =>
    s.replace(/[0-9A-HJKMNP-TV-Z]{26}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `ID${ids.size}`);
      return ids.get(id)!;
    });
  const manifest = JSON.parse(text(files["manifest.json"]));
  const out: Record<string, string> = {};
  for (const { name } of manifest.entries) {
    const bytes = files[name];
    const isJson = name.endsWith(".json");
    out[swap(name)] = isJson ? swap(text(bytes)) : sha(bytes);
  }
  return out;
}

async function dumpOf(client: Client, sessionId: string): Promise<Uint8Array> {
  const response = await client.fetch(`/api/sessions/${sessionId}/dump`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/zip");
  return new Uint8Array(await response.arrayBuffer());
}

Deno.test({
  name:
    "dump: an archive with a checked manifest restores as a new session whose dump equals the original's apart from ids",
  ignore: unzip.ignore,
  async fn() {
    await using server = await startTestServer();
    const owner = new Client(server.url);
    const sessionId = await owner.createSession();
    const upload = await owner.fetch(
      `/api/sessions/${sessionId}/datasets?filename=sales.csv`,
      { method: "POST", body: CSV },
    );
    assert.equal(upload.status, 201);
    const dataset = await upload.json();
    const frames = await owner.chat(sessionId, "total amount by city");
    const artifactId = String(
      frames.find((f) => f.event === "artifact_created")!.data.artifact_id,
    );
    await owner.chat(sessionId, "make it a pie chart");
    await owner.chat(
      sessionId,
      "line chart of average pm25 by date for Kampala",
    );

    const bytes = await dumpOf(owner, sessionId);
    const path = await Deno.makeTempFile({ suffix: ".zip" });
    try {
      await Deno.writeFile(path, bytes);
      await runOk("unzip", ["-t", path]);
    } finally {
      await Deno.remove(path);
    }
    const files = unzipSync(bytes);
    const manifest = JSON.parse(text(files["manifest.json"]));
    assert.equal(manifest.format, "chartroom-session");
    assert.equal(manifest.format_version, 1);
    assert.deepEqual(
      Object.keys(files).sort(),
      [
        ...manifest.entries.map((e: { name: string }) => e.name),
        "manifest.json",
      ]
        .sort(),
    );
    for (const entry of manifest.entries) {
      assert.equal(sha(files[entry.name]), entry.sha256, entry.name);
      assert.equal(files[entry.name].length, entry.size, entry.name);
    }
    assert.equal(text(files[`datasets/${dataset.id}/raw`]), CSV);
    assert.ok(files[`artifacts/${artifactId}/2.json`], "every version");
    assert.equal(JSON.parse(text(files["messages.json"])).length, 6);

    // Another identity restores it: a new session of theirs, with new ids.
    const other = new Client(server.url);
    const restored = await other.fetch("/api/sessions/restore", {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: bytes.slice(),
    });
    assert.equal(restored.status, 201);
    const made = await restored.json();
    assert.notEqual(made.id, sessionId);
    assert.deepEqual(made.restored, {
      messages: 6,
      charts: 2,
      versions: 3,
      datasets: 1,
    });
    const again = unzipSync(await dumpOf(other, made.id));
    assert.ok(!text(again["messages.json"]).includes(artifactId), "new ids");
    assert.deepEqual(normalised(again), normalised(files));

    // The restored session works: its dataset's rows, its charts' versions.
    const theirs =
      await (await other.fetch(`/api/sessions/${made.id}/datasets`))
        .json();
    const rows = async (client: Client, id: string) =>
      (await (await client.fetch(`/api/datasets/${id}?limit=1000`)).json())
        .rows;
    assert.deepEqual(
      await rows(other, theirs.datasets[0].id),
      await rows(owner, dataset.id),
    );
    const charts = await (await other.fetch(
      `/api/sessions/${made.id}/artifacts`,
    )).json();
    assert.deepEqual(
      charts.artifacts.map((a: { version: number }) => a.version),
      [1, 2],
    );
    const refined = await other.chat(made.id, "only Lagos and Accra");
    assert.equal(refined.at(-1)?.event, "done");
    assert.ok(
      (await (await owner.fetch("/api/sessions")).json()).sessions.length === 1,
      "the owner's sessions are as they were",
    );
  },
});

/** Re-zips entries (fflate) after `change`, the manifest rewritten by `manifest` when given. */
function rezip(
  files: Files,
  change: (files: Files) => void,
  manifest?: (
    m: { entries: { name: string }[] } & Record<string, unknown>,
  ) => void,
): Uint8Array {
  const copy: Files = { ...files };
  change(copy);
  if (manifest) {
    const m = JSON.parse(text(copy["manifest.json"]));
    manifest(m);
    copy["manifest.json"] = strToU8(JSON.stringify(m));
  }
  return zipSync(copy, { level: 1 });
}

/** Lists an entry in the manifest with its true size and checksum. */
function listed(m: { entries: unknown[] }, name: string, bytes: Uint8Array) {
  m.entries.push({ name, size: bytes.length, sha256: sha(bytes) });
}

Deno.test("dump: each corrupt archive is refused with a 4xx naming the entry and the reason, and nothing is written", async () => {
  await using server = await startTestServer({ MAX_RESTORE_BYTES: "2MB" });
  const owner = new Client(server.url);
  const { sessionId } = await owner.sessionWithChart(
    "bar chart of average no2 per city",
  );
  await owner.fetch(`/api/sessions/${sessionId}/datasets?filename=s.csv`, {
    method: "POST",
    body: CSV,
  }).then((r) => r.body?.cancel());
  const good = await dumpOf(owner, sessionId);
  const files = unzipSync(good);
  const snapshot = Object.keys(files).find((n) => n.endsWith(".data.json"))!;
  const chart = snapshot.replace(".data.json", ".json");
  const bomb = new Uint8Array(20 * 1024 * 1024);

  const cases: [string, Uint8Array, number, string, string | null][] = [
    [
      "another format version",
      rezip(files, () => {}, (m) => (m.format_version = 2)),
      422,
      "dump_version",
      "manifest.json",
    ],
    [
      "a checksum that does not match",
      rezip(files, (f) => {
        f[snapshot] = f[snapshot].slice();
        f[snapshot][5] ^= 1;
      }),
      422,
      "dump_checksum",
      snapshot,
    ],
    [
      "a truncated archive",
      good.subarray(0, Math.floor(good.length * 0.6)),
      422,
      "dump_truncated",
      null,
    ],
    [
      "an archive over MAX_RESTORE_BYTES",
      new Uint8Array(2_100_000),
      413,
      "file_too_large",
      null,
    ],
    [
      "an entry that points to one that is not there",
      rezip(files, (f) => delete f[snapshot], (m) => {
        m.entries = m.entries.filter((e) => e.name !== snapshot);
      }),
      422,
      "dump_missing_entry",
      chart,
    ],
    [
      "a path-like entry name",
      rezip(
        files,
        (f) => (f["../escape.json"] = strToU8("{}")),
        (m) => listed(m, "../escape.json", strToU8("{}")),
      ),
      422,
      "dump_bad_name",
      "../escape.json",
    ],
    [
      "an entry not in the manifest",
      rezip(files, (f) => (f["extra.json"] = strToU8("{}"))),
      422,
      "dump_unlisted_entry",
      "extra.json",
    ],
    [
      "an entry that breaks its schema",
      rezip(files, (f) => {
        const bad = strToU8(JSON.stringify({ title: 7 }));
        f["session.json"] = bad;
      }, (m) => {
        const bad = strToU8(JSON.stringify({ title: 7 }));
        m.entries = m.entries.filter((e) => e.name !== "session.json");
        listed(m, "session.json", bad);
      }),
      422,
      "dump_invalid_entry",
      "session.json",
    ],
    [
      "a zip bomb",
      rezip(
        files,
        (f) => (f["datasets/bomb/raw"] = bomb),
        (m) => listed(m, "datasets/bomb/raw", bomb),
      ),
      422,
      "zip_bomb",
      "datasets/bomb/raw",
    ],
    [
      "a duplicate entry name",
      duplicated(good, "session.json"),
      422,
      "dump_duplicate_entry",
      "session.json",
    ],
  ];
  const before = (await allKeys(server.kv)).length;
  for (const [what, body, status, code, entry] of cases) {
    const response = await owner.fetch("/api/sessions/restore", {
      method: "POST",
      body: body.slice(),
    });
    const answer = await response.json();
    assert.equal(response.status, status, `${what}: ${JSON.stringify(answer)}`);
    assert.equal(answer.error.code, code, what);
    if (entry) assert.ok(answer.error.message.includes(entry), what);
    assert.equal((await allKeys(server.kv)).length, before, `${what} wrote`);
  }
  const sessions = await (await owner.fetch("/api/sessions")).json();
  assert.equal(sessions.sessions.length, 1);

  // The home page's form: a bad archive is a page saying why; a good one
  // opens the new session.
  const form = (bytes: Uint8Array) => {
    const data = new FormData();
    data.set("file", new File([bytes.slice()], "s.chartroom.zip"));
    return owner.fetch("/sessions/restore", { method: "POST", body: data });
  };
  const refused = await form(cases[0][1]);
  assert.equal(refused.status, 422);
  assert.match(await refused.text(), /manifest\.json: format version 2/);
  const opened = await form(good);
  assert.equal(opened.status, 303);
  assert.match(opened.headers.get("location")!, /^\/sessions\/[0-9A-Z]{26}$/);
});

/** The archive's entries again, `name` twice (fflate's streaming Zip writes what it is given). */
function duplicated(bytes: Uint8Array, name: string): Uint8Array {
  const files = unzipSync(bytes);
  const chunks: Uint8Array[] = [];
  const zip = new Zip((_error, chunk) => chunks.push(chunk.slice()));
  for (const [entry, data] of [...Object.entries(files), [name, files[name]]]) {
    const file = new ZipPassThrough(entry as string);
    zip.add(file);
    file.push(data as Uint8Array, true);
  }
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
