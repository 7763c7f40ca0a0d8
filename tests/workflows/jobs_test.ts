/** Workflows as jobs over real HTTP: events in order, download links, failures, restarts, the chat. */
import assert from "node:assert/strict";
import {
  Client,
  collectFrames,
  type Frame,
  startTestServer,
  testConfig,
} from "@/tests/_fixtures.ts";
import { ingest } from "@/tests/data/_ingest.ts";
import { startServer } from "@/lib/server.ts";
import manifest from "@/fresh.gen.ts";
import { getSession } from "@/lib/kv/sessions.ts";
import { createJob, getJob } from "@/lib/kv/jobs.ts";
import { saveDerivedDataset } from "@/lib/kv/datasets.ts";
import type { WorkflowRequest } from "@/lib/workflows/schema.ts";
import { exportDataset } from "@/lib/exports/dataset.ts";

const CUSTOMERS = [
  "customer_id,name,postal_code,region,spend",
  "1,Ann,02134,North,10.5",
  "2,Bob,10001,South,20",
  "3,Cy,02134,North,5",
  "4,Di,94105,West,",
  "5,Ed,10001,South,7",
].join("\n") + "\n";

const FOUR_STEPS: WorkflowRequest = {
  input: "customers.csv",
  steps: [
    {
      operation: "drop_duplicates",
      arguments: { columns: ["postal_code"], keep: "first" },
    },
    { operation: "fill_missing", arguments: { strategy: "value", value: 0 } },
    {
      operation: "sort",
      arguments: { by: [{ column: "spend", direction: "desc" }] },
    },
    { operation: "convert", arguments: { format: "xlsx" } },
  ],
};

async function upload(
  client: Client,
  sessionId: string,
  name: string,
  body: BodyInit,
) {
  const response = await client.fetch(
    `/api/sessions/${sessionId}/datasets?filename=${encodeURIComponent(name)}`,
    { method: "POST", body },
  );
  assert.equal(response.status, 201, await response.clone().text());
  return await response.json();
}

/** Opens the session's event stream and returns a reader of frames up to a workflow's end. */
async function followJob(client: Client, sessionId: string) {
  const response = await client.fetch(`/api/sessions/${sessionId}/events`);
  return (): Promise<Frame[]> =>
    collectFrames(
      response.body!,
      (f) => f.event === "workflow_completed" || f.event === "workflow_failed",
    );
}

Deno.test("workflow job: a 4-step workflow's events arrive in order with each step's progress", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await upload(client, sessionId, "customers.csv", CUSTOMERS);
  const frames = await followJob(client, sessionId);
  const started = await client.json(
    `/api/sessions/${sessionId}/workflows`,
    "POST",
    FOUR_STEPS,
  );
  assert.equal(started.status, 202);
  const job = await started.json();
  assert.equal(job.status, "queued");
  const events = (await frames()).filter((f) => f.data.job_id === job.id);
  assert.equal(events[0].event, "workflow_started");
  assert.deepEqual(events[0].data.operations, [
    "drop_duplicates",
    "fill_missing",
    "sort",
    "convert",
  ]);
  assert.equal(events.at(-1)!.event, "workflow_completed");
  const progress = events.filter((f) => f.event === "progress");
  assert.ok(events.slice(1, -1).every((f) => f.event === "progress"));
  const lastOfStep = [1, 2, 3, 4].map((s) =>
    progress.findLast((f) => f.data.step === s)!
  );
  assert.deepEqual(
    lastOfStep.map((f) => [f.data.step, f.data.total, f.data.rows_done]),
    [
      [1, 4, 3],
      [2, 4, 3],
      [3, 4, 3],
      [4, 4, 3],
    ],
  );
  const steps = progress.map((f) => f.data.step as number);
  assert.deepEqual(steps, [...steps].sort());
  const ids = events.map((f) => Number(f.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));

  const done = events.at(-1)!.data as {
    outputs: { step: number; format: string; rows: number }[];
  };
  assert.deepEqual(done.outputs.map((o) => [o.step, o.format, o.rows]), [
    [1, "csv", 3],
    [2, "csv", 3],
    [3, "csv", 3],
    [4, "xlsx", 3],
  ]);
  const record = await (await client.fetch(`/api/workflows/${job.id}`)).json();
  assert.equal(record.status, "completed");
  assert.equal(record.outputs.length, 4);
});

