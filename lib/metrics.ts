/**
 * Every metric the app exposes at /metrics, in one prom-client registry and
 * in Prometheus conventions: `_total` counters, `_seconds` histograms, and a
 * `route` label that is the route pattern (`/api/sessions/:id`), never the
 * raw path. Counters are per instance, as Prometheus scrapes them; the
 * gauges read from the store (bytes stored, jobs by state) are the store's.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The registry /metrics writes out. */
export const registry = new Registry();
const registers = [registry];

const FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SLOW = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const httpRequests = new Counter({
  name: "chartroom_http_requests_total",
  help: "HTTP requests by method, route pattern and status.",
  labelNames: ["method", "route", "status"] as const,
  registers,
});

export const httpDuration = new Histogram({
  name: "chartroom_http_request_duration_seconds",
  help: "Time to the response's head, by method and route pattern.",
  labelNames: ["method", "route"] as const,
  buckets: FAST,
  registers,
});

export const sseStreamsOpen = new Gauge({
  name: "chartroom_sse_streams_open",
  help: "Server-sent event streams open on this instance.",
  registers,
});

export const chatTurns = new Counter({
  name: "chartroom_chat_turns_total",
  help: "Chat turns by outcome (ok, error: the turn sent an error event).",
  labelNames: ["outcome"] as const,
  registers,
});

export const chatTurnDuration = new Histogram({
  name: "chartroom_chat_turn_duration_seconds",
  help: "Chat turns from the request to their done event.",
  buckets: SLOW,
  registers,
});

export const renders = new Counter({
  name: "chartroom_renders_total",
  help: "Drawings by kind (png, svg, vector) and outcome (ok, error).",
  labelNames: ["kind", "outcome"] as const,
  registers,
});

export const renderDuration = new Histogram({
  name: "chartroom_render_duration_seconds",
  help:
    "Drawings from the request to the render pool to its answer (waiting included).",
  labelNames: ["kind"] as const,
  buckets: SLOW,
  registers,
});

/** Set when the render pool module loads, so this module does not import it. */
let renderQueue: () => number = () => 0;

/** Tells the metrics how to read the render pool's queue depth. */
export function setRenderQueueProbe(probe: () => number): void {
  renderQueue = probe;
}

new Gauge({
  name: "chartroom_render_queue_depth",
  help: "Drawings waiting for a render worker on this instance.",
  registers,
  collect() {
    this.set(renderQueue());
  },
});

export const artifactsCreated = new Counter({
  name: "chartroom_artifacts_created_total",
  help: "Charts created (new artifacts, not new versions).",
  registers,
});

export const kvOperationDuration = new Histogram({
  name: "chartroom_kv_operation_duration_seconds",
  help:
    "Deno KV calls by operation (get, get_many, set, delete, commit, list).",
  labelNames: ["op"] as const,
  buckets: FAST,
  registers,
});

export const kvBusyRetries = new Counter({
  name: "chartroom_kv_busy_retries_total",
  help:
    "Writes to a local KV file tried again because another process held its lock.",
  registers,
});

export const persistenceErrors = new Counter({
  name: "chartroom_persistence_errors_total",
  help: "Deno KV calls that failed, by operation.",
  labelNames: ["op"] as const,
  registers,
});

export const bytesStored = new Gauge({
  name: "chartroom_bytes_stored",
  help:
    "Bytes of live blobs in the store, as counted by the last full housekeeping pass.",
  registers,
});

export const sweeps = new Counter({
  name: "chartroom_sweep_slices_total",
  help: "Housekeeping slices this instance swept.",
  registers,
});

export const swept = new Counter({
  name: "chartroom_swept_total",
  help: "Records housekeeping removed, by kind (expired, orphan_blob).",
  labelNames: ["kind"] as const,
  registers,
});

export const jobsByState = new Gauge({
  name: "chartroom_jobs",
  help: "Background jobs in the store by type and state.",
  labelNames: ["type", "state"] as const,
  registers,
});

export const quotaRefusals = new Counter({
  name: "chartroom_quota_refusals_total",
  help: "Requests refused (429) by the limit they passed.",
  labelNames: ["limit"] as const,
  registers,
});

/** Returns how long since `started` (a `performance.now()`), in seconds. */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
