/**
 * Session ZIP memory: a server (`main.ts`, its own process, temp-file KV,
 * configured as `deno task start` runs it, so it warms its renderer up when
 * it starts), a session of N charts (default 50) made through the chat API
 * from the sample prompts, then `GET /api/sessions/:id/export?format=zip`
 * read chunk by chunk while the server's resident set size is sampled every
 * 20 ms from before the request to the end. Prints one JSON line per export:
 * peak RSS growth over the RSS before it, time and bytes.
 *
 * Run: `deno run -A bench/session_zip.ts [charts] [--cold] [--no-warmup]
 * [--repeat=N] [--prime]`.
 *
 * By default one PNG the size of the ZIP's own (1600×900) is drawn through
 * `/api/render` first, so a render worker is running, as on a server that
 * has drawn a chart in the last minute. `--cold` lets the workers stop
 * first (RENDER_IDLE_TIMEOUT=2s, then a wait), so the growth includes
 * starting one, as after a quiet minute. `--no-warmup` starts the server
 * with RENDER_WARMUP=off: the first export then also pays for V8 compiling
 * resvg's hot code (40–60 MB for a moment, once per process).
 * `--repeat=N` exports the same session N times in a row (default 1), so
 * the first export and later ones show apart; `--prime` exports a
 * one-chart session first.
 */
import { Client } from "@/tests/_fixtures.ts";
import { SAMPLE_PROMPTS } from "@/lib/agent/samples.ts";
import { startServerProcess } from "./_server.ts";

const args = Deno.args.filter((a) => !a.startsWith("--"));
const cold = Deno.args.includes("--cold");
const warmUp = !Deno.args.includes("--no-warmup");
const prime = Deno.args.includes("--prime");
const repeat = Number(
  Deno.args.find((a) => a.startsWith("--repeat="))?.slice(9) ?? 1,
);
const charts = Number(args[0] ?? 50);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

await using server = await startServerProcess({
  STREAM_WORD_DELAY_MS: "0",
  RENDER_WARMUP: warmUp ? "on" : "off",
  ...(cold ? { RENDER_IDLE_TIMEOUT: "2s" } : {}),
});
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

if (cold) {
  // Longer than RENDER_IDLE_TIMEOUT: every worker has stopped.
  await new Promise((resolve) => setTimeout(resolve, 4000));
} else {
  const warm = await client.json("/api/render", "POST", {
    width: 800,
    height: 450,
    scale: 2,
    option: {
      xAxis: { type: "category", data: ["a", "b"] },
      yAxis: {},
      series: [{ type: "bar", data: [3, 5] }],
    },
  });
  if (warm.status !== 200) throw new Error(`render: ${warm.status}`);
  await warm.arrayBuffer();
}

/** Reads a whole session ZIP export; returns its size in bytes and chunks. */
async function exportZip(
  id: string,
): Promise<{ bytes: number; chunks: number }> {
  const response = await client.fetch(`/api/sessions/${id}/export?format=zip`);
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
  return { bytes, chunks };
}

if (prime) {
  const small = await client.createSession();
  await client.chat(small, SAMPLE_PROMPTS[0]);
  await exportZip(small);
}

for (let run = 1; run <= repeat; run++) {
  const before = server.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rss());
  }, 20);
  const started = performance.now();
  const { bytes, chunks } = await exportZip(sessionId);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, server.rss());
  console.log(JSON.stringify({
    charts,
    run,
    pool: cold ? "cold" : "warm",
    warmup: warmUp,
    primed: prime,
    server_rss_mb_before: mb(before),
    server_peak_rss_mb: mb(peak),
    peak_growth_mb: mb(peak - before),
    total_ms: Math.round(ms),
    bytes,
    chunks,
  }));
}
