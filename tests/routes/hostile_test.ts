/**
 * The hostile SQL and drawings of issue 15 against a server in its own
 * process: each workflow `sql` step is stopped with a clear code, each
 * drawing over the budget is a 400, `/health` answers fast meanwhile, and
 * the server's memory stays bounded and is given back.
 */
import assert from "node:assert/strict";
import { Client } from "@/tests/_fixtures.ts";
import { startServerProcess } from "@/bench/_server.ts";
import { probeWhile, quantile } from "@/bench/_probe.ts";
import {
  HOSTILE_RENDERS,
  HOSTILE_SQL,
  runSqlWorkflow,
  sessionWithData,
} from "@/bench/_hostile.ts";

const MB = 1024 * 1024;
const TIMEOUT_MS = 4000;
/**
 * Refused at once (before: up to 29 s), or stopped at the deadline; the
 * bounds leave room for starting a new worker on a busy test machine.
 */
const QUICK_MS = 8000;
const DEADLINE_MS = TIMEOUT_MS + 6000;

Deno.test({
  name:
    "hostile SQL and drawings: each is stopped, /health stays fast and memory bounded throughout",
  sanitizeResources: false,
  async fn() {
    await using server = await startServerProcess({
      RENDER_WARMUP: "off",
      SQL_TIMEOUT_MS: String(TIMEOUT_MS),
      // A result over half of it comes after three large rows.
      SQL_MEMORY: "64MiB",
      // Short, so the 100,000-point line is past it on a fast machine too.
      RENDER_TIMEOUT: "1s",
      MAX_BODY_BYTES: "4MiB",
    });
    const client = new Client(server.url);
    const sessionId = await sessionWithData(client);
    // One harmless statement first: the SQL worker is started and loaded.
    const ok = await runSqlWorkflow(client, sessionId, "SELECT 1 AS one");
    assert.equal(ok.status, "completed");
    const baseline = server.rss();
    const health: number[] = [];
    let peak = baseline;
    for (const hostile of HOSTILE_SQL) {
      const { value: job, report } = await probeWhile(
        server,
        () => runSqlWorkflow(client, sessionId, hostile.query),
      );
      const { name } = hostile;
      assert.equal(job.status, "failed", name);
      assert.equal(
        job.error?.code,
        hostile.code,
        `${name}: ${job.error?.message}`,
      );
      const maxMs = hostile.runsToDeadline ? DEADLINE_MS : QUICK_MS;
      assert.ok(report.ms < maxMs, `${name}: ended after ${report.ms} ms`);
      health.push(...report.healthMs);
      peak = Math.max(peak, report.peakRss);
    }
    // The SQL workers that held the memory are gone: the server gives it
    // back (render workers, started below, hold ~50 MB each).
    const after = await runSqlWorkflow(client, sessionId, "SELECT 1 AS one");
    assert.equal(after.status, "completed");
    const held = (server.rss() - baseline) / MB;
    assert.ok(held < 150, `${Math.round(held)} MB still held`);
    // A chart for the export; its drawing also starts a render worker.
    const { artifactId } = await client.sessionWithChart(
      "bar chart of average no2 per city",
    );
    const renderHealth: number[] = [];
    for (const hostile of HOSTILE_RENDERS) {
      const { value: response, report } = await probeWhile(
        server,
        () => hostile.send(client, artifactId),
      );
      const body = await response.json();
      assert.equal(response.status, 400, hostile.name);
      assert.equal(body.error.code, hostile.code, hostile.name);
      // The 400 render_timeout shows the drawing was stopped (before, it ran
      // to the end and answered 200); the bound only catches a hang, and
      // leaves room for a 2 MB body on a machine loaded many times over.
      assert.ok(
        report.ms < DEADLINE_MS + 15_000,
        `${hostile.name}: ${report.ms} ms`,
      );
      renderHealth.push(...report.healthMs);
      peak = Math.max(peak, report.peakRss);
    }
    // ≤ 50 ms is the benchmark's figure (bench/hostile.ts, on a quiet
    // machine); here a bound generous enough for a busy test machine that a
    // request thread held by the statement (for the whole SQL_TIMEOUT_MS)
    // cannot meet.
    // A held thread makes every probe wait: the median would be seconds, and
    // one probe would wait out the whole statement. (A busy machine alone
    // delays a few probes a second or two.)
    const worst = Math.max(...health);
    const median = quantile(health, 0.5);
    assert.ok(
      worst < TIMEOUT_MS && median < 500,
      `/health took up to ${Math.round(worst)} ms (median ${
        Math.round(median)
      })`,
    );
    // A render API request parses and checks its option (2 MB here) on the
    // request thread; drawing it there would hold /health for many seconds.
    const worstRender = Math.max(...renderHealth);
    assert.ok(
      worstRender < TIMEOUT_MS,
      `/health took up to ${Math.round(worstRender)} ms during the drawings`,
    );
    const grew = (peak - baseline) / MB;
    assert.ok(grew < 600, `the server grew by ${Math.round(grew)} MB`);
  },
});
