/**
 * Dataset benchmarks over real HTTP on 127.0.0.1 with a temp-file KV:
 *
 * 1. upload + parse of a ~50 MB, 500,000-row CSV (target ≥ 20 MB/s end to
 *    end, resident memory growth ≤ 150 MB);
 * 2. a group-by chart over it by chat, warm: message → `artifact_created`
 *    (target ≤ 300 ms);
 * 3. CSV export of a 1,000,000-row dataset (target ≥ 300,000 rows/s, memory
 *    growth ≤ 100 MB).
 *
 * The CSV files are generated into a temp folder first and sent by curl
 * (a separate process, as a real client would be). Memory is the process's RSS sampled
 * every 20 ms (server and client share the process), minus the RSS before.
 *
 * Run: deno run -A --v8-flags=--expose-gc bench/datasets.ts [part...]
 * where a part is `upload`, `chart` (needs upload) or `export`; default all.
 */
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import { readSse } from "@/lib/client/sse_client.ts";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const CITIES = [
  "Kampala",
  "Nairobi",
  "Lagos",
  "Accra",
  "Kigali",
  "Dakar",
  "Cairo",
  "Tunis",
];

async function writeCsv(path: string, rows: number): Promise<number> {
  const file = await Deno.open(path, {
    write: true,
    create: true,
    truncate: true,
  });
  const encoder = new TextEncoder();
  let text = "id,date,city,category,amount,quantity,price,flag,note,score\n";
  const day0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < rows; i++) {
    const date = new Date(day0 + (i % 1500) * 86_400_000).toISOString().slice(
      0,
      10,
    );
    text += `${i + 1},${date},${CITIES[i % 8]},cat_${i % 37},${
      (i * 7.31 % 1000).toFixed(2)
    },${i % 97},${(i % 500) / 10},${
      i % 3 === 0
    },"note, number ${i} (checked)",${((i * 13) % 1000) / 7}\n`;
    if (text.length > 1 << 20) {
      await file.write(encoder.encode(text));
      text = "";
    }
  }
  await file.write(encoder.encode(text));
  file.close();
  return (await Deno.stat(path)).size;
}

/** Runs `work` while sampling RSS; returns its result, the time and the peak growth. */
async function measured<T>(work: () => Promise<T>) {
  gc();
  await new Promise((r) => setTimeout(r, 50));
  const before = Deno.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    peak = Math.max(peak, Deno.memoryUsage().rss);
    return { result, ms, growthMb: (peak - before) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

const dir = await Deno.makeTempDir({ prefix: "chartroom-bench-" });
await using server = await startTestServer({
  STREAM_WORD_DELAY_MS: "0",
  MAX_UPLOAD_BYTES: "200MB",
  LOG_LEVEL: "error",
});
const client = new Client(server.url);
const sessionId = await client.createSession();

/** Uploads with curl in its own process (like a real client), with this client's cookie. */
async function upload(path: string, name: string) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const out = await new Deno.Command("curl", {
    args: [
      "-s",
      "-H",
      `cookie: ${cookie}`,
      "-H",
      "content-type: text/csv",
      "--data-binary",
      `@${path}`,
      `${server.url}/api/sessions/${sessionId}/datasets?filename=${name}`,
    ],
    stdout: "piped",
  }).output();
  const body = JSON.parse(new TextDecoder().decode(out.stdout));
  if (!body.id) throw new Error(JSON.stringify(body));
  return body as { id: string; rows: number };
}

const parts = new Set(
  Deno.args.length ? Deno.args : ["upload", "chart", "export"],
);
if (parts.has("chart")) parts.add("upload");

// 1. Upload and parse.
if (parts.has("upload")) {
  const path50 = `${dir}/sales.csv`;
  const size50 = await writeCsv(path50, 500_000);
  const up = await measured(() => upload(path50, "sales.csv"));
  const mbps = size50 / 1e6 / (up.ms / 1000);
  console.log(
    `upload+parse ${(size50 / 1e6).toFixed(1)} MB, ${
      up.result.rows.toLocaleString("en")
    } rows: ${(up.ms / 1000).toFixed(2)} s = ${
      mbps.toFixed(1)
    } MB/s (target ≥ 20), RSS growth ${
      up.growthMb.toFixed(0)
    } MB (target ≤ 150)`,
  );

  await Deno.remove(path50);
}

// 2. Group-by chart, warm.
if (parts.has("chart")) {
  const chart = async (content: string) => {
    const started = performance.now();
    const response = await client.json(
      `/api/sessions/${sessionId}/messages`,
      "POST",
      { content },
    );
    let created = NaN;
    for await (const message of readSse(response.body!)) {
      if (
        message.event === "artifact_created" ||
        message.event === "artifact_updated"
      ) {
        created = performance.now() - started;
      }
    }
    return created;
  };
  const prompts = [
    "bar chart of total amount by city",
    "bar chart of average price by category",
    "pie chart of total quantity by city",
  ];
  const cold = await chart(prompts[0]);
  const warm: number[] = [];
  for (let i = 0; i < 9; i++) {
    warm.push(await chart(prompts[i % prompts.length]));
  }
  warm.sort((a, b) => a - b);
  console.log(
    `group-by chart over 500,000 rows: cold ${
      cold.toFixed(0)
    } ms (loads SQLite), warm median ${warm[4].toFixed(0)} ms, worst ${
      warm[8].toFixed(0)
    } ms (target ≤ 300)`,
  );
}

// 3. CSV export of 1,000,000 rows.
if (parts.has("export")) {
  const path1m = `${dir}/million.csv`;
  const size1m = await writeCsv(path1m, 1_000_000);
  const big = await upload(path1m, "million.csv");
  await Deno.remove(path1m);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  // Three runs: the first one's figures include warming up.
  for (let run = 1; run <= 3; run++) {
    const exported = await measured(async () => {
      // curl downloads in its own process; wc counts the lines it wrote.
      const out = await new Deno.Command("bash", {
        args: [
          "-c",
          `curl -s -H "cookie: ${cookie}" "${server.url}/api/datasets/${big.id}/export?format=csv" | tee >(wc -c >&2) | wc -l`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const lines = Number(new TextDecoder().decode(out.stdout).trim());
      const bytes = Number(new TextDecoder().decode(out.stderr).trim());
      return { bytes, rows: lines - 1 };
    });
    console.log(
      `CSV export of ${exported.result.rows.toLocaleString("en")} rows (${
        (exported.result.bytes / 1e6).toFixed(0)
      } MB, source ${(size1m / 1e6).toFixed(0)} MB): ${
        (exported.ms / 1000).toFixed(2)
      } s = ${
        Math.round(exported.result.rows / (exported.ms / 1000)).toLocaleString(
          "en",
        )
      } rows/s (target ≥ 300,000), RSS growth ${
        exported.growthMb.toFixed(0)
      } MB (target ≤ 100), run ${run}`,
    );
  }
}
await Deno.remove(dir, { recursive: true });
