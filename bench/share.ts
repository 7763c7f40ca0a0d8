/**
 * Shared pages and embeds: a server (`main.ts` in its own process, as
 * `deno task start` runs it), a session of a few charts made through the
 * chat API, a link to the session and one to its newest chart; then, warm,
 * N requests one after another of the shared page (time to the response's
 * first byte: `fetch` resolves with the headers) and of the chart's PNG
 * embed served from the render cache (time to the whole image). Prints one
 * JSON line with medians and 95th percentiles, and the server's CPU time per
 * request (on a busy machine wall time includes waiting for a core).
 *
 * Issue 12's figures: shared page TTFB ≤ 20 ms median warm; embed PNG from
 * the cache ≤ 5 ms.
 *
 * Run: `deno run -A bench/share.ts [requests]`.
 */
import { Client } from "@/tests/_fixtures.ts";
import { SAMPLE_PROMPTS } from "@/lib/agent/samples.ts";
import { cpuMillis, startServerProcess } from "./_server.ts";

const requests = Number(Deno.args[0] ?? 200);

await using server = await startServerProcess({ STREAM_WORD_DELAY_MS: "0" });
const client = new Client(server.url);
const sessionId = await client.createSession();
let artifactId = "";
for (const prompt of SAMPLE_PROMPTS.slice(0, 4)) {
  const frames = await client.chat(sessionId, prompt);
  const made = frames.find((f) => f.event === "artifact_created");
  if (made) artifactId = String(made.data.artifact_id);
}
const share = async (body: unknown) => {
  const response = await client.json(
    `/api/sessions/${sessionId}/shares`,
    "POST",
    body,
  );
  if (response.status !== 201) throw new Error(`share: ${response.status}`);
  return (await response.json()).url as string;
};
const pageUrl = await share({});
const chartUrl = await share({ artifact_id: artifactId });
const pngUrl = `${chartUrl}.png?width=800&height=450&scale=2`;

/** Times `count` requests of `url`; `whole` waits for the body too. */
async function timed(url: string, count: number, whole: boolean) {
  const times: number[] = [];
  const cpuBefore = cpuMillis(server.pid);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(url);
    if (!whole) times.push(performance.now() - started);
    await response.arrayBuffer();
    if (whole) times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  }
  const cpu = (cpuMillis(server.pid) - cpuBefore) / count;
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.floor(q * (times.length - 1))] * 100) / 100;
  return { median_ms: at(0.5), p95_ms: at(0.95), server_cpu_ms: cpu };
}

// Warm: the page's code paths compiled, the image drawn and cached.
await timed(pageUrl, 20, false);
await timed(pngUrl, 5, true);
const page = await timed(pageUrl, requests, false);
const embed = await timed(pngUrl, requests, true);
const cached = await fetch(pngUrl);
await cached.arrayBuffer();
console.log(JSON.stringify({
  bench: "share",
  requests,
  shared_page_ttfb: page,
  embed_png_from_cache: embed,
  embed_cache: cached.headers.get("x-render-cache"),
  embed_bytes: Number(cached.headers.get("content-length")),
}));
