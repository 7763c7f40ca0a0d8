/**
 * Every core of one machine: the real `deno task start --parallel` (one
 * process, `deno serve --parallel` with two instances) on a KV file in a
 * folder outside .data. Every request goes on a new connection, so the
 * kernel spreads them over both instances, which share nothing in memory.
 */
import assert from "node:assert/strict";
import { Client, collectFrames } from "@/tests/_fixtures.ts";
import { eventually, spawnApp } from "@/tests/_instances.ts";

/** Requests on a new connection each: the client keeps no idle connection. */
function freshConnections(client: Client, http: Deno.HttpClient) {
  return (path: string, init: RequestInit = {}) =>
    client.fetch(path, { ...init, client: http } as RequestInit);
}

/** The answering instance's own count of requests served, from /metrics. */
async function served(
  fetch: (path: string) => Promise<Response>,
): Promise<number> {
  const text = await (await fetch("/metrics")).text();
  const counts = text.split("\n")
    .filter((l) => l.startsWith("chartroom_http_requests_total{"))
    .map((l) => Number(l.split(" ").at(-1)));
  return counts.reduce((a, b) => a + b, 0);
}

Deno.test({
  name:
    "parallel: deno task start --parallel serves one store from two instances; cookies, sessions and live events work whichever answers",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chartroom-parallel-" });
    try {
      await using app = await spawnApp(`${dir}/kv/parallel.kv`, {
        DENO_JOBS: "2",
        STREAM_WORD_DELAY_MS: "3",
        RENDER_WORKERS: "1",
      }, { parallel: true });
      using http = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
      const fetch = freshConnections(new Client(app.url), http);

      // Two instances answer: each keeps its own request counter (one
      // instance's grows at every request), so a count that does not grow
      // came from the other one.
      await eventually("a second instance to answer", async () => {
        const counts: number[] = [];
        for (let i = 0; i < 8; i++) counts.push(await served(fetch));
        // (/metrics counts itself: one instance alone reads 0, 1, 2, ...)
        return Math.max(...counts) > 0 &&
          counts.some((n, i) => i > 0 && n <= counts[i - 1]);
      }, 60_000);

      // The identity cookie and the session one instance made are good on
      // every request, whichever instance takes it.
      const created = await fetch("/api/sessions", { method: "POST" });
      assert.equal(created.status, 201);
      const { id: sessionId } = await created.json();
      for (let i = 0; i < 12; i++) {
        const read = await fetch(`/api/sessions/${sessionId}`);
        assert.equal(read.status, 200, `request ${i}`);
        await read.body?.cancel();
      }

      // A follower on one connection sees a turn posted on another: every
      // event once, in order.
      const following = await fetch(
        `/api/sessions/${sessionId}/events?after=0`,
        { signal: AbortSignal.timeout(90_000) },
      );
      assert.equal(following.status, 200);
      const seen = collectFrames(following.body!, (f) => f.event === "done");
      const turn = await fetch(`/api/sessions/${sessionId}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ content: "bar chart of average no2 per city" }),
      });
      assert.equal(turn.status, 200);
      const posted = await collectFrames(turn.body!);
      assert.equal(posted.at(-1)!.event, "done");
      assert.ok(posted.some((f) => f.event === "artifact_created"));
      assert.deepEqual(await seen, posted);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
