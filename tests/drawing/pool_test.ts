import assert from "node:assert/strict";
import { statusOf } from "@/lib/http/errors.ts";
import { decode } from "fast-png";
import { RenderError, RenderPool } from "@/lib/drawing/render_pool.ts";
import type { RenderJob } from "@/lib/drawing/render_job.ts";
import {
  spawnEarlyWorker,
  takeEarlyWorker,
  WORKER_HEAP,
} from "@/lib/drawing/worker_spawn.ts";
import { rasterPng } from "@/lib/drawing/raster.ts";
import {
  barOption,
  pieOption,
  scatterOption,
} from "@/tests/charts/_chart_options.ts";

function pngJob(
  option: Record<string, unknown>,
  width: number,
): Extract<RenderJob, { kind: "png" }> {
  return {
    kind: "png",
    option,
    width,
    height: 200,
    scale: 1,
    background: "#ffffff",
  };
}

Deno.test("render pool: concurrent renders all come back right, each its own", async () => {
  await using pool = new RenderPool({ size: 2 });
  assert.ok(pool.usesWorkers);
  const options = [barOption(), pieOption(), scatterOption(600)];
  const jobs = Array.from(
    { length: 9 },
    (_, i) => pngJob(options[i % 3], 300 + i * 10),
  );
  // An option may also travel as JSON text.
  jobs[8] = { ...jobs[8], option: JSON.stringify(options[2]) };
  const outputs = await Promise.all(jobs.map((job) => pool.render(job)));
  assert.ok(pool.started <= 2, `${pool.started} workers`);
  for (const [i, output] of outputs.entries()) {
    assert.equal(output.kind, "png");
    if (output.kind !== "png") continue;
    const image = decode(output.bytes);
    assert.deepEqual([image.width, image.height], [300 + i * 10, 200]);
    // A worker draws exactly what this isolate draws.
    const here = await rasterPng(options[i % 3], jobs[i] as never);
    assert.deepEqual(output.bytes, here.value, `job ${i}`);
  }
});

Deno.test("render pool: a worker started early and warmed up answers each job with its own chart", async () => {
  // As main.ts does before it loads the app.
  spawnEarlyWorker();
  await using pool = new RenderPool({ size: 1, warmUp: true });
  const jobs = [pngJob(barOption(), 320), pngJob(pieOption(), 280)];
  const outputs = await Promise.all(jobs.map((job) => pool.render(job)));
  assert.equal(pool.started, 1);
  const left = takeEarlyWorker(WORKER_HEAP);
  await left?.terminate();
  assert.equal(left, undefined, "the pool took the early worker");
  for (const [i, output] of outputs.entries()) {
    assert.equal(output.kind, "png");
    if (output.kind !== "png") continue;
    // Not the warm-up's small chart: the job's own, as this isolate draws it.
    const here = await rasterPng(jobs[i].option as never, jobs[i]);
    assert.deepEqual(output.bytes, here.value, `job ${i}`);
  }
});

Deno.test("render pool: an option ECharts refuses is a RenderError and the worker lives on", async () => {
  await using pool = new RenderPool({ size: 1 });
  await assert.rejects(
    pool.render(
      pngJob({ xAxis: { type: "nonsense" }, yAxis: {}, series: [] }, 200),
    ),
    RenderError,
  );
  const output = await pool.render(pngJob(pieOption(), 200));
  assert.equal(output.kind, "png");
  assert.equal(pool.started, 1);
});

Deno.test("render pool: closing rejects waiting jobs and stops the workers", async () => {
  const pool = new RenderPool({ size: 1 });
  const running = pool.render(pngJob(scatterOption(2000), 400));
  const waiting = pool.render(pngJob(barOption(), 400));
  await pool.close();
  await assert.rejects(running, /render pool closed/);
  await assert.rejects(waiting, /render pool closed/);
  assert.equal(pool.started, 0);
  await assert.rejects(pool.render(pngJob(barOption(), 400)), /closed/);
});

Deno.test("render pool: a full queue is a 503, and size 0 renders in process", async () => {
  await using pool = new RenderPool({ size: 1, maxQueue: 1 });
  const first = pool.render(pngJob(barOption(), 300));
  const second = pool.render(pngJob(barOption(), 310));
  await assert.rejects(pool.render(pngJob(barOption(), 320)), (error) => {
    assert.equal(statusOf(error), 503);
    return true;
  });
  await Promise.all([first, second]);

  await using here = new RenderPool({ size: 0 });
  assert.equal(here.usesWorkers, false);
  const output = await here.render({
    kind: "svg",
    option: pieOption(),
    width: 300,
    height: 200,
    background: "transparent",
  });
  assert.equal(output.kind, "svg");
  assert.equal(here.started, 0);
});

Deno.test("render pool: a worker that runs out of heap fails its job with a server error and is dropped", async () => {
  // 8 MB cannot hold ECharts' scene of a 100,000-point scatter's layout.
  await using pool = new RenderPool({
    size: 1,
    heap: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  });
  const failed = await pool.render(pngJob(scatterOption(100_000), 400)).then(
    () => null,
    (error) => error,
  );
  assert.ok(failed instanceof Error, "the job fails");
  assert.ok(!(failed instanceof RenderError), "as a server error, not a 400");
  assert.match(failed.message, /render worker failed/);
  assert.equal(pool.started, 0, "the dead worker is gone");
});