Deno.test("workflow job: each output downloads from its link; the file link works without a cookie", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await upload(client, sessionId, "customers.csv", CUSTOMERS);
  const frames = await followJob(client, sessionId);
  await client.json(`/api/sessions/${sessionId}/workflows`, "POST", FOUR_STEPS);
  const done = (await frames()).at(-1)!;
  assert.equal(done.event, "workflow_completed");
  const outputs = done.data.outputs as {
    download_url: string;
    dataset_id: string;
  }[];
  const path = (url: string) => new URL(url).pathname + new URL(url).search;

  const first = await client.fetch(path(outputs[0].download_url));
  assert.equal(first.status, 200);
  assert.equal(
    await first.text(),
    "customer_id,name,postal_code,region,spend\r\n1,Ann,02134,North,10.5\r\n2,Bob,10001,South,20\r\n4,Di,94105,West,\r\n",
  );
  const third = await client.fetch(path(outputs[2].download_url));
  assert.equal(
    await third.text(),
    "customer_id,name,postal_code,region,spend\r\n2,Bob,10001,South,20\r\n1,Ann,02134,North,10.5\r\n4,Di,94105,West,0\r\n",
  );
  // Another identity cannot read the outputs.
  const stranger = new Client(server.url);
  assert.equal(
    (await stranger.fetch(path(outputs[0].download_url))).status,
    404,
  );

  const file = done.data.file as {
    url: string;
    filename: string;
    size: number;
  };
  assert.equal(file.filename, "customers.xlsx");
  const signed = await fetch(file.url);
  assert.equal(signed.status, 200);
  const bytes = new Uint8Array(await signed.arrayBuffer());
  assert.equal(bytes.length, file.size);
  const back = await ingest(bytes, "back.xlsx");
  assert.deepEqual(back.typed.map((r) => r[0]), [2, 1, 4]);
  assert.deepEqual(back.typed[2], [4, "Di", "94105", "West", 0]);
});

Deno.test("workflow job: a failing step reports workflow_failed with its step, code and message", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await upload(client, sessionId, "customers.csv", CUSTOMERS);
  const frames = await followJob(client, sessionId);
  const started = await client.json(
    `/api/sessions/${sessionId}/workflows`,
    "POST",
    {
      input: "customers.csv",
      steps: [
        { operation: "select_columns", arguments: { columns: ["name"] } },
        {
          operation: "filter",
          arguments: { conditions: [{ column: "spend", op: "gt", value: 1 }] },
        },
      ],
    },
  );
  const job = await started.json();
  const failed = (await frames()).at(-1)!;
  assert.equal(failed.event, "workflow_failed");
  assert.equal(failed.data.step, 2);
  assert.equal(failed.data.code, "invalid_step");
  assert.match(
    String(failed.data.message),
    /step 2 \(filter\): the input has no column "spend"/,
  );
  const record = await (await client.fetch(`/api/workflows/${job.id}`)).json();
  assert.equal(record.status, "failed");
  assert.equal(record.outputs.length, 1);
});

Deno.test("workflow job: bad requests are refused before anything runs", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await upload(client, sessionId, "customers.csv", CUSTOMERS);
  const cases: [unknown, number, RegExp][] = [
    [{ input: "customers.csv", steps: [] }, 400, /steps/],
    [
      {
        input: "customers.csv",
        steps: [{ operation: "explode", arguments: {} }],
      },
      400,
      /operation/,
    ],
    [
      {
        input: "nope.csv",
        steps: [{ operation: "convert", arguments: { format: "csv" } }],
      },
      422,
      /no dataset "nope.csv"/,
    ],
    [
      {
        input: "customers.csv",
        steps: [{ operation: "join", arguments: { dataset: "x", on: ["a"] } }],
      },
      422,
      /step 1 \(join\)/,
    ],
  ];
  for (const [body, status, message] of cases) {
    const response = await client.json(
      `/api/sessions/${sessionId}/workflows`,
      "POST",
      body,
    );
    assert.equal(response.status, status, JSON.stringify(body));
    assert.match((await response.json()).error.message, message);
  }
});

