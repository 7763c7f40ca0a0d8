/**
 * Issue 15's hostile requests against a server in its own process, run as
 * `deno task start` runs it: for each, how long until it is stopped, and
 * meanwhile `/health` latency (median, p95, max) and the server's resident
 * memory (peak growth over the start, and what is left afterwards).
 * Run: `deno run -A bench/hostile.ts [--timeout=10000]` (SQL_TIMEOUT_MS,
 * default the server's own 10 s; RENDER_TIMEOUT 3 s).
 */
import { Client } from "@/tests/_fixtures.ts";
import { startServerProcess } from "./_server.ts";
import { type ProbeReport, probeWhile, quantile } from "./_probe.ts";
import {
  HOSTILE_RENDERS,
  HOSTILE_SQL,
  runSqlWorkflow,
  sessionWithData,
} from "./_hostile.ts";

const MB = 1024 * 1024;
const timeoutArg = Deno.args.find((a) => a.startsWith("--timeout="));
// The 100,000-point line is a 2 MB request, drawn in 5–10 s: a 3 s
// RENDER_TIMEOUT stops it.
const env: Record<string, string> = {
  MAX_BODY_BYTES: "4MiB",
  RENDER_TIMEOUT: "3s",
};
if (timeoutArg) env.SQL_TIMEOUT_MS = timeoutArg.split("=")[1];

await using server = await startServerProcess(env);
const client = new Client(server.url);
const sessionId = await sessionWithData(client);
await runSqlWorkflow(client, sessionId, "SELECT 1 AS one");
const baseline = server.rss();
console.log(`server RSS after start: ${Math.round(baseline / MB)} MB`);
// The same probe with nothing running: what this machine gives at best.
const idle = await probeWhile(
  server,
  () => new Promise((resolve) => setTimeout(resolve, 3000)),
);
console.log(
  `/health idle: p50 ${quantile(idle.report.healthMs, 0.5).toFixed(1)} ms, ` +
    `p95 ${quantile(idle.report.healthMs, 0.95).toFixed(1)} ms, max ${
      Math.max(...idle.report.healthMs).toFixed(1)
    } ms (n ${idle.report.healthMs.length})`,
);

const rows: string[][] = [];
const all: number[] = [];
/** Adds a table row for one hostile request. */
function record(name: string, ended: string, report: ProbeReport): void {
  all.push(...report.healthMs);
  rows.push([
    name,
    ended,
    `${(report.ms / 1000).toFixed(1)} s`,
    String(report.healthMs.length),
    quantile(report.healthMs, 0.5).toFixed(1),
    quantile(report.healthMs, 0.95).toFixed(1),
    Math.max(...report.healthMs).toFixed(1),
    `+${Math.round((report.peakRss - baseline) / MB)} MB`,
  ]);
}
for (const hostile of HOSTILE_SQL) {
  const { value: job, report } = await probeWhile(
    server,
    () => runSqlWorkflow(client, sessionId, hostile.query),
  );
  record(hostile.name, job.error?.code ?? job.status, report);
}
const { artifactId } = await client.sessionWithChart(
  "bar chart of average no2 per city",
);
for (const hostile of HOSTILE_RENDERS) {
  const { value: response, report } = await probeWhile(
    server,
    () => hostile.send(client, artifactId),
  );
  const body = response.ok
    ? await response.body?.cancel().then(() => ({}))
    : await response.json();
  record(hostile.name, `${response.status} ${body.error?.code ?? ""}`, report);
}
await runSqlWorkflow(client, sessionId, "SELECT 1 AS one");
const held = Math.round((server.rss() - baseline) / MB);

const header = [
  "request",
  "ended with",
  "after",
  "/health n",
  "p50 ms",
  "p95 ms",
  "max ms",
  "peak RSS",
];
console.log(`| ${header.join(" | ")} |`);
console.log(`| ${header.map(() => "---").join(" | ")} |`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
console.log(
  `/health over all ${all.length}: p50 ${quantile(all, 0.5).toFixed(1)} ms, ` +
    `p95 ${quantile(all, 0.95).toFixed(1)} ms, max ${
      Math.max(...all).toFixed(1)
    } ms; RSS afterwards ${held >= 0 ? "+" : ""}${held} MB over the start`,
);
