/**
 * The render budget of issue 15 over real HTTP: every drawing path keeps one
 * pixel area, text length, output size and time limit, answered with a 400
 * naming the bound; the render cache keeps its size.
 */
import assert from "node:assert/strict";
import { allKeys, Client, startTestServer } from "@/tests/_fixtures.ts";
import { barOption, lineOption } from "@/tests/charts/_chart_options.ts";
import { RENDER_BUDGET } from "@/lib/drawing/budget.ts";
import { keys } from "@/lib/kv/keys.ts";

function render(url: string, body: Record<string, unknown>) {
  return fetch(`${url}/api/render`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function refusal(
  response: Response,
): Promise<{ code: string; message: string }> {
  const text = await response.text();
  assert.equal(response.status, 400, text);
  return JSON.parse(text).error;
}

const cached = async (kv: Deno.Kv) =>
  (await allKeys(kv)).filter((k) =>
    ["render_cache", "render_cache_order", "blob"].includes(String(k[0]))
  );

Deno.test("render budget: a 200,000-character title is a 400 naming it at once, and nothing is stored", async () => {
  await using server = await startTestServer();
  const option = { ...barOption(), title: { text: "W".repeat(200_000) } };
  const started = performance.now();
  const response = await render(server.url, { option, format: "svg" });
  const error = await refusal(response);
  assert.equal(error.code, "text_too_long");
  assert.match(
    error.message,
    /^option\.title\.text: a text of 200000 characters; at most 4000/,
  );
  // Before: 200 after 22 s with a 60.8 MB SVG kept for a day.
  assert.ok(performance.now() - started < 10_000);
  assert.equal(response.headers.get("set-cookie"), null);
  assert.deepEqual(await cached(server.kv), []);
  // Just under the bound is drawn.
  const fine = await render(server.url, {
    option: {
      ...barOption(),
      title: { text: "W".repeat(RENDER_BUDGET.maxTextLength) },
    },
    format: "svg",
  });
  assert.equal(fine.status, 200);
  await fine.body?.cancel();
});

Deno.test("render budget: exports, vector exports and the render API share one pixel area", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const { artifactId } = await client.sessionWithChart(
    "bar chart of average no2 per city",
  );
  const exportOf = (query: string) =>
    client.fetch(`/api/artifacts/${artifactId}/export?${query}`);
  for (
    const query of [
      "format=png&width=4000&height=4000&scale=4",
      "format=png&width=4000&height=2200",
      "format=svg&width=4000&height=4000",
      "format=pdf&width=4000&height=4000",
    ]
  ) {
    const error = await refusal(await exportOf(query));
    assert.equal(error.code, "image_too_large", query);
    assert.match(error.message, /at most 8388608 are drawn/);
  }
  const api = await refusal(
    await render(server.url, {
      option: barOption(),
      width: 4000,
      height: 4000,
      format: "svg",
    }),
  );
  assert.equal(api.code, "image_too_large");
  // 4000 × 2000 is inside the area on every path.
  const ok = await exportOf("format=png&width=4000&height=2000&scale=1");
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("render budget: a drawing past RENDER_TIMEOUT is stopped with its worker, and the next one draws", async () => {
  await using server = await startTestServer({
    RENDER_TIMEOUT: "3s",
    MAX_BODY_BYTES: "4MiB",
  });
  // Warm: a worker is started and has drawn once.
  const warm = await render(server.url, {
    option: barOption(),
    width: 300,
    height: 200,
  });
  assert.equal(warm.status, 200);
  await warm.body?.cancel();
  const started = performance.now();
  // 100,000 points, each a 40-pixel circle, on a 30-pixel line at 2800 × 2800:
  // over 30 s of drawing on a quiet 2-core machine, far past the deadline on a
  // fast one too (the first, small drawing must stay inside it on a busy one).
  const line = lineOption(100_000);
  const [series] = line.series as Record<string, unknown>[];
  const slow = await render(server.url, {
    option: {
      ...line,
      series: [{
        ...series,
        showSymbol: true,
        showAllSymbol: true,
        symbolSize: 40,
        lineStyle: { width: 30 },
      }],
    },
    format: "png",
    width: 2800,
    height: 2800,
  });
  const error = await refusal(slow);
  assert.equal(error.code, "render_timeout");
  assert.match(error.message, /longer than 3 s \(RENDER_TIMEOUT\)/);
  assert.ok(performance.now() - started < 15_000, "stopped near its deadline");
  const next = await render(server.url, {
    option: barOption(),
    width: 320,
    height: 200,
  });
  assert.equal(next.status, 200);
  await next.body?.cancel();
  assert.deepEqual(
    (await cached(server.kv)).filter((k) => k[0] === "render_cache").length,
    2,
    "only the two drawings that finished are cached",
  );
});

Deno.test("render budget: output over RENDER_MAX_BYTES is a 400, not a giant file", async () => {
  await using server = await startTestServer({
    RENDER_MAX_BYTES: "1MiB",
    RENDER_TIMEOUT: "60s",
  });
  // Every one of 150 long labels drawn as outlines: well over 1 MB of SVG.
  const labels = Array.from(
    { length: 150 },
    (_, i) => `A rather long category label number ${i}`,
  );
  const option = {
    xAxis: {
      type: "category",
      data: labels,
      axisLabel: { interval: 0, rotate: 90 },
    },
    yAxis: {},
    series: [{ type: "bar", data: labels.map((_, i) => i) }],
  };
  const error = await refusal(
    await render(server.url, {
      option,
      width: 1600,
      height: 900,
      format: "svg",
    }),
  );
  assert.equal(error.code, "output_too_large");
  assert.match(error.message, /1048576 bytes \(RENDER_MAX_BYTES\)/);
});

Deno.test("render cache: bounded in total by evicting the oldest, and never holds an image over its entry cap", async () => {
  await using server = await startTestServer({
    RENDER_CACHE_SIZE: "60KB",
    RENDER_CACHE_ENTRY_MAX: "20KB",
  });
  const small = (i: number) => ({
    option: { ...barOption(), title: { text: `Chart ${i}` } },
    width: 300,
    height: 200,
  });
  const sizes: number[] = [];
  for (let i = 0; i < 12; i++) {
    const response = await render(server.url, small(i));
    assert.equal(response.status, 200);
    sizes.push((await response.arrayBuffer()).byteLength);
  }
  assert.ok(
    Math.max(...sizes) < 20_000 && sizes.reduce((a, b) => a + b) > 60_000,
  );
  const total = (await server.kv.get<{ bytes: number; count: number }>(
    keys.renderCacheTotal(),
  )).value!;
  assert.ok(total.bytes <= 60_000, `the cache holds ${total.bytes} bytes`);
  const orders = await Array.fromAsync(
    server.kv.list<{ size: number }>({ prefix: keys.renderCacheOrderPrefix() }),
  );
  assert.equal(orders.length, total.count);
  assert.equal(orders.reduce((sum, o) => sum + o.value.size, 0), total.bytes);
  // The newest is still there; the oldest was evicted and is drawn again.
  const newest = await render(server.url, small(11));
  assert.equal(newest.headers.get("x-render-cache"), "hit");
  await newest.body?.cancel();
  const oldest = await render(server.url, small(0));
  assert.equal(oldest.headers.get("x-render-cache"), "miss");
  await oldest.body?.cancel();
  // An image over the entry cap is served every time but never stored.
  const big = { option: barOption(), width: 1200, height: 800, scale: 2 };
  for (let i = 0; i < 2; i++) {
    const response = await render(server.url, big);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-render-cache"), "miss");
    assert.ok((await response.arrayBuffer()).byteLength > 20_000);
  }
});
