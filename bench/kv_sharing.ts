/**
 * What sharing one KV file costs each process, apart from the app: N
 * processes (1, then 3) each commit as fast as 8 concurrent writers allow
 * (read a key, commit it back with a versionstamp check and a second key,
 * as a chat turn's writes do), retrying "database is locked" the way
 * lib/kv/open.ts does. Prints commits per second in all and the CPU each
 * commit cost (user + system, from /proc), and the same with writers
 * queued through an OS lock on a side file instead of retrying. The KV file
 * is in the temp folder unless --dir says otherwise.
 *
 * Run: deno run -A bench/kv_sharing.ts [--seconds=5] [--dir=/dev/shm]
 */
const arg = (name: string, fallback: string) =>
  Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ??
    fallback;
const SECONDS = Number(arg("seconds", "5"));

/** A process's CPU milliseconds so far (user + system), from /proc (Linux). */
function cpuMs(pid: number | "self"): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One writer process: commits until the deadline; prints its counts as JSON. */
async function child(path: string, id: string, locked: boolean) {
  const kv = await Deno.openKv(path);
  const lockFile = locked
    ? await Deno.open(`${path}.lock`, { read: true, write: true, create: true })
    : null;
  let queue: Promise<unknown> = Promise.resolve();
  const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!lockFile) return await work();
    const before = queue;
    let release!: () => void;
    queue = new Promise<void>((r) => release = r);
    await before;
    await lockFile.lock(true);
    try {
      return await work();
    } finally {
      await lockFile.unlock();
      release();
    }
  };
  const cpuBefore = cpuMs("self");
  const until = Date.now() + SECONDS * 1000;
  let commits = 0;
  let busy = 0;
  await Promise.all(Array.from({ length: 8 }, async (_, writer) => {
    for (let n = 0; Date.now() < until; n++) {
      const key = ["k", id, writer, n % 50];
      const current = await kv.get(key);
      for (let attempt = 0;; attempt++) {
        try {
          await withLock(() =>
            kv.atomic().check(current)
              .set(key, { n, pad: "x".repeat(800) })
              .set(["e", id, writer, n], n)
              .commit()
          );
          break;
        } catch (error) {
          if (!/database is (locked|busy)/i.test(String(error))) throw error;
          busy++;
          await sleep(Math.random() * Math.min(16, 1 + attempt));
        }
      }
      commits++;
      await sleep(1);
    }
  }));
  console.log(
    JSON.stringify({ commits, busy, cpuMs: cpuMs("self") - cpuBefore }),
  );
  kv.close();
}

async function run(processes: number, locked: boolean) {
  const dir = await Deno.makeTempDir({
    prefix: "chartroom-kv-sharing-",
    ...(Deno.args.some((a) => a.startsWith("--dir="))
      ? { dir: arg("dir", "") }
      : {}),
  });
  try {
    const outputs = await Promise.all(
      Array.from(
        { length: processes },
        (_, i) =>
          new Deno.Command(Deno.execPath(), {
            args: [
              "run",
              "-A",
              new URL(import.meta.url).pathname,
              "--child",
              `${dir}/kv`,
              String(i),
              locked ? "locked" : "retry",
              ...Deno.args.filter((a) => a.startsWith("--seconds=")),
            ],
            stderr: "inherit",
          }).output(),
      ),
    );
    const results = outputs.map((o) =>
      JSON.parse(new TextDecoder().decode(o.stdout)) as {
        commits: number;
        busy: number;
        cpuMs: number;
      }
    );
    const commits = results.reduce((n, r) => n + r.commits, 0);
    const busy = results.reduce((n, r) => n + r.busy, 0);
    const cpu = results.reduce((n, r) => n + r.cpuMs, 0);
    return { commits, busy, cpu };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (Deno.args[0] === "--child") {
  await child(Deno.args[1], Deno.args[2], Deno.args[3] === "locked");
} else {
  console.log(
    `KV file shared by processes, 8 writers each, ${SECONDS} s, ${
      arg("dir", "") || "temp folder"
    }, ${navigator.hardwareConcurrency} cores, load average ${
      Deno.loadavg()[0].toFixed(1)
    }`,
  );
  for (const locked of [false, true]) {
    for (const processes of [1, 3]) {
      const { commits, busy, cpu } = await run(processes, locked);
      console.log(
        `  ${processes} process${processes > 1 ? "es" : ""}, ${
          locked ? "queued by an OS lock" : "retrying when locked"
        }: ${(commits / SECONDS).toFixed(0)} commits/s, CPU ${
          (cpu * 1000 / commits).toFixed(0)
        } µs a commit, ${
          (busy / commits).toFixed(2)
        } "locked" retries a commit`,
      );
    }
  }
}
