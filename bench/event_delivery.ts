/**
 * Live events across processes: a chat turn runs on process A while a client
 * follows the session's /events on process B (another process on the same KV
 * file, so B learns of A's writes by its versionstamp poll) and on A itself
 * (kv.watch). For each event, the delay is when the follower delivered it
 * minus when A's own turn stream delivered it; p50 / p95 / max over every
 * event of several turns. With DENO_KV_TEST_URL set (a KV Connect server) it
 * runs on that store too, where B follows by kv.watch.
 *
 * Run: deno run -A bench/event_delivery.ts [turns]
 */
import { Client } from "@/tests/_fixtures.ts";
import { spawnApp } from "@/tests/_instances.ts";
import { readSse } from "@/lib/client/sse_client.ts";

const TURNS = Number(Deno.args[0] ?? 12);
const PROMPTS = [
  "line chart of pm25 by date for Kampala",
  "bar chart of average no2 per city",
  "pie chart of total revenue by region",
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Reads a stream's events, noting when each id arrived, until `stop` aborts. */
function arrivals(body: ReadableStream<Uint8Array>, into: Map<string, number>) {
  return (async () => {
    for await (const message of readSse(body)) {
      if (message.id) into.set(message.id, performance.now());
    }
  })().catch(() => {});
}

async function measure(kvPath: string, label: string) {
  const env = { STREAM_WORD_DELAY_MS: "12" };
  await using a = await spawnApp(kvPath, env);
  await using b = await spawnApp(kvPath, env);
  const client = new Client(a.url);
  const sessionId = await client.createSession();
  const stop = new AbortController();
  const seenOnB = new Map<string, number>();
  const seenOnA = new Map<string, number>();
  const onB = await client.fetch(
    `${b.url}/api/sessions/${sessionId}/events?after=0`,
    { signal: stop.signal },
  );
  const onA = await client.fetch(
    `${a.url}/api/sessions/${sessionId}/events?after=0`,
    { signal: stop.signal },
  );
  const following = [
    arrivals(onB.body!, seenOnB),
    arrivals(onA.body!, seenOnA),
  ];
  const written = new Map<string, number>();
  for (let i = 0; i < TURNS; i++) {
    const response = await client.json(
      `/api/sessions/${sessionId}/messages`,
      "POST",
      { content: PROMPTS[i % PROMPTS.length] },
    );
    for await (const message of readSse(response.body!)) {
      if (message.id) written.set(message.id, performance.now());
    }
    // Let the followers catch up before the next turn.
    const last = [...written.keys()].at(-1)!;
    for (let w = 0; w < 200 && !(seenOnB.has(last) && seenOnA.has(last)); w++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  stop.abort();
  await Promise.all(following);
  const delays = (seen: Map<string, number>) => {
    const out: number[] = [];
    for (const [id, at] of written) {
      const got = seen.get(id);
      if (got === undefined) throw new Error(`${label}: event ${id} missed`);
      out.push(Math.max(0, got - at));
    }
    return out;
  };
  const line = (what: string, values: number[]) =>
    `  ${what}: p50 ${percentile(values, 0.5).toFixed(1)} ms, p95 ${
      percentile(values, 0.95).toFixed(1)
    } ms, max ${Math.max(...values).toFixed(1)} ms (${values.length} events)`;
  console.log(`event delivery, ${label} (${TURNS} turns)`);
  console.log(line("other process", delays(seenOnB)));
  console.log(line("same process (kv.watch)", delays(seenOnA)));
}

const dir = await Deno.makeTempDir({ prefix: "chartroom-events-" });
try {
  await measure(
    `${dir}/events.kv`,
    "local KV file shared by two processes, EVENT_POLL 250ms",
  );
} finally {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
const remote = Deno.env.get("DENO_KV_TEST_URL");
if (remote) await measure(remote, `KV Connect store ${remote}`);
else {
  console.log(
    "  (set DENO_KV_TEST_URL and DENO_KV_ACCESS_TOKEN to measure kv.watch across processes on a KV Connect store)",
  );
}
