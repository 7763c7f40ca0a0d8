/** The dataset API over real HTTP: uploads (raw and multipart), limits, preview, export, delete, ownership. */
import assert from "node:assert/strict";
import { allKeys, Client, startTestServer } from "@/tests/_fixtures.ts";
import { ingest } from "@/tests/data/_ingest.ts";

const CSV =
  "region,spend,day\nNorth,10.5,2024-01-01\nSouth,20,2024-01-02\nNorth,5,2024-01-03\nWest,,2024-01-04\n";

function post(
  client: Client,
  sessionId: string,
  name: string,
  body: BodyInit,
  headers: HeadersInit = {},
) {
  return client.fetch(
    `/api/sessions/${sessionId}/datasets?filename=${encodeURIComponent(name)}`,
    { method: "POST", body, headers },
  );
}

async function blobAndDatasetKeys(kv: Deno.Kv) {
  return (await allKeys(kv)).filter((k) =>
    [
      "blob",
      "blob_pending",
      "blob_by_session",
      "dataset",
      "dataset_by_session",
      "job",
      "job_active",
      "job_by_session",
    ]
      .includes(String(k[0]))
  );
}

Deno.test("datasets route: a raw upload answers 201 with the schema, and lists in the session", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const response = await post(client, sessionId, "spend.csv", CSV, {
    "content-type": "text/csv",
  });
  assert.equal(response.status, 201);
  const dataset = await response.json();
  assert.equal(dataset.name, "spend.csv");
  assert.equal(dataset.rows, 4);
  assert.equal(dataset.byte_size, new TextEncoder().encode(CSV).length);
  assert.deepEqual(
    dataset.columns.map((
      c: { name: string; type: string },
    ) => [c.name, c.type]),
    [
      ["region", "text"],
      ["spend", "number"],
      ["day", "date"],
    ],
  );
  assert.match(
    dataset.export_url,
    new RegExp(`/api/datasets/${dataset.id}/export\\?format=csv$`),
  );
  const list = await (await client.fetch(`/api/sessions/${sessionId}/datasets`))
    .json();
  assert.deepEqual(list.datasets.map((d: { id: string }) => d.id), [
    dataset.id,
  ]);
  // The record and its index are in KV, next to three blobs (raw, table, detail).
  const keys = await blobAndDatasetKeys(server.kv);
  assert.ok(keys.some((k) => k[0] === "dataset" && k[1] === dataset.id));
  assert.ok(
    keys.some((k) =>
      k[0] === "dataset_by_session" && k[1] === sessionId && k[2] === dataset.id
    ),
  );
  assert.equal(
    keys.filter((k) => k[0] === "blob" && k[2] === "meta").length,
    3,
  );
  assert.equal(keys.filter((k) => k[0] === "blob_pending").length, 0);
});

Deno.test("datasets route: a multipart upload reads the file field; a form without one is a 400", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const form = new FormData();
  form.set("file", new File([CSV], "from-form.csv", { type: "text/csv" }));
  const response = await client.fetch(`/api/sessions/${sessionId}/datasets`, {
    method: "POST",
    body: form,
  });
  assert.equal(response.status, 201, await response.clone().text());
  const dataset = await response.json();
  assert.equal(dataset.name, "from-form.csv");
  assert.equal(dataset.rows, 4);
  const noFile = new FormData();
  noFile.set("other", "x");
  const bad = await client.fetch(`/api/sessions/${sessionId}/datasets`, {
    method: "POST",
    body: noFile,
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "no_file");
});

Deno.test("datasets route: a page of rows, sorted by a column, with statistics", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const { id } = await (await post(client, sessionId, "spend.csv", CSV)).json();
  const page =
    await (await client.fetch(`/api/datasets/${id}?limit=2&offset=1`)).json();
  assert.deepEqual(page.preview.rows, [["South", 20, "2024-01-02"], [
    "North",
    5,
    "2024-01-03",
  ]]);
  assert.equal(page.preview.total, 4);
  const sorted =
    await (await client.fetch(`/api/datasets/${id}?sort=spend&dir=desc`))
      .json();
  assert.deepEqual(sorted.preview.rows.map((r: unknown[]) => r[1]), [
    20,
    10.5,
    5,
    null,
  ]);
  const spend = page.stats.find((s: { name: string }) => s.name === "spend");
  assert.deepEqual(
    [spend.count, spend.nulls, spend.min, spend.max, spend.mean],
    [3, 1, 5, 20, 35.5 / 3],
  );
  const region = page.stats.find((s: { name: string }) => s.name === "region");
  assert.deepEqual(region.top[0], { value: "North", count: 2 });
  const bad = await client.fetch(`/api/datasets/${id}?sort=nope`);
  assert.equal(bad.status, 400);
});

