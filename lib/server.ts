/**
 * Starting the app: open KV, load the signing key and assets, create this
 * instance's job runner and housekeeping, build the app, and serve. Nothing
 * here is needed for correctness beyond the instance's own lifetime: jobs and
 * sweeps live in KV and any instance continues them.
 */
import type { Config } from "./config.ts";
import { createApp } from "@/lib/http/app.tsx";
import { preloadManifest } from "@/lib/http/routes.ts";
import { loadAssets } from "@/lib/http/assets.ts";
import { loadSigningKey } from "@/lib/links/signing.ts";
import type { Manifest } from "@/lib/http/types.ts";
import type { DeleteSessionRequest } from "@/lib/kv/session_delete.ts";
import type { WorkflowDeps } from "@/lib/workflows/run.ts";
import type { WorkflowRequest } from "@/lib/workflows/schema.ts";
import { lazyJobKind } from "@/lib/jobs/lazy_kind.ts";
import { createJobRunner, type JobRunner } from "@/lib/jobs/runner.ts";
import {
  createHousekeeping,
  type Housekeeping,
} from "@/lib/jobs/housekeeping.ts";
import { log, setLogLevel } from "./log.ts";
import { closeRenderPool, getRenderPool } from "@/lib/drawing/render_pool.ts";
import { configureRenderer } from "@/lib/drawing/pool_config.ts";
import { warmUpRenderer } from "@/lib/drawing/warm_up.ts";
import { openKv, storeKind } from "@/lib/kv/open.ts";
import { instrumentKv } from "@/lib/kv/instrument.ts";
import {
  closeSqlService,
  getSqlService,
  startSqlService,
} from "@/lib/data/sql_service.ts";
import { modelSettings } from "@/lib/agent/model/settings.ts";

/**
 * When the SQL supervisor starts after the instance is created: starting a
 * worker holds up this thread (0.1–0.4 s), which the first requests after a
 * start should not wait for; a statement sent sooner starts it itself.
 */
const SQL_START_DELAY_MS = 1000;

/**
 * When the routes a request has not loaded yet are imported after the
 * instance is created: late enough not to hold up the first requests after a
 * start (a chart image is usually drawn by then), early enough that the first
 * person to open a page seldom waits for its module.
 */
const ROUTE_PRELOAD_DELAY_MS = 1500;

/** An instance of the app: everything but the listening socket. */
export interface Instance {
  kv: Deno.Kv;
  jobs: JobRunner;
  housekeeping: Housekeeping;
  fetch: (request: Request) => Response | Promise<Response>;
  /** Ends live streams and hands running jobs back; KV stays open for requests still in flight. */
  stop(): Promise<void>;
  /** Stops, waits for background work and closes KV (if the instance opened it). */
  [Symbol.asyncDispose](): Promise<void>;
}

export interface InstanceOptions {
  kv?: Deno.Kv;
  /** Test hook: runs before each workflow step. */
  beforeWorkflowStep?: WorkflowDeps["beforeStep"];
}

/** Returns how often an SSE follower polls the store (0: `kv.watch` sees every write). */
export function eventPollMs(config: Config): number {
  const kind = storeKind(config.KV_PATH, !!config.DENO_DEPLOYMENT_ID);
  // Only a local file can be shared by processes whose writes watch misses.
  return kind === "file" ? config.EVENT_POLL : 0;
}

/**
 * Creates an instance: opens KV (unless given), and starts the job runner and
 * housekeeping, which take over any work an earlier process left unfinished.
 * Disposing it hands running jobs back and closes KV (if it opened it).
 */
