import assert from "node:assert/strict";
import { tempKv } from "@/tests/_fixtures.ts";
import { setLogLevel } from "@/lib/log.ts";
import {
  createJobRunner,
  JobFailed,
  type JobKind,
  type JobRunner,
} from "@/lib/jobs/runner.ts";
import { createJob, getJob, type Job, JOB_LEASE } from "@/lib/kv/jobs.ts";
import { getLease, listLapsedLeases } from "@/lib/kv/lease.ts";
import { openKv } from "@/lib/kv/open.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The crashes below are on purpose; their error lines would only be noise.
setLogLevel("silent");

const newJob = (request: unknown = {}) => ({
  type: "workflow" as const,
  sessionId: "S1",
  ownerId: "O1",
  request,
  origin: "http://x",
  ttlMs: 60_000,
  listed: true,
});

/** Polls the job until it is completed or failed. */
async function settled(kv: Deno.Kv, id: string, ms = 5000): Promise<Job> {
  const until = Date.now() + ms;
  for (;;) {
    const job = await getJob(kv, id);
    if (job && (job.status === "completed" || job.status === "failed")) {
      return job;
    }
    if (Date.now() > until) throw new Error(`job ${id}: ${job?.status}`);
    await sleep(20);
  }
}

function runner(kv: Deno.Kv, kind: JobKind, leaseMs = 300): JobRunner {
  return createJobRunner({
    kv,
    leaseMs,
    maxAttempts: 3,
    kinds: { workflow: kind },
    retryDelayMs: () => 0,
  });
}

Deno.test("jobs: the accepting instance runs a job at once; its record, lease and attempts follow", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const seen: string[] = [];
  const jobs = runner(kv, {
    async run(ctx) {
      seen.push(ctx.job.status);
      assert.ok(
        await getLease(kv, JOB_LEASE, ctx.job.id),
        "held while running",
      );
      await ctx.update(() => ({ outputs: [] }));
    },
  });
  try {
    const { job, done } = await jobs.start(newJob());
    assert.equal(job.status, "queued");
    const final = await done;
    assert.equal(final?.status, "completed");
    assert.deepEqual(seen, ["running"]);
    const stored = await getJob(kv, job.id);
    assert.equal(stored!.status, "completed");
    assert.equal(stored!.attempts, 1);
    assert.equal(stored!.runner, null);
    assert.equal(await getLease(kv, JOB_LEASE, job.id), null, "lease ended");
  } finally {
    await jobs.close();
  }
});

Deno.test("jobs: of two instances claiming the same lapsed job exactly one runs it", async () => {
  await using store = await tempKv();
  const other = await openKv(store.path);
  const runs: string[] = [];
  const kind = (name: string): JobKind => ({
    async run() {
      runs.push(name);
      await sleep(50);
    },
  });
  const a = runner(store.kv, kind("a"));
  const b = runner(other, kind("b"));
  try {
    const { job } = await createJob(store.kv, newJob(), {
      owner: "dead",
      leaseMs: 1,
    });
    await sleep(5);
    const claimed = await Promise.all([a.claimLapsed(), b.claimLapsed()]);
    assert.equal(claimed[0] + claimed[1], 1, JSON.stringify(claimed));
    const final = await settled(store.kv, job.id);
    assert.equal(final.status, "completed");
    assert.equal(final.attempts, 2);
    assert.equal(runs.length, 1, runs.join());
  } finally {
    await a.close();
    await b.close();
    other.close();
  }
});