Deno.test("datasets route: exports stream CSV, TSV, JSON, NDJSON and a readable XLSX", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const { id } = await (await post(client, sessionId, "spend.csv", CSV)).json();
  const get = (format: string) =>
    client.fetch(`/api/datasets/${id}/export?format=${format}`);
  const csv = await get("csv");
  assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.match(csv.headers.get("content-disposition")!, /filename="spend.csv"/);
  assert.equal(
    await csv.text(),
    "region,spend,day\r\nNorth,10.5,2024-01-01\r\nSouth,20,2024-01-02\r\nNorth,5,2024-01-03\r\nWest,,2024-01-04\r\n",
  );
  assert.equal(
    (await (await get("tsv")).text()).split("\r\n")[1],
    "North\t10.5\t2024-01-01",
  );
  assert.deepEqual((await (await get("json")).json())[3], {
    region: "West",
    spend: null,
    day: "2024-01-04",
  });
  const nd = (await (await get("ndjson")).text()).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.equal(nd.length, 4);
  const xlsx = new Uint8Array(await (await get("xlsx")).arrayBuffer());
  const back = await ingest(xlsx, "spend.xlsx");
  assert.deepEqual(back.types, ["text", "number", "date"]);
  assert.deepEqual(back.typed[1], ["South", 20, "2024-01-02"]);
  const bad = await get("pdf");
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "invalid_format");
});

Deno.test("datasets route: uploads over the byte, row or column limit answer 413 naming the limit", async () => {
  await using server = await startTestServer({
    MAX_UPLOAD_BYTES: "200B",
    MAX_UPLOAD_ROWS: "5",
    MAX_UPLOAD_COLUMNS: "3",
  });
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const before = await blobAndDatasetKeys(server.kv);
  const big = "a\n" + "x\n".repeat(150);
  const cases: [BodyInit, string, string][] = [
    [big, "too_large_declared.csv", "MAX_UPLOAD_BYTES"],
    [new Blob([big]).stream(), "too_large_streamed.csv", "MAX_UPLOAD_BYTES"],
    ["a\n1\n2\n3\n4\n5\n6\n", "rows.csv", "MAX_UPLOAD_ROWS"],
    ["a,b,c,d\n1,2,3,4\n", "cols.csv", "MAX_UPLOAD_COLUMNS"],
  ];
  for (const [body, name, limit] of cases) {
    const response = await post(client, sessionId, name, body);
    assert.equal(response.status, 413, name);
    assert.match(
      (await response.json()).error.message,
      new RegExp(limit),
      name,
    );
  }
  // Nothing partial is left behind.
  assert.deepEqual(await blobAndDatasetKeys(server.kv), before);
  const list = await (await client.fetch(`/api/sessions/${sessionId}/datasets`))
    .json();
  assert.deepEqual(list.datasets, []);
});

Deno.test("datasets route: bad files get a clear 422 and leave nothing behind", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const before = await blobAndDatasetKeys(server.kv);
  const cases: [BodyInit, string, string][] = [
    [
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
      "photo.csv",
      "unsupported_file",
    ],
    [
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]),
      "broken.xlsx",
      "corrupt_xlsx",
    ],
    ['a,b\n"open,2\n', "quote.csv", "unclosed_quote"],
    ["", "empty.csv", "empty_file"],
    ["[1, 2", "bad.json", "bad_json"],
  ];
  for (const [body, name, code] of cases) {
    const response = await post(client, sessionId, name, body);
    assert.equal(response.status, 422, name);
    assert.equal((await response.json()).error.code, code, name);
  }
  assert.deepEqual(await blobAndDatasetKeys(server.kv), before);
});

Deno.test("datasets route: another identity gets 404; delete removes the dataset and its blobs", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const before = await blobAndDatasetKeys(server.kv);
  const { id } = await (await post(client, sessionId, "spend.csv", CSV)).json();
  const stranger = new Client(server.url);
  for (
    const path of [
      `/api/datasets/${id}`,
      `/api/datasets/${id}/export?format=csv`,
    ]
  ) {
    assert.equal((await stranger.fetch(path)).status, 404);
  }
  assert.equal(
    (await stranger.fetch(`/api/datasets/${id}`, { method: "DELETE" })).status,
    404,
  );
  assert.equal((await post(stranger, sessionId, "x.csv", CSV)).status, 404);
  const deleted = await client.fetch(`/api/datasets/${id}`, {
    method: "DELETE",
  });
  assert.equal(deleted.status, 204);
  assert.equal((await client.fetch(`/api/datasets/${id}`)).status, 404);
  assert.deepEqual(await blobAndDatasetKeys(server.kv), before);
});

Deno.test("datasets route: deleting the session removes its datasets, workflow outputs, jobs and blobs", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  await post(client, sessionId, "spend.csv", CSV);
  const events = await client.fetch(`/api/sessions/${sessionId}/events`);
  await client.json(`/api/sessions/${sessionId}/workflows`, "POST", {
    input: "spend.csv",
    steps: [{ operation: "convert", arguments: { format: "json" } }],
  });
  const { collectFrames } = await import("@/tests/_fixtures.ts");
  await collectFrames(events.body!, (f) => f.event === "workflow_completed");
  assert.ok((await blobAndDatasetKeys(server.kv)).length > 0);
  assert.equal(
    (await client.fetch(`/api/sessions/${sessionId}`, { method: "DELETE" }))
      .status,
    204,
  );
  assert.deepEqual(await blobAndDatasetKeys(server.kv), []);
});
