/**
 * Two instances on one KV Connect store (a self-hosted denokv, or any KV
 * Connect server): set DENO_KV_TEST_URL (and DENO_KV_ACCESS_TOKEN) to run it.
 * Each instance has its own connection, as separate machines would; live
 * events follow kv.watch alone (no polling for a remote store).
 */
import assert from "node:assert/strict";
import {
  Client,
  collectFrames,
  type Frame,
  testConfig,
} from "@/tests/_fixtures.ts";
import { eventPollMs, startServer } from "@/lib/server.ts";
import manifest from "@/fresh.gen.ts";
import { openKv, storeKind } from "@/lib/kv/open.ts";
import { acquireLease, claimLease, listLapsedLeases } from "@/lib/kv/lease.ts";
import { getJob } from "@/lib/kv/jobs.ts";
import { getSession } from "@/lib/kv/sessions.ts";
import { eventually, orphanedWorkflowJob } from "@/tests/_instances.ts";

const URL_ = Deno.env.get("DENO_KV_TEST_URL");

if (!URL_) {
  const banner = "!".repeat(72);
  console.error(
    `\n${banner}\nSKIPPING KV CONNECT TESTS: set DENO_KV_TEST_URL=http://host:4512 (and DENO_KV_ACCESS_TOKEN) to run them against a KV Connect server\n${banner}\n`,
  );
}

Deno.test({
  name:
    "kv connect: two instances on one store share leases, jobs and live events through kv.watch",
  ignore: !URL_,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const url = URL_!;
    const kvA = await openKv(url);
    const kvB = await openKv(url);
    const config = testConfig({ KV_PATH: url, JOB_LEASE: "1s" });
    const a = await startServer(config, manifest, { kv: kvA, quiet: true });
    const b = await startServer(config, manifest, { kv: kvB, quiet: true });
    const client = new Client([a.url, b.url]);
    let sessionId = "";
    try {
      // A remote store is followed by kv.watch alone.
      if (storeKind(url) === "remote") assert.equal(eventPollMs(config), 0);
      // A lease: of the two connections exactly one takes it over.
      const id = crypto.randomUUID();
      await acquireLease(kvA, "test", id, { owner: "dead", ttlMs: 1, now: 0 });
      const [found] = (await listLapsedLeases(kvB, "test", { scan: 10_000 }))
        .filter((e) => e.lease.id === id);
      const won = await Promise.all([
        claimLease(kvA, found, { owner: "a", ttlMs: 60_000 }),
        claimLease(kvB, found, { owner: "b", ttlMs: 60_000 }),
      ]);
      assert.equal(won.filter((w) => w !== null).length, 1);
      await kvA.delete(["lease", "test", id]);

      // A chat turn on A, followed live on B.
      sessionId = await client.createSession();
      const events = await client.fetch(
        `${b.url}/api/sessions/${sessionId}/events`,
        { signal: AbortSignal.timeout(60_000) },
      );
      const seen = collectFrames(
        events.body!,
        (f: Frame) => f.event === "done",
      );
      const turn = await client.json(
        `${a.url}/api/sessions/${sessionId}/messages`,
        "POST",
        { content: "bar chart of average no2 per city" },
      );
      const posted = await collectFrames(turn.body!);
      assert.equal(posted.at(-1)!.event, "done");
      assert.deepEqual(await seen, posted);

      // A job whose instance died: taken over by one of the two, run once.
      const session = (await getSession(kvA, sessionId))!;
      const upload = await client.fetch(
        `/api/sessions/${sessionId}/datasets?filename=t.csv`,
        { method: "POST", body: "a,b\n1,2\n3,4\n" },
      );
      const dataset = await upload.json();
      const job = await orphanedWorkflowJob(kvA, {
        sessionId,
        ownerId: session.ownerId,
        datasetId: dataset.id,
        origin: a.url,
      });
      await Promise.all(
        [a.url, b.url].map(async (u) =>
          (await fetch(`${u}/health`)).body?.cancel()
        ),
      );
      const done = await eventually(
        "the job to end",
        async () => {
          const j = await getJob(kvB, job.id);
          return j?.status === "completed" ? j : null;
        },
        30_000,
        50,
      );
      assert.equal(done.attempts, 2);
    } finally {
      if (sessionId) {
        await (await client.fetch(`/api/sessions/${sessionId}`, {
          method: "DELETE",
        })).body?.cancel();
      }
      await a[Symbol.asyncDispose]();
      await b[Symbol.asyncDispose]();
      kvA.close();
      kvB.close();
    }
  },
});
