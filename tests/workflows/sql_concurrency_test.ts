/** SQL_CONCURRENCY over real HTTP: one identity's statements take turns; another's are not held up. */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import {
  type FinishedJob,
  runSqlWorkflow,
  sessionWithData,
} from "@/bench/_hostile.ts";

/** The job and when it ended (ms since the epoch). */
async function timed(job: Promise<FinishedJob>) {
  const done = await job;
  return { ...done, endedAt: Date.parse(done.finished_at) };
}

const ENDLESS =
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c";

Deno.test("SQL_CONCURRENCY: a second statement of one identity waits for the first; others run meanwhile", async () => {
  await using server = await startTestServer({
    SQL_CONCURRENCY: "1",
    SQL_TIMEOUT_MS: "1500",
  });
  const alice = new Client(server.url);
  const bob = new Client(server.url);
  const [aliceSession, bobSession] = await Promise.all([
    sessionWithData(alice),
    sessionWithData(bob),
  ]);
  // Both SQL workers started (a start can take seconds under `deno test`).
  await Promise.all([
    runSqlWorkflow(alice, aliceSession, "SELECT 1 AS x"),
    runSqlWorkflow(bob, bobSession, "SELECT 2 AS x"),
  ]);
  const first = timed(runSqlWorkflow(alice, aliceSession, ENDLESS));
  const second = timed(runSqlWorkflow(alice, aliceSession, ENDLESS));
  await new Promise((r) => setTimeout(r, 200));
  const quick = timed(
    runSqlWorkflow(bob, bobSession, "SELECT amount * 2 AS c FROM data"),
  );
  const [a1, a2, b] = await Promise.all([first, second, quick]);
  assert.equal(a1.error?.code, "sql_timeout");
  assert.equal(a2.error?.code, "sql_timeout", JSON.stringify(a2.error));
  assert.equal(b.status, "completed");
  const [early, late] = [a1, a2].sort((x, y) => x.endedAt - y.endedAt);
  // The later one started only when the earlier gave its slot back, then ran
  // for its own 1.5 s.
  assert.ok(
    late.endedAt - early.endedAt >= 1300,
    `ended ${late.endedAt - early.endedAt} ms apart`,
  );
  // Bob's had no turn to wait for.
  assert.ok(b.endedAt < late.endedAt, "bob's query waited for alice's");
});
