/**
 * Session dump and restore: a server (`main.ts` in its own process, as
 * `deno task start` runs it), a session of 50 charts (two versions each,
 * stored straight in its KV file) and a ~50 MB uploaded CSV, then `GET /api/sessions/:id/dump`
 * read chunk by chunk while the server's resident set size is sampled every
 * 20 ms, then `POST /api/sessions/restore` of that archive. Prints one JSON
 * line per run: the session's bytes (the manifest's entries) per second
 * streamed, the archive's bytes per second, peak RSS growth during the dump,
 * and the restore's time.
 *
 * Issue 12's figures: the dump streams at ≥ 50 MB/s with memory growth
 * ≤ 100 MB; the restore takes ≤ 10 s.
 *
 * Run: `deno run -A bench/dump.ts [charts] [--mb=50] [--repeat=N]`.
 */
import { unzipSync } from "fflate";
import { Client, seedChart } from "../tests/_fixtures.ts";
import { openKv } from "../lib/kv/open.ts";
import { cpuMillis, sampleRss, startServerProcess } from "./_server.ts";

const args = Deno.args.filter((a) => !a.startsWith("--"));
const option = (name: string, fallback: number) =>
  Number(
    Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ??
      fallback,
  );
const charts = Number(args[0] ?? 50);
const datasetMb = option("mb", 50);
const repeat = option("repeat", 1);
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

/** A CSV of about `bytes` bytes: dates, cities, products, two numbers. */
function bigCsv(bytes: number): Uint8Array<ArrayBuffer> {
  const cities = ["Lagos", "Accra", "Kigali", "Nairobi", "Kampala", "Dakar"];
  const lines = ["date,city,product,units,revenue,note"];
  let size = lines[0].length + 1;
  for (let i = 0; size < bytes; i++) {
    const day = new Date(Date.UTC(2020, 0, 1 + (i % 1500)))
      .toISOString().slice(0, 10);
    const line = `${day},${cities[i % 6]},product_${i % 97},${i % 1000},${
      ((i * 7919) % 100_000) / 100
    },order ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

const dir = await Deno.makeTempDir({ prefix: "chartroom-dump-bench-" });
const kvPath = `${dir}/dump.kv`;
await using server = await startServerProcess({
  KV_PATH: kvPath,
  STREAM_WORD_DELAY_MS: "0",
  MAX_RESTORE_BYTES: "200MB",
});
const client = new Client(server.url);
const sessionId = await client.createSession();
// 50 charts of two versions each, of 365 points, stored straight in the
// server's store (chat turns would make some of them versions of others).
{
  await using kv = await openKv(kvPath);
  for (let i = 0; i < charts; i++) {
    const rows = Array.from({ length: 365 }, (_, d) => [
      new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10),
      Math.round(1000 * Math.sin(d / 20 + i)) / 10,
    ]);
    const snapshot = {
      columns: [
        { name: "date", type: "date" as const },
        { name: "value", type: "number" as const },
      ],
      rows,
    };
    const spec = (type: "line" | "bar") => ({
      type,
      title: `Series ${i + 1}`,
      x: "date",
      series: ["value"],
    });
    await seedChart(kv, sessionId, [
      { spec: spec("line"), snapshot },
      { spec: spec("bar"), snapshot },
    ]);
  }
}
const csv = bigCsv(datasetMb * 1_000_000 - 1000);
const upload = await client.fetch(
  `/api/sessions/${sessionId}/datasets?filename=orders.csv`,
  { method: "POST", body: csv },
);
if (upload.status !== 201) {
  throw new Error(`upload: ${upload.status} ${await upload.text()}`);
}
await upload.body?.cancel();
for (let run = 1; run <= repeat; run++) {
  const memory = sampleRss(server);
  const cpuBefore = cpuMillis(server.pid);
  const started = performance.now();
  const response = await client.fetch(`/api/sessions/${sessionId}/dump`);
  if (response.status !== 200) throw new Error(`dump: ${response.status}`);
  const parts: Uint8Array[] = [];
  for await (const chunk of response.body!) parts.push(chunk);
  const dumpMs = performance.now() - started;
  const dumpCpu = cpuMillis(server.pid) - cpuBefore;
  const { before, peak } = memory.stop();
  const archive = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    archive.set(part, at);
    at += part.length;
  }
  const manifest = JSON.parse(
    new TextDecoder().decode(
      unzipSync(archive, { filter: (f) => f.name === "manifest.json" })[
        "manifest.json"
      ],
    ),
  );
  const content = manifest.entries.reduce(
    (n: number, e: { size: number }) => n + e.size,
    0,
  );

  const restoreCpuBefore = cpuMillis(server.pid);
  const restoreStarted = performance.now();
  const restored = await client.fetch("/api/sessions/restore", {
    method: "POST",
    headers: { "content-type": "application/zip" },
    body: archive,
  });
  const restoreMs = performance.now() - restoreStarted;
  const restoreCpu = cpuMillis(server.pid) - restoreCpuBefore;
  if (restored.status !== 201) {
    throw new Error(`restore: ${restored.status} ${await restored.text()}`);
  }
  const made = await restored.json();
  console.log(JSON.stringify({
    bench: "dump",
    run,
    charts,
    dataset_mb: mb(csv.length),
    content_mb: mb(content),
    archive_mb: mb(archive.length),
    dump_ms: Math.round(dumpMs),
    // On a busy machine wall time includes waiting for a core; CPU time does not.
    dump_server_cpu_ms: dumpCpu,
    dump_content_mb_per_cpu_s: Math.round(content / 1e3 / dumpCpu),
    dump_content_mb_per_s: Math.round(content / 1e3 / dumpMs),
    dump_archive_mb_per_s: Math.round(archive.length / 1e3 / dumpMs),
    server_rss_mb_before: mb(before),
    dump_peak_growth_mb: mb(peak - before),
    restore_ms: Math.round(restoreMs),
    restore_server_cpu_ms: restoreCpu,
    restored: made.restored,
  }));
}

await Deno.remove(dir, { recursive: true }).catch(() => {});
