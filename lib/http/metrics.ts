/** In-process request metrics, exposed in Prometheus text format at /metrics. */

const requests = new Map<string, number>();
const durationBuckets = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const durationCounts = new Array(durationBuckets.length + 1).fill(0);
let durationSum = 0;
let durationCount = 0;

/** Records one finished request. */
export function recordRequest(method: string, status: number, ms: number) {
  const key = `${method}|${status}`;
  requests.set(key, (requests.get(key) ?? 0) + 1);
  const bucket = durationBuckets.findIndex((b) => ms <= b);
  durationCounts[bucket === -1 ? durationBuckets.length : bucket]++;
  durationSum += ms;
  durationCount++;
}

/** Returns every metric in Prometheus text exposition format. */
export function renderMetrics(): string {
  const lines = [
    "# HELP chartroom_http_requests_total HTTP requests by method and status.",
    "# TYPE chartroom_http_requests_total counter",
  ];
  for (const [key, count] of requests) {
    const [method, status] = key.split("|");
    lines.push(
      `chartroom_http_requests_total{method="${method}",status="${status}"} ${count}`,
    );
  }
  lines.push(
    "# HELP chartroom_http_request_duration_ms Request duration in milliseconds.",
    "# TYPE chartroom_http_request_duration_ms histogram",
  );
  let cumulative = 0;
  durationBuckets.forEach((bound, i) => {
    cumulative += durationCounts[i];
    lines.push(
      `chartroom_http_request_duration_ms_bucket{le="${bound}"} ${cumulative}`,
    );
  });
  cumulative += durationCounts[durationBuckets.length];
  lines.push(
    `chartroom_http_request_duration_ms_bucket{le="+Inf"} ${cumulative}`,
  );
  lines.push(
    `chartroom_http_request_duration_ms_sum ${durationSum.toFixed(3)}`,
  );
  lines.push(`chartroom_http_request_duration_ms_count ${durationCount}`);
  return lines.join("\n") + "\n";
}
