/** What an operator watches: /metrics, /health/live and /health/ready, and the security headers. */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";

/** Returns the value of one sample line of a Prometheus text, or null. */
function sample(text: string, name: string, labels = ""): number | null {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    const series = line.slice(0, space);
    if (series === name + labels) return Number(line.slice(space + 1));
  }
  return null;
}

Deno.test("operations: /metrics in Prometheus conventions, a route label from the pattern, every family the issue lists", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { sessionId, artifactId } = await client.sessionWithChart(
    "bar chart of average no2 per city",
  );
  for (let i = 0; i < 2; i++) {
    await (await client.fetch(`/api/sessions/${sessionId}`)).body?.cancel();
  }
  const png = await client.fetch(
    `/api/artifacts/${artifactId}/export?format=png`,
  );
  assert.equal(png.status, 200);
  await png.body?.cancel();
  const metrics = await fetch(server.url + "/metrics");
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get("content-type")!, /^text\/plain/);
  const text = await metrics.text();
  // The pattern, not the path: no id ever appears in a label.
  assert.equal(
    sample(
      text,
      "chartroom_http_requests_total",
      '{method="GET",route="/api/sessions/:id",status="200"}',
    ),
    2,
  );
  assert.ok(!text.includes(sessionId), "no raw path in the labels");
  assert.match(
    text,
    /chartroom_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/sessions\/:id\/messages"\} \d+/,
  );
  assert.equal(
    sample(text, "chartroom_chat_turns_total", '{outcome="ok"}'),
    1,
  );
  assert.equal(sample(text, "chartroom_chat_turn_duration_seconds_count"), 1);
  assert.equal(sample(text, "chartroom_artifacts_created_total"), 1);
  assert.ok(
    (sample(text, "chartroom_renders_total", '{kind="png",outcome="ok"}') ??
      0) >= 1,
  );
  assert.ok(
    (sample(text, "chartroom_render_duration_seconds_count", '{kind="png"}') ??
      0) >= 1,
  );
  for (
    const family of [
      "chartroom_sse_streams_open",
      "chartroom_render_queue_depth",
      "chartroom_kv_operation_duration_seconds",
      "chartroom_persistence_errors_total",
      "chartroom_bytes_stored",
      "chartroom_sweep_slices_total",
      "chartroom_swept_total",
      "chartroom_jobs",
      "chartroom_quota_refusals_total",
    ]
  ) {
    assert.match(text, new RegExp(`# TYPE ${family} `), family);
  }
  assert.ok(
    (sample(
      text,
      "chartroom_kv_operation_duration_seconds_count",
      '{op="commit"}',
    ) ?? 0) > 0,
  );
  // Every histogram is in seconds.
  for (const match of text.matchAll(/# TYPE (\S+) histogram/g)) {
    assert.match(match[1], /_seconds$/);
  }
});

Deno.test("operations: /health/live always, /health/ready when KV answers and the instance is not stopping", async () => {
  await using server = await startTestServer();
  const live = await fetch(server.url + "/health/live");
  assert.equal(live.status, 200);
  assert.deepEqual(await live.json(), { status: "ok" });
  const ready = await fetch(server.url + "/health/ready");
  assert.equal(ready.status, 200);
  const body = await ready.json();
  assert.equal(body.status, "ok");
  assert.equal(body.kv, "ok");
  assert.equal(body.renderer, "ready");
  // A stopping instance is taken out of rotation but still lives.
  await server.running.instance.stop();
  const stopping = await fetch(server.url + "/health/ready");
  assert.equal(stopping.status, 503);
  assert.equal((await stopping.json()).stopping, true);
  assert.equal((await fetch(server.url + "/health/live")).status, 200);
});

Deno.test("operations: security headers on pages, API answers, errors and 404s; Secure cookie and HSTS behind HTTPS", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const cases: [string, RegExp][] = [
    ["/", /script-src 'self'/],
    [`/sessions/${sessionId}`, /script-src 'self'/],
    ["/api/sessions", /default-src 'none'/],
    ["/api/sessions/01J00000000000000000000000", /default-src 'none'/],
    ["/nowhere", /default-src 'none'/],
  ];
  for (const [path, csp] of cases) {
    const response = await client.fetch(path);
    await response.body?.cancel();
    const h = response.headers;
    assert.match(h.get("content-security-policy")!, csp, path);
    assert.match(h.get("content-security-policy")!, /frame-ancestors 'none'/);
    assert.doesNotMatch(h.get("content-security-policy")!, /unsafe-eval/);
    assert.equal(h.get("x-frame-options"), "DENY", path);
    assert.equal(h.get("x-content-type-options"), "nosniff", path);
    assert.equal(h.get("referrer-policy"), "same-origin", path);
    assert.match(h.get("permissions-policy")!, /camera=\(\)/, path);
    assert.equal(h.get("strict-transport-security"), null);
  }
  await using https = await startTestServer({
    PUBLIC_URL: "https://charts.example.com",
  });
  const secure = await fetch(https.url + "/api/sessions");
  await secure.body?.cancel();
  assert.match(secure.headers.get("set-cookie")!, /; Secure/);
  assert.equal(
    secure.headers.get("strict-transport-security"),
    "max-age=31536000",
  );
});
