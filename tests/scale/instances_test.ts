/**
 * Many instances, one store: app processes sharing one KV file (in a temporary
 * folder outside .data; one of them started by the real `deno task start`),
 * with requests spread round-robin across them. Processes are killed with
 * SIGKILL in the middle of work, after SIGSTOP has frozen them at a point the
 * test checked, and the work is finished by the others.
 */
import assert from "node:assert/strict";
import { Client, collectFrames, type Frame } from "@/tests/_fixtures.ts";
import {
  type AppProcess,
  eventually,
  orphanedWorkflowJob,
  spawnApp,
} from "@/tests/_instances.ts";
import { openKv } from "@/lib/kv/open.ts";
import { keys } from "@/lib/kv/keys.ts";
import { getJob, type Job } from "@/lib/kv/jobs.ts";
import { getSession } from "@/lib/kv/sessions.ts";

const ENV = {
  // Short, so a takeover comes soon. On a loaded machine a live but stalled
  // process may still lose a job (and the takeover counts as an attempt), so
  // the checks below are about effects happening once, not about attempts.
  JOB_LEASE: "3s",
  JOB_ATTEMPTS: "10",
  STREAM_WORD_DELAY_MS: "3",
  RENDER_WORKERS: "1",
};

/** A CSV of `n` customers: enough rows that each workflow step takes a while. */
function customers(n: number): string {
  const lines = ["id,name,postal_code,region,spend"];
  for (let i = 0; i < n; i++) {
    const spend = i % 13 === 0 ? "" : String((i * 37 % 1000) / 10);
    lines.push(
      `${i},name${i % 977},${10000 + (i * 7919) % 90000},${
        "NSEW"[i % 4]
      },${spend}`,
    );
  }
  return lines.join("\n") + "\n";
}

const FOUR_STEPS = {
  input: "big.csv",
  steps: [
    {
      operation: "sort",
      arguments: { by: [{ column: "spend", direction: "desc" }] },
    },
    { operation: "fill_missing", arguments: { strategy: "value", value: 0 } },
    {
      operation: "sort",
      arguments: { by: [{ column: "name", direction: "asc" }] },
    },
    { operation: "convert", arguments: { format: "csv" } },
  ],
};

/** Opens /events on one instance and returns a reader of its frames up to `until`. */
async function follow(
  client: Client,
  url: string,
  sessionId: string,
  after: number,
) {
  // A follower that misses the end fails the test instead of hanging it.
  const response = await client.fetch(
    `${url}/api/sessions/${sessionId}/events?after=${after}`,
    { signal: AbortSignal.timeout(90_000) },
  );
  assert.equal(response.status, 200);
  return (until: (f: Frame) => boolean) => collectFrames(response.body!, until);
}

const lastSeq = async (kv: Deno.Kv, sessionId: string) =>
  (await kv.get<number>(keys.eventSeq(sessionId))).value ?? 0;