Deno.test("jobs: a crash is retried by the next claim; one that keeps crashing fails; a bad request fails at once", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const attempts = new Map<string, number>();
  const jobs = runner(kv, {
    run(ctx) {
      const n = (attempts.get(ctx.job.id) ?? 0) + 1;
      attempts.set(ctx.job.id, n);
      const mode = (ctx.job.request as { mode: string }).mode;
      if (mode === "flaky" && n === 1) throw new Error("boom");
      if (mode === "broken") throw new Error("always");
      if (mode === "bad") {
        throw new JobFailed({ step: 2, code: "invalid_step", message: "no" });
      }
      return Promise.resolve();
    },
  });
  try {
    const started = await Promise.all(
      ["flaky", "broken", "bad"].map((mode) => jobs.start(newJob({ mode }))),
    );
    const [flaky, broken, bad] = started.map((s) => s.job.id);
    // Crashed attempts are handed back; claims take them up again.
    for (let i = 0; i < 20; i++) {
      await jobs.claimLapsed();
      const states = await Promise.all(
        [flaky, broken].map((id) => getJob(kv, id)),
      );
      if (
        states.every((j) => j!.status === "completed" || j!.status === "failed")
      ) break;
      await sleep(20);
    }
    const f = await settled(kv, flaky);
    assert.equal(f.status, "completed");
    assert.equal(f.attempts, 2);
    const b = await settled(kv, broken);
    assert.equal(b.status, "failed");
    assert.equal(b.error?.code, "internal");
    assert.equal(attempts.get(broken), 3, "tried maxAttempts times");
    const d = await settled(kv, bad);
    assert.equal(d.status, "failed");
    assert.deepEqual(d.error, { step: 2, code: "invalid_step", message: "no" });
    assert.equal(attempts.get(bad), 1);
    assert.deepEqual(await listLapsedLeases(kv, JOB_LEASE), []);
  } finally {
    await jobs.close();
  }
});

Deno.test("jobs: shutdown hands a running job back and another instance finishes it; a job that keeps dying is given up", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const started = Promise.withResolvers<void>();
  const first = runner(kv, {
    async run(ctx) {
      started.resolve();
      while (!ctx.signal.aborted) await sleep(10);
      throw new Error("stopped");
    },
  });
  const { job } = await first.start(newJob());
  await started.promise;
  await first.close();
  const handed = await getJob(kv, job.id);
  assert.equal(handed!.status, "queued");
  assert.equal(handed!.error, null, "a shutdown is no crash");

  let ran = 0;
  const second = runner(kv, {
    run() {
      ran++;
      return Promise.resolve();
    },
  });
  try {
    assert.equal(await second.claimLapsed(), 1);
    const done = await settled(kv, job.id);
    assert.equal(done.status, "completed");
    assert.equal(done.attempts, 2);
    assert.equal(ran, 1);

    // Its runners died three times (leases lapsed without a word).
    const { job: doomed } = await createJob(kv, newJob(), {
      owner: "dead",
      leaseMs: 1,
    });
    for (let i = 0; i < 3; i++) {
      await sleep(5);
      const [found] = await listLapsedLeases(kv, JOB_LEASE);
      const { claimLease } = await import("@/lib/kv/lease.ts");
      assert.ok(await claimLease(kv, found, { owner: "dead", ttlMs: 1 }));
    }
    await sleep(5);
    assert.equal(await second.claimLapsed(), 1);
    const given = await settled(kv, doomed.id);
    assert.equal(given.status, "failed");
    assert.equal(given.error?.code, "interrupted");
    assert.equal(ran, 1, "not run again");
  } finally {
    await second.close();
  }
});

Deno.test("jobs: an instance that loses its lease stops and writes nothing more", async () => {
  await using store = await tempKv();
  const { kv } = store;
  const stopped = Promise.withResolvers<string>();
  const jobs = runner(kv, {
    async run(ctx) {
      // Another instance takes the job over while this one stalls.
      await kv.delete(["lease", JOB_LEASE, ctx.job.id]);
      for (let i = 0; i < 100 && !ctx.signal.aborted; i++) await sleep(20);
      stopped.resolve(ctx.signal.aborted ? "aborted" : "still running");
      await ctx.update(() => ({ origin: "zombie" }));
    },
  }, 150);
  try {
    const { job, done } = await jobs.start(newJob());
    assert.equal(await stopped.promise, "aborted");
    assert.equal(await done, null);
    const stored = await getJob(kv, job.id);
    assert.equal(stored!.origin, "http://x", "the stale runner wrote nothing");
    assert.equal(stored!.status, "running");
  } finally {
    await jobs.close();
  }
});
