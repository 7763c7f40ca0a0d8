/**
 * /metrics: records each request under its route pattern, and reads the
 * store-wide gauges (bytes stored, jobs by state) when scraped.
 */
import {
  bytesStored,
  httpDuration,
  httpRequests,
  jobsByState,
  registry,
} from "@/lib/metrics.ts";
import { countJobsByState, getBytesStored } from "@/lib/kv/stats.ts";

/** The content type of the Prometheus text format. */
export const METRICS_CONTENT_TYPE = registry.contentType;

/** Records one finished request: `route` is its pattern (`/api/sessions/:id`). */
export function recordRequest(
  method: string,
  route: string,
  status: number,
  seconds: number,
): void {
  httpRequests.inc({ method, route, status: String(status) });
  httpDuration.observe({ method, route }, seconds);
}

/** Most job records one scrape reads to count jobs by state. */
const JOB_SCAN_LIMIT = 10_000;
/** Store-wide gauges are read at most this often per instance. */
const STORE_READ_EVERY_MS = 10_000;
let storeReadAt = -Infinity;

async function readStoreGauges(kv: Deno.Kv): Promise<void> {
  const bytes = await getBytesStored(kv);
  if (bytes !== null) bytesStored.set(bytes);
  const counts = await countJobsByState(kv, JOB_SCAN_LIMIT);
  jobsByState.reset();
  for (const [label, n] of counts) {
    const [type, state] = label.split("|");
    jobsByState.set({ type, state }, n);
  }
}

/** Returns every metric in the Prometheus text format. */
export async function renderMetrics(kv: Deno.Kv): Promise<string> {
  const now = Date.now();
  if (now - storeReadAt >= STORE_READ_EVERY_MS) {
    storeReadAt = now;
    await readStoreGauges(kv);
  }
  return await registry.metrics();
}
