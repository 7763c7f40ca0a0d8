/**
 * Memory: run as a fresh process by render_load.ts. Renders the four peer
 * charts in turn through `renderPng` (the worker pool, as the server does),
 * two rounds of `count` (default 500) renders, and prints one JSON line with
 * the resident set size after each round and the peak seen, in MB.
 * `RENDER_WORKERS=n` sets the pool's size as it does for the server.
 */
import {
  closeRenderPool,
  configureRenderPool,
} from "@/lib/drawing/render_pool.ts";
import { renderPng } from "@/lib/drawing/png.ts";
import { loadPeerCharts, PEER_SIZE } from "./_peer_charts.ts";

const count = Number(Deno.args[0] ?? 500);
const workers = Deno.env.get("RENDER_WORKERS");
if (workers) configureRenderPool({ size: Number(workers) });
const peers = await loadPeerCharts();
if (!peers) throw new Error("peer-charts.json not found");
const options = Object.values(peers);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

let peak = 0;
const rounds: number[] = [];
for (let round = 0; round < 2; round++) {
  // Two at a time, so both workers of a 2-core pool are used.
  for (let i = 0; i < count; i += 2) {
    await Promise.all([
      renderPng(options[i % options.length], PEER_SIZE),
      renderPng(options[(i + 1) % options.length], PEER_SIZE),
    ]);
    if (i % 20 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
  }
  const rss = Deno.memoryUsage().rss;
  peak = Math.max(peak, rss);
  rounds.push(rss);
}
console.log(JSON.stringify({
  renders_per_round: count,
  rss_mb_after_round: rounds.map(mb),
  peak_rss_mb: mb(peak),
}));
await closeRenderPool();
