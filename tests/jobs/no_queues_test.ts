/**
 * KV queues are not delivered on the new Deno Deploy or by KV Connect servers,
 * so nothing may use them: no module names `listenQueue`, every `.enqueue(`
 * is a stream controller's, and a whole chat, workflow and delete run with the
 * queue methods made to throw.
 */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";

const ROOT = new URL("../../", import.meta.url);
const SOURCE_DIRS = ["lib", "routes", "islands", "components", "scripts"];
const SOURCE_FILES = ["main.ts", "serve.ts", "lib/config.ts"];

async function* sourceFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* sourceFiles(url);
    else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) yield url;
  }
}

Deno.test("no queues: no module calls enqueue on KV or listenQueue", async () => {
  const offenders: string[] = [];
  const files: URL[] = SOURCE_FILES.map((f) => new URL(f, ROOT));
  for (const dir of SOURCE_DIRS) {
    const url = new URL(`${dir}/`, ROOT);
    try {
      for await (const file of sourceFiles(url)) files.push(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  let scanned = 0;
  for (const file of files) {
    const text = await Deno.readTextFile(file).catch(() => null);
    if (text === null) continue;
    scanned++;
    const name = file.pathname.slice(ROOT.pathname.length);
    text.split("\n").forEach((line, i) => {
      if (/listenQueue/.test(line)) offenders.push(`${name}:${i + 1}: ${line}`);
      // A chained `.enqueue(` (an atomic operation's) or any receiver that is
      // not a stream controller.
      for (const m of line.matchAll(/(\S*)\s*\.enqueue\s*\(/g)) {
        const receiver = m[1].replace(/^.*[^\w$]/, "");
        if (!/controller$/i.test(receiver)) {
          offenders.push(`${name}:${i + 1}: ${line.trim()}`);
        }
      }
    });
  }
  assert.ok(scanned > 100, `scanned ${scanned} files`);
  assert.deepEqual(offenders, []);
});

Deno.test("no queues: a chat turn, a workflow and a session delete run with the queue methods throwing", async () => {
  const kvProto = Deno.Kv.prototype as unknown as Record<string, unknown>;
  const opProto = Deno.AtomicOperation.prototype as unknown as Record<
    string,
    unknown
  >;
  const saved = {
    enqueue: kvProto.enqueue,
    listenQueue: kvProto.listenQueue,
    atomicEnqueue: opProto.enqueue,
  };
  const calls: string[] = [];
  const refuse = (name: string) => () => {
    calls.push(name);
    throw new Error(`${name} is not available on this store`);
  };
  kvProto.enqueue = refuse("kv.enqueue");
  kvProto.listenQueue = refuse("kv.listenQueue");
  opProto.enqueue = refuse("atomic.enqueue");
  try {
    await using server = await startTestServer();
    const client = new Client(server.url);
    const sessionId = await client.createSession();
    const upload = await client.fetch(
      `/api/sessions/${sessionId}/datasets?filename=t.csv`,
      { method: "POST", body: "a,b\n1,2\n1,2\n3,4\n" },
    );
    assert.equal(upload.status, 201);
    const frames = await client.chat(
      sessionId,
      "remove duplicate rows from t.csv and give me a csv",
    );
    const kinds = frames.map((f) => f.event);
    assert.ok(kinds.includes("workflow_completed"), kinds.join());
    assert.equal(kinds.at(-1), "done");
    const deleted = await client.fetch(`/api/sessions/${sessionId}`, {
      method: "DELETE",
    });
    assert.equal(deleted.status, 204);
    assert.equal(
      (await client.fetch(`/api/sessions/${sessionId}`)).status,
      404,
    );
  } finally {
    kvProto.enqueue = saved.enqueue;
    kvProto.listenQueue = saved.listenQueue;
    opProto.enqueue = saved.atomicEnqueue;
  }
  assert.deepEqual(calls, []);
});