export async function createInstance(
  config: Config,
  manifest: Manifest,
  options: InstanceOptions = {},
): Promise<Instance> {
  setLogLevel(config.LOG_LEVEL);
  configureRenderer(config);
  startSqlService({
    size: config.SQL_WORKERS,
    memoryBytes: config.SQL_MEMORY,
  }, false);
  const sqlStart = setTimeout(
    () => getSqlService().start(),
    SQL_START_DELAY_MS,
  );
  Deno.unrefTimer(sqlStart);
  const kv = instrumentKv(
    options.kv ??
      await openKv(config.KV_PATH, { onDeploy: !!config.DENO_DEPLOYMENT_ID }),
  );
  const signingKey = await loadSigningKey(kv, config.SECRET_KEY);
  const assets = await loadAssets();
  const closing = new AbortController();
  const jobs = createJobRunner({
    kv,
    leaseMs: config.JOB_LEASE,
    maxAttempts: config.JOB_ATTEMPTS,
    kinds: {
      // Imported with their first job, so that starting up does not load
      // the file readers, the SQL engine and the exporters.
      workflow: lazyJobKind<WorkflowRequest>(async () =>
        (await import("@/lib/workflows/run.ts")).workflowJobKind({
          kv,
          signingKey,
          datasetTtlMs: config.ARTIFACT_TTL,
          downloadTtlMs: config.DOWNLOAD_TTL,
          maxRows: config.MAX_UPLOAD_ROWS,
          sqlTimeoutMs: config.SQL_TIMEOUT_MS,
          sqlMemoryBytes: config.SQL_MEMORY,
          sqlConcurrency: config.SQL_CONCURRENCY,
          beforeStep: options.beforeWorkflowStep,
        })
      ),
      session_delete: lazyJobKind<DeleteSessionRequest>(
        async () =>
          (await import("@/lib/kv/session_delete.ts")).sessionDeleteJobKind(
            kv,
          ),
        { forgetWhenDone: true },
      ),
    },
  });
  const housekeeping = createHousekeeping({
    kv,
    instanceId: jobs.instanceId,
    reclaim: [
      () => jobs.claimLapsed(),
      // Chat turns whose server died before they ended.
      async () =>
        (await import("@/lib/kv/turns.ts")).closeInterruptedTurns(
          kv,
          jobs.instanceId,
        ),
    ],
    sweepEveryMs: config.SWEEP_INTERVAL,
    reclaimEveryMs: Math.min(5000, Math.max(250, config.JOB_LEASE / 4)),
  });
  const llm = modelSettings(config);
  // The model client (and the openai package) loads only when a model is set.
  const model = llm
    ? (await import("@/lib/agent/model/client.ts")).createModelClient(llm)
    : null;
  const app = createApp({
    kv,
    config,
    signingKey,
    manifest,
    assets,
    closing: closing.signal,
    jobs,
    housekeeping,
    eventPollMs: eventPollMs(config),
    model,
  });
  // Work an earlier process left (lapsed leases) is taken over now, not on the
  // first request; the timer only makes later takeovers sooner on an idle
  // server (requests and Deno.cron do it too).
  housekeeping.onRequest();
  const timer = setInterval(() => {
    housekeeping.tick().catch((error) =>
      log.error("housekeeping failed", { error })
    );
  }, config.SWEEP_INTERVAL);
  Deno.unrefTimer(timer);
  let preloaded: Promise<void> = Promise.resolve();
  const preload = setTimeout(() => {
    preloaded = preloadManifest(manifest).catch((error) =>
      // The request that needs a module that failed to load reports it.
      log.warn("preloading routes failed", { error: String(error) })
    );
  }, ROUTE_PRELOAD_DELAY_MS);
  Deno.unrefTimer(preload);
  const stop = async () => {
    clearTimeout(sqlStart);
    clearTimeout(preload);
    clearInterval(timer);
    closing.abort();
    await jobs.close();
  };
  return {
    kv,
    jobs,
    housekeeping,
    fetch: app.fetch,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      await Promise.all([housekeeping.settle(), preloaded]);
      if (!options.kv) kv.close();
    },
  };
}

export interface RunningServer {
  server: Deno.HttpServer<Deno.NetAddr>;
  url: string;
  kv: Deno.Kv;
  instance: Instance;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the server; resolves once it listens. Disposing it stops it and closes KV. */
export async function startServer(
  config: Config,
  manifest: Manifest,
  options: InstanceOptions & { quiet?: boolean } = {},
): Promise<RunningServer> {
  const instance = await createInstance(config, manifest, options);
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOSTNAME,
    onListen: (addr) => listening.resolve(addr),
  }, instance.fetch);
  const addr = await listening.promise;
  const host = addr.hostname === "0.0.0.0" ? "localhost" : addr.hostname;
  const url = `http://${host}:${addr.port}`;
  if (!options.quiet) log.info("listening", { url });
  // After listening, so a request never waits for the server to start.
  const warmUp = config.RENDER_WARMUP === "on"
    ? warmUpRenderer(getRenderPool())
    : Promise.resolve();

  return {
    server,
    url,
    kv: instance.kv,
    instance,
    async [Symbol.asyncDispose]() {
      await instance.stop();
      await server.shutdown();
      await instance[Symbol.asyncDispose]();
      await closeRenderPool();
      await closeSqlService();
      await warmUp;
    },
  };
}
