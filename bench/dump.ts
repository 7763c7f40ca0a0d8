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
 * The archive goes both ways through curl when it is installed: Deno's own
 * fetch moves a 100 MB body over loopback at 20–40 MB/s on a busy 2-core
 * machine, so with it the figure would be the client's, not the server's
 * (`client` in the output says which was used).
 *
 * Run: `deno run -A bench/dump.ts [charts] [--mb=50] [--repeat=N]`.
 */
import { unzipSync } from "fflate";
import { Client, seedChart } from "@/tests/_fixtures.ts";
import { openKv } from "@/lib/kv/open.ts";
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
const hasCurl = await new Deno.Command("curl", { args: ["--version"] })
  .output().then((o) => o.success, () => false);
const cookie = () =>
  [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

/** Runs curl and returns its HTTP status; the body goes to or comes from `file`. */
async function curl(args: string[]): Promise<number> {
  const out = await new Deno.Command("curl", {
    args: ["-s", "-w", "%{http_code}", "-H", `cookie: ${cookie()}`, ...args],
    stdout: "piped",
  }).output();
  return Number(new TextDecoder().decode(out.stdout).slice(-3));
}

/**
 * The dump's bytes, fetched by fetch, or by curl into `file` (curl to
 * /dev/null when `file` is null: this disk writes at ~25 MB/s, slower than
 * the dump streams).
 */
async function download(file: string | null): Promise<Uint8Array | null> {
  const url = `${server.url}/api/sessions/${sessionId}/dump`;
  if (hasCurl) {
    const status = await curl(["-o", file ?? "/dev/null", url]);
    if (status !== 200) throw new Error(`dump: ${status}`);
    return file ? await Deno.readFile(file) : null;
  }
  const response = await client.fetch(url);
  if (response.status !== 200) throw new Error(`dump: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Restores `archive`, by curl or by fetch; returns the answer's JSON. */
async function restoreArchive(
  archive: Uint8Array,
): Promise<{ restored: unknown }> {
  const url = `${server.url}/api/sessions/restore`;
  if (hasCurl) {
    const file = `${dir}/restore.zip`;
    await Deno.writeFile(file, archive);
    const status = await curl([
      "-o",
      `${dir}/restored.json`,
      "-H",
      "content-type: application/zip",
      "--data-binary",
      `@${file}`,
      url,
    ]);
    if (status !== 201) throw new Error(`restore: ${status}`);
    return JSON.parse(await Deno.readTextFile(`${dir}/restored.json`));
  }
  const response = await client.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/zip" },
    body: archive as Uint8Array<ArrayBuffer>,
  });
  if (response.status !== 201) {
    throw new Error(`restore: ${response.status} ${await response.text()}`);
  }
  return await response.json();
}

for (let run = 1; run <= repeat; run++) {
  const memory = sampleRss(server);
  const cpuBefore = cpuMillis(server.pid);
  const started = performance.now();
  const streamed = await download(null);
  const dumpMs = performance.now() - started;
  const dumpCpu = cpuMillis(server.pid) - cpuBefore;
  const { before, peak } = memory.stop();
  const archive = streamed ?? (await download(`${dir}/dump.zip`))!;
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
  const made = await restoreArchive(archive);
  const restoreMs = performance.now() - restoreStarted;
  const restoreCpu = cpuMillis(server.pid) - restoreCpuBefore;
  console.log(JSON.stringify({
    bench: "dump",
    run,
    client: hasCurl ? "curl" : "fetch",
    load: Deno.loadavg()[0],
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