Deno.test({
  name:
    "workflow job: a restart mid-workflow resumes the job at its step on the next server",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chartroom-restart-" });
    const config = testConfig({ KV_PATH: `${dir}/restart.kv` });
    const reached = Promise.withResolvers<void>();
    const first = await startServer(config, manifest, {
      quiet: true,
      beforeWorkflowStep: async (_job, step) => {
        if (step === 3) {
          reached.resolve();
          await new Promise((r) => setTimeout(r, 300));
        }
      },
    });
    const client = new Client(first.url);
    const sessionId = await client.createSession();
    await upload(client, sessionId, "customers.csv", CUSTOMERS);
    const job = await (await client.json(
      `/api/sessions/${sessionId}/workflows`,
      "POST",
      FOUR_STEPS,
    )).json();
    await reached.promise;
    await first[Symbol.asyncDispose]();

    const second = await startServer(config, manifest, { quiet: true });
    try {
      const again = new Client(second.url);
      again.cookies = client.cookies;
      let record = null;
      for (let i = 0; i < 100; i++) {
        record = await (await again.fetch(`/api/workflows/${job.id}`)).json();
        if (record.status === "completed" || record.status === "failed") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(record.status, "completed");
      assert.equal(record.attempts, 2);
      assert.deepEqual(record.outputs.map((o: { step: number }) => o.step), [
        1,
        2,
        3,
        4,
      ]);
      const events =
        await (await again.fetch(`/api/sessions/${sessionId}/events?after=0`, {
          signal: AbortSignal.timeout(1000),
        }).then((r) =>
          collectFrames(r.body!, (f) => f.event === "workflow_completed")
        ));
      const startedEvents = events.filter((f) =>
        f.event === "workflow_started"
      );
      assert.equal(startedEvents.length, 2);
      assert.equal(startedEvents[1].data.resumed, true);
      assert.equal(startedEvents[1].data.from_step, 3);
      // Steps 1 and 2 ran once: one upload plus four outputs.
      const datasets =
        await (await again.fetch(`/api/sessions/${sessionId}/datasets`)).json();
      assert.equal(datasets.datasets.length, 5);
    } finally {
      await second[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test("workflow job: a job whose runner died is taken over by the next request to any instance, keeping the output it stored", async () => {
  await using server = await startTestServer({ JOB_LEASE: "1s" });
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await upload(client, sessionId, "customers.csv", CUSTOMERS);
  const dataset = (await (await client.fetch(
    `/api/sessions/${sessionId}/datasets`,
  )).json()).datasets[0];
  const session = await getSession(server.kv, sessionId);
  // Another instance created it, stored step 1's output and died before
  // recording it on the job: its lease lapses.
  const { job } = await createJob(server.kv, {
    type: "workflow",
    sessionId,
    ownerId: session!.ownerId,
    request: {
      input: dataset.id,
      steps: [
        { operation: "select_columns", arguments: { columns: ["name"] } },
        { operation: "convert", arguments: { format: "csv" } },
      ],
    },
    origin: server.url,
    ttlMs: 60_000,
    listed: true,
  }, { owner: "dead-instance", leaseMs: 200 });
  const stored = await saveDerivedDataset(server.kv, {
    sessionId,
    ownerId: session!.ownerId,
    name: "customers · 1 select columns",
    ttlMs: 60_000,
    origin: {
      kind: "workflow",
      jobId: job.id,
      step: 1,
      operation: "select_columns",
      inputId: dataset.id,
    },
    names: ["name"],
    batches: (async function* () {
      yield [["Ann"], ["Bob"]];
    })(),
    maxRows: 100,
  });
  await new Promise((r) => setTimeout(r, 600));
  // No timer took it up: only a request does.
  assert.equal((await getJob(server.kv, job.id))!.status, "queued");
  assert.equal((await client.fetch("/health")).status, 200);
  let record = null;
  for (let i = 0; i < 100; i++) {
    record = await (await client.fetch(`/api/workflows/${job.id}`)).json();
    if (record.status === "completed" || record.status === "failed") break;
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.equal(record.status, "completed");
  assert.equal(record.attempts, 2);
  assert.deepEqual(
    record.outputs.map((o: { dataset_id: string; rows: number }) => [
      o.dataset_id === stored.id,
      o.rows,
    ]),
    [[true, 2], [false, 2]],
  );
  const datasets = await (await client.fetch(
    `/api/sessions/${sessionId}/datasets`,
  )).json();
  assert.equal(datasets.datasets.length, 3, "step 1 was not run again");
});

Deno.test({
  name:
    "workflow job: an instance that lost the job to another adds no output to the session",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chartroom-fenced-" });
    const config = testConfig({ KV_PATH: `${dir}/fenced.kv` });
    const taken = Promise.withResolvers<void>();
    const server = await startServer(config, manifest, {
      quiet: true,
      beforeWorkflowStep: async (job) => {
        // Another instance takes the job over just as this one starts a step.
        const key = ["lease", "job", job.id];
        const entry = await server.kv.get<Record<string, unknown>>(key);
        await server.kv.set(key, {
          ...entry.value,
          owner: "other",
          token: "someone-else",
          expiresAt: Date.now() + 60_000,
        });
        taken.resolve();
      },
    });
    try {
      const client = new Client(server.url);
      const sessionId = await client.createSession();
      await upload(client, sessionId, "customers.csv", CUSTOMERS);
      const started = await client.json(
        `/api/sessions/${sessionId}/workflows`,
        "POST",
        FOUR_STEPS,
      );
      const job = await started.json();
      await taken.promise;
      await new Promise((r) => setTimeout(r, 500));
      const datasets =
        await (await client.fetch(`/api/sessions/${sessionId}/datasets`))
          .json();
      assert.equal(datasets.datasets.length, 1, "only the upload");
      const record = await getJob(server.kv, job.id);
      assert.deepEqual(record!.outputs, []);
      assert.equal(record!.status, "running", "left to its new owner");
    } finally {
      await server[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test("chat: a message asking to dedupe an upload and give an xlsx runs the workflow and offers the file", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const parsed = await ingest(CUSTOMERS, "customers.csv");
  const xlsx = exportDataset(
    "xlsx",
    parsed.schema.columns.map((c) => ({ name: c.name, type: c.type })),
    (async function* () {
      yield parsed.typed;
    })(),
  );
  await upload(
    client,
    sessionId,
    "customers.xlsx",
    new Uint8Array(await new Response(xlsx).arrayBuffer()),
  );
  const frames = await client.chat(
    sessionId,
    "remove duplicate postal codes from customers.xlsx and give me an xlsx",
  );
  const kinds = frames.map((f) => f.event);
  assert.ok(kinds.includes("workflow_started"), kinds.join(","));
  assert.ok(
    kinds.indexOf("workflow_completed") > kinds.indexOf("workflow_started"),
  );
  const download = frames.find((f) => f.event === "download")!;
  assert.equal(download.data.filename, "customers.xlsx");
  const reply = frames.filter((f) => f.event === "message").at(-1)!;
  assert.match(
    String(reply.data.content),
    /remove duplicates of postal_code.*save as XLSX.*Done: 3 rows/s,
  );
  assert.equal(kinds.at(-1), "done");
  const file = await fetch(String(download.data.url));
  const back = await ingest(
    new Uint8Array(await file.arrayBuffer()),
    "back.xlsx",
  );
  assert.deepEqual(back.typed.map((r) => r[2]), ["02134", "10001", "94105"]);
});
