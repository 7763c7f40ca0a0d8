/**
 * Cold start: run as a fresh process by render_load.ts, it renders the peer
 * line chart (800×400 @2x) through `renderPng`, writes it to the path given
 * as the first argument, prints "written", and exits. The parent times from
 * spawning this process to that line.
 */
import { closeRenderPool } from "@/lib/drawing/render_pool.ts";
import { renderPng } from "@/lib/drawing/png.ts";
import { loadPeerCharts, PEER_SIZE } from "./_peer_charts.ts";

const out = Deno.args[0];
if (!out) throw new Error("usage: cold_png.ts <out.png>");
const peers = await loadPeerCharts();
if (!peers) throw new Error("peer-charts.json not found");
const png = await renderPng(peers.line, PEER_SIZE);
await Deno.writeFile(out, png);
console.log("written");
await closeRenderPool();
