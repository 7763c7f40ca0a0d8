/**
 * Session ZIP memory: a real server on 127.0.0.1 with a temp-file KV, a
 * session of N charts (default 50) made through the chat API from the sample
 * prompts, then `GET /api/sessions/:id/export?format=zip` read chunk by
 * chunk while the resident set size is sampled every 50 ms from before the
 * request to the end. Prints one JSON line: peak RSS growth in MB, time and
 * bytes. Run: `deno run -A bench/session_zip.ts [charts] [--cold]`.
 *
 * By default one PNG is drawn through `/api/render` first, so the render
 * worker (a fixed ~100 MB isolate that any PNG starts) is already running,
 * as on a server that has drawn a chart in the last minute; `--cold` leaves
 * the pool empty, so the growth includes starting that worker.
 */
import { Client, startTestServer } from "../tests/_fixtures.ts";
import { SAMPLE_PROMPTS } from "../lib/agent/samples.ts";

const args = Deno.args.filter((a) => !a.startsWith("--"));
const cold = Deno.args.includes("--cold");
const charts = Number(args[0] ?? 50);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

await using server = await startTestServer({ STREAM_WORD_DELAY_MS: "0" });
const client = new Client(server.url);
const sessionId = await client.createSession();
for (let i = 0; i < charts; i++) {
  const frames = await client.chat(
    sessionId,
    SAMPLE_PROMPTS[i % SAMPLE_PROMPTS.length],
  );
  if (!frames.some((f) => f.event === "artifact_created")) {
    throw new Error(`turn ${i} made no chart`);
  }
}

if (!cold) {
  const warm = await client.json("/api/render", "POST", {
    option: {
      xAxis: { type: "category", data: ["a", "b"] },
      yAxis: {},
      series: [{ type: "bar", data: [3, 5] }],
    },
  });
  if (warm.status !== 200) throw new Error(`render: ${warm.status}`);
  await warm.arrayBuffer();
}

const before = Deno.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, Deno.memoryUsage().rss);
}, 50);
const started = performance.now();
const response = await client.fetch(
  `/api/sessions/${sessionId}/export?format=zip`,
);
if (response.status !== 200) {
  throw new Error(`export: ${response.status} ${await response.text()}`);
}
let bytes = 0;
let chunks = 0;
const reader = response.body!.getReader();
while (true) {
  const { done, value } = await reader.read();
  if (done) break;
  bytes += value.length;
  chunks++;
}
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, Deno.memoryUsage().rss);
console.log(JSON.stringify({
  charts,
  pool: cold ? "cold" : "warm",
  rss_mb_before: mb(before),
  peak_rss_mb: mb(peak),
  peak_growth_mb: mb(peak - before),
  total_ms: Math.round(ms),
  bytes,
  chunks,
}));