Deno.test({
  name: "instances: processes on one KV file share events, jobs and deletes",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "chartroom-instances-" });
    const kvPath = `${dir}/store/shared.kv`;
    const apps: AppProcess[] = [];
    const kv = await openKv(kvPath);
    try {
      // `deno task start` rebuilds stale bundles; have that done before any
      // process reads them.
      const build = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/build.ts", "--if-stale"],
        cwd: new URL("../../", import.meta.url),
        stdout: "null",
      }).output();
      assert.ok(build.success);
      // The first creates the store; then two more at once, one of them by
      // `deno task start` (which may write only to the KV file's folder).
      apps.push(await spawnApp(kvPath, ENV));
      apps.push(
        ...await Promise.all([
          spawnApp(kvPath, ENV),
          spawnApp(kvPath, ENV, { task: true }),
        ]),
      );
      const [a, b, c] = apps;
      const client = new Client(apps.map((p) => p.url));

      await t.step(
        "deno task start serves with KV_PATH outside .data",
        async () => {
          const sessionId = await client.createSession();
          const response = await client.fetch(
            `${c.url}/api/sessions/${sessionId}`,
          );
          assert.equal(
            response.status,
            200,
            "the three share sessions and keys",
          );
          await response.body?.cancel();
          const stat = await Deno.stat(kvPath);
          assert.ok(stat.isFile);
        },
      );

      await t.step(
        "a chat turn on one is seen live on the others, every event once, in order",
        async () => {
          const sessionId = await client.createSession();
          const after = await lastSeq(kv, sessionId);
          const onB = await follow(client, b.url, sessionId, after);
          const onC = await follow(client, c.url, sessionId, after);
          const isDone = (f: Frame) => f.event === "done";
          const watching = [onB(isDone), onC(isDone)];
          const turn = await client.json(
            `${a.url}/api/sessions/${sessionId}/messages`,
            "POST",
            { content: "line chart of pm25 by date for Kampala" },
          );
          const posted = await collectFrames(turn.body!);
          assert.ok(posted.length > 10, `${posted.length} events`);
          assert.equal(posted.at(-1)!.event, "done");
          const [seenB, seenC] = await Promise.all(watching);
          assert.deepEqual(seenB, posted);
          assert.deepEqual(seenC, posted);
          const ids = posted.map((f) => Number(f.id));
          assert.deepEqual(
            ids,
            ids.map((_, i) => ids[0] + i),
            "gapless, in order",
          );
        },
      );

      await t.step(
        "a workflow whose process is killed mid-step is finished by another",
        async () => {
          const sessionId = await client.createSession();
          const upload = await client.fetch(
            `/api/sessions/${sessionId}/datasets?filename=big.csv`,
            { method: "POST", body: customers(10_000) },
          );
          assert.equal(upload.status, 201, await upload.clone().text());
          await upload.body?.cancel();
          const onC = await follow(
            client,
            c.url,
            sessionId,
            await lastSeq(kv, sessionId),
          );
          const ended = onC((f) =>
            f.event === "workflow_completed" || f.event === "workflow_failed"
          );
          const started = await client.json(
            `${a.url}/api/sessions/${sessionId}/workflows`,
            "POST",
            FOUR_STEPS,
          );
          assert.equal(started.status, 202);
          const { id: jobId } = await started.json();
          // Step 1 done, step 2 under way on A: freeze A there, check, kill it.
          await eventually(
            "step 1 to finish on A",
            async () => {
              const job = await getJob(kv, jobId);
              return job !== null && job.outputs.length >= 1;
            },
            60_000,
            10,
          );
          a.signal("SIGSTOP");
          const frozen = (await getJob(kv, jobId))!;
          assert.equal(frozen.status, "running");
          assert.ok(frozen.outputs.length < 4, "A stopped mid-workflow");
          a.signal("SIGKILL");
          await a.exited;
          apps.push(await spawnApp(kvPath, ENV)); // for the steps below

          const done = await eventually(
            "another instance to finish it",
            async () => {
              const r = await client.fetch(`${b.url}/api/workflows/${jobId}`);
              const job = await r.json();
              return job.status === "completed" || job.status === "failed"
                ? job
                : null;
            },
            60_000,
            50,
          );
          assert.equal(done.status, "completed", JSON.stringify(done.error));
          assert.ok(done.attempts >= 2, `attempts ${done.attempts}`);
          assert.deepEqual(
            done.outputs.map((o: { step: number }) => o.step),
            [1, 2, 3, 4],
          );
          const events = (await ended).filter((f) => f.data.job_id === jobId);
          const starts = events.filter((f) => f.event === "workflow_started");
          assert.ok(starts.length >= 2 && starts.length <= done.attempts);
          assert.ok(starts.slice(1).every((f) => f.data.resumed === true));
          assert.ok(
            Number(starts[1].data.from_step) > frozen.outputs.length,
            "resumed after the steps A had finished",
          );
          assert.equal(
            events.filter((f) => f.event === "workflow_completed").length,
            1,
          );
          const ids = events.map((f) => Number(f.id));
          assert.deepEqual(ids, [...new Set(ids)].sort((x, y) => x - y));
          // Finished steps ran once: the upload and four outputs.
          const datasets = await (await client.fetch(
            `/api/sessions/${sessionId}/datasets`,
          )).json();
          assert.equal(datasets.datasets.length, 5);
        },
      );

      await t.step(
        "a session delete interrupted by a kill is finished by another",
        async () => {
          const sessionId = await client.createSession();
          const session = (await getSession(kv, sessionId))!;
          // Many small blobs of the session, so the sweep takes a while.
          const BLOBS = 400;
          const expiresAt = Date.now() + 3600_000;
          for (let start = 0; start < BLOBS; start += 200) {
            const op = kv.atomic();
            for (let i = start; i < start + 200; i++) {
              const id = `B${String(i).padStart(5, "0")}`;
              op.set(keys.blobChunk(id, 0), new Uint8Array(16))
                .set(keys.blobMeta(id), {
                  id,
                  size: 16,
                  chunks: 1,
                  mime: "x/y",
                  filename: null,
                  sessionId,
                  createdAt: Date.now(),
                  expiresAt,
                })
                .set(keys.blobBySession(sessionId, id), id);
            }
            assert.ok((await op.commit()).ok);
          }
          const left = async () => {
            let n = 0;
            for await (
              const _ of kv.list({
                prefix: keys.blobsBySessionPrefix(sessionId),
              })
            ) n++;
            return n;
          };
          const deleting = client.fetch(`${b.url}/api/sessions/${sessionId}`, {
            method: "DELETE",
          }).catch(() => null);
          await eventually(
            "the delete to start on B",
            async () => {
              const n = await left();
              return n < BLOBS - 20 && n > 0;
            },
            30_000,
            5,
          );
          b.signal("SIGSTOP");
          const remaining = await left();
          assert.ok(remaining > 0, "B stopped mid-delete");
          assert.equal(await getSession(kv, sessionId), null, "already hidden");
          b.signal("SIGKILL");
          await b.exited;
          await deleting;

          const survivors = [c.url, apps[3].url];
          const others = new Client(survivors);
          others.cookies = client.cookies;
          await eventually(
            "another instance to finish the delete",
            async () => {
              await (await others.fetch("/health")).body?.cancel();
              return await left() === 0;
            },
            30_000,
            100,
          );
          const ownedKeys = async () => {
            const owned: string[] = [];
            for await (const entry of kv.list({ prefix: [] })) {
              // Keys that name it, and records that mention it (the job too).
              const value = entry.value instanceof Uint8Array
                ? ""
                : JSON.stringify(entry.value) ?? "";
              if (entry.key.includes(sessionId) || value.includes(sessionId)) {
                owned.push(entry.key.join("/"));
              }
            }
            return owned;
          };
          // The job's own record goes last, just after the blobs.
          await eventually(
            "the delete's job record to go too",
            async () => (await ownedKeys()).length === 0,
            10_000,
            50,
          ).catch(() => {});
          assert.deepEqual(await ownedKeys(), []);
          assert.equal(
            (await others.fetch(`/api/sessions/${sessionId}`)).status,
            404,
          );
          const byOwner = await (await others.fetch("/api/sessions")).json();
          assert.ok(
            !byOwner.sessions.some((s: { id: string }) => s.id === session.id),
          );
        },
      );

      await t.step(
        "two instances claiming the same lapsed jobs: each runs exactly once",
        async () => {
          const pair = [c, apps[3]];
          const survivors = new Client(pair.map((p) => p.url));
          survivors.cookies = client.cookies;
          const sessionId = await survivors.createSession();
          const session = (await getSession(kv, sessionId))!;
          const upload = await survivors.fetch(
            `/api/sessions/${sessionId}/datasets?filename=t.csv`,
            { method: "POST", body: customers(50) },
          );
          const dataset = await upload.json();
          // Jobs whose instance died before running them: all lapse at once.
          const jobs: Job[] = [];
          for (let i = 0; i < 6; i++) {
            const job = await orphanedWorkflowJob(kv, {
              sessionId,
              ownerId: session.ownerId,
              datasetId: dataset.id,
              origin: c.url,
            });
            jobs.push(job);
          }
          // Both take requests at the same moment.
          await Promise.all(
            pair.flatMap((p) =>
              [0, 1, 2].map(async () =>
                (await fetch(`${p.url}/health`)).body?.cancel()
              )
            ),
          );
          const finals = await eventually(
            "every job to end",
            async () => {
              await Promise.all(
                pair.map(async (p) =>
                  (await fetch(`${p.url}/health`)).body?.cancel()
                ),
              );
              const all = await Promise.all(jobs.map((j) => getJob(kv, j.id)));
              return all.every((j) => j!.status === "completed") ? all : null;
            },
            60_000,
            100,
          );
          for (const final of finals) {
            assert.ok(final!.attempts >= 2);
            assert.equal(final!.outputs.length, 1);
          }
          // One output dataset per job besides the upload: none ran twice.
          const datasets = await (await survivors.fetch(
            `/api/sessions/${sessionId}/datasets`,
          )).json();
          assert.equal(datasets.datasets.length, 1 + jobs.length);
          const events = await collectFrames(
            (await survivors.fetch(
              `${c.url}/api/sessions/${sessionId}/events?after=0`,
              { signal: AbortSignal.timeout(60_000) },
            )).body!,
            (() => {
              let completed = 0;
              return (f: Frame) =>
                f.event === "workflow_completed" && ++completed === jobs.length;
            })(),
          );
          for (const job of jobs) {
            const kinds = events.filter((f) => f.data.job_id === job.id)
              .map((f) => f.event).filter((e) => e !== "progress");
            assert.equal(kinds[0], "workflow_started", job.id);
            assert.deepEqual(
              kinds.filter((e) => e === "workflow_completed"),
              ["workflow_completed"],
              job.id,
            );
          }
        },
      );
    } finally {
      for (const app of apps) await app[Symbol.asyncDispose]();
      kv.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
