/**
 * The renderer's warm-up at start (RENDER_WARMUP): a real server reports it
 * in /health, finishes it with a render worker left running, and draws as
 * usual afterwards; with it off, nothing is drawn until asked.
 */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { getRenderPool } from "@/lib/drawing/render_pool.ts";
import { decodePng } from "@/tests/_png.ts";

async function health(url: string): Promise<{ renderer_warmup: string }> {
  const response = await fetch(`${url}/health`);
  assert.equal(response.status, 200);
  return await response.json();
}

Deno.test("warm-up: off, the server starts no render worker", async () => {
  await using server = await startTestServer({ RENDER_WARMUP: "off" });
  assert.equal((await health(server.url)).renderer_warmup, "off");
  assert.equal(getRenderPool().started, 0);
});

Deno.test("warm-up: on, /health reports it done and renders still work", async () => {
  await using server = await startTestServer({ RENDER_WARMUP: "on" });
  const deadline = Date.now() + 60_000;
  let state = (await health(server.url)).renderer_warmup;
  // It starts as the server starts listening, before the first request.
  assert.notEqual(state, "off");
  while (state === "running" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = (await health(server.url)).renderer_warmup;
  }
  assert.equal(state, "done");
  assert.ok(getRenderPool().started >= 1, "a warmed worker is running");

  const response = await fetch(`${server.url}/api/render`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({
      width: 400,
      height: 300,
      option: {
        xAxis: { type: "category", data: ["a", "b"] },
        yAxis: {},
        series: [{ type: "line", data: [1, 2] }],
      },
    }),
  });
  assert.equal(response.status, 200);
  const png = decodePng(new Uint8Array(await response.arrayBuffer()));
  assert.deepEqual([png.width, png.height], [400, 300]);
});

Deno.test("warm-up: without render workers it does not draw on the request thread", async () => {
  await using server = await startTestServer({
    RENDER_WARMUP: "on",
    RENDER_WORKERS: "0",
  });
  assert.equal((await health(server.url)).renderer_warmup, "off");
  assert.equal(getRenderPool().started, 0);
});
