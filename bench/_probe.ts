/**
 * Watching a server process while something hostile runs in it: `/health`
 * latency (one request at a time, as a load balancer's probe would) and the
 * process's resident memory, sampled until the watched work ends.
 */
import type { ServerProcess } from "./_server.ts";

export interface ProbeReport {
  /** Latency of each /health answer, in ms. */
  healthMs: number[];
  /** Highest resident set size seen, in bytes. */
  peakRss: number;
  /** How long the watched work took, in ms. */
  ms: number;
}

/** Returns the value at quantile `q` (0–1) of `values`. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Runs `work` and, until it settles, asks the server's `/health` every
 * `everyMs` and reads its memory; returns work's value and the report.
 */
export async function probeWhile<T>(
  server: ServerProcess,
  work: () => Promise<T>,
  everyMs = 25,
): Promise<{ value: T; report: ProbeReport }> {
  const started = performance.now();
  let settled = false;
  const running = work().finally(() => settled = true);
  const healthMs: number[] = [];
  let peakRss = server.rss();
  while (!settled) {
    const t = performance.now();
    const response = await fetch(`${server.url}/health`);
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`/health ${response.status}`);
    healthMs.push(performance.now() - t);
    peakRss = Math.max(peakRss, server.rss());
    await Promise.race([
      running.catch(() => {}),
      new Promise((r) => setTimeout(r, everyMs)),
    ]);
  }
  const value = await running;
  return {
    value,
    report: { healthMs, peakRss, ms: performance.now() - started },
  };
}
