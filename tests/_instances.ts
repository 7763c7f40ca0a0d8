/**
 * App processes for tests and benchmarks about instances: each is `main.ts`
 * (or `deno task start`) in its own process on a free port, several sharing
 * one KV file, so they meet only through the store.
 */
import { START_ENV, START_V8_FLAGS } from "@/scripts/start.ts";
import { createJob, type Job } from "@/lib/kv/jobs.ts";

const ROOT = new URL("../", import.meta.url);

/** One running app process; dispose to stop it (SIGTERM, then SIGKILL). */
export interface AppProcess extends AsyncDisposable {
  url: string;
  /** The server's own process (for `deno task start`, the task's process). */
  pid: number;
  /** Sends a signal to the server process. */
  signal(name: Deno.Signal): void;
  /** Resolves when the process has exited. */
  exited: Promise<Deno.CommandStatus>;
}

/** Returns a free TCP port on 127.0.0.1. */
export function freePort(): number {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  return port;
}

/** Waits until `url`/health answers 200; throws after `timeoutMs`. */
export async function waitUntilUp(
  url: string,
  timeoutMs = 60_000,
  exited?: Promise<unknown>,
): Promise<void> {
  let gone = false;
  exited?.then(() => (gone = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !gone) {
    const ok = await fetch(`${url}/health`).then(
      async (r) => {
        await r.body?.cancel();
        return r.ok;
      },
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not come up${gone ? " (it exited)" : ""}`);
}

/**
 * Starts the app on a free port with `KV_PATH=kvPath` and `env`: `main.ts`
 * under `deno run -A` with the environment and V8 flags `deno task start`
 * gives it, with `task` the real `deno task start`, or with `parallel` the
 * real `deno task start --parallel`. Resolves once it answers /health.
 */
export async function spawnApp(
  kvPath: string,
  env: Record<string, string> = {},
  options: { task?: boolean; parallel?: boolean; quiet?: boolean } = {},
): Promise<AppProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: options.parallel
      ? ["task", "-q", "start", "--parallel"]
      : options.task
      ? ["task", "-q", "start"]
      : ["run", "-A", `--v8-flags=${START_V8_FLAGS.join(",")}`, "main.ts"],
    cwd: ROOT,
    env: {
      ...START_ENV,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      KV_PATH: kvPath,
      LOG_LEVEL: "warn",
      RENDER_WARMUP: "off",
      ...env,
    },
    stdin: "null",
    stdout: options.quiet === false ? "inherit" : "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const exited = child.status;
  const signal = (name: Deno.Signal) => {
    try {
      child.kill(name);
    } catch {
      // Already gone.
    }
  };
  const app: AppProcess = {
    url,
    pid: child.pid,
    signal,
    exited,
    async [Symbol.asyncDispose]() {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitUntilUp(url, 90_000, exited);
  } catch (error) {
    await app[Symbol.asyncDispose]();
    throw error;
  }
  return app;
}

/** Polls `probe` every `everyMs` until it returns a value other than null/false; throws after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | false>,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Creates a one-step workflow job (convert `datasetId` to CSV) as an instance
 * that died before running it would leave it: its lease lapses at once.
 */
export async function orphanedWorkflowJob(
  kv: Deno.Kv,
  input: {
    sessionId: string;
    ownerId: string;
    datasetId: string;
    origin: string;
  },
): Promise<Job> {
  const { job } = await createJob(kv, {
    type: "workflow",
    sessionId: input.sessionId,
    ownerId: input.ownerId,
    request: {
      input: input.datasetId,
      steps: [{ operation: "convert", arguments: { format: "csv" } }],
    },
    origin: input.origin,
    ttlMs: 3600_000,
    listed: true,
  }, { owner: "gone", leaseMs: 1 });
  return job;
}
