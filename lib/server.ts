/**
 * Starting the app: open KV, load the signing key and assets, build the app,
 * start the queue listener and the housekeeping, and serve.
 */
import type { Config } from "../fresh.config.ts";
import { createApp } from "./http/app.tsx";
import { loadAssets } from "./http/assets.ts";
import { loadSigningKey } from "./http/signing.ts";
import type { Manifest } from "./http/types.ts";
import {
  finishSessionDelete,
  isDeleteSessionJob,
  resumeSessionDeletes,
} from "./kv/session_delete.ts";
import { sweepAbandonedBlobs } from "./kv/blobs.ts";
import { isJobMessage } from "./kv/jobs.ts";
import { createWorkflowRunner, type WorkflowDeps } from "./workflows/run.ts";
import { log, setLogLevel } from "./log.ts";
import {
  closeRenderPool,
  configureRenderPool,
  getRenderPool,
} from "./charts/render_pool.ts";
import { warmUpRenderer } from "./charts/warm_up.ts";
import { openKv } from "./kv/open.ts";
import { closeSqlService, startSqlService } from "./data/sql_service.ts";

export interface RunningServer {
  server: Deno.HttpServer<Deno.NetAddr>;
  url: string;
  kv: Deno.Kv;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the server; resolves once it listens. Disposing stops it and closes KV. */
export async function startServer(
  config: Config,
  manifest: Manifest,
  options: {
    kv?: Deno.Kv;
    quiet?: boolean;
    /** Test hook: runs before each workflow step. */
    beforeWorkflowStep?: WorkflowDeps["beforeStep"];
  } = {},
): Promise<RunningServer> {
  setLogLevel(config.LOG_LEVEL);
  configureRenderPool({
    size: config.RENDER_WORKERS,
    fontPaths: config.FONT_PATHS,
    idleMs: config.RENDER_IDLE_TIMEOUT,
    timeoutMs: config.RENDER_TIMEOUT,
    maxOutputBytes: config.RENDER_MAX_BYTES,
  });
  startSqlService({
    size: config.SQL_WORKERS,
    memoryBytes: config.SQL_MEMORY,
  });
  const kv = options.kv ??
    await openKv(config.KV_PATH, { onDeploy: !!config.DENO_DEPLOYMENT_ID });
  const signingKey = await loadSigningKey(kv, config.SECRET_KEY);
  const assets = await loadAssets();
  const closing = new AbortController();
  const app = createApp({
    kv,
    config,
    signingKey,
    manifest,
    assets,
    closing: closing.signal,
  });

  const workflows = createWorkflowRunner({
    kv,
    signingKey,
    datasetTtlMs: config.ARTIFACT_TTL,
    downloadTtlMs: config.DOWNLOAD_TTL,
    maxRows: config.MAX_UPLOAD_ROWS,
    sqlTimeoutMs: config.SQL_TIMEOUT_MS,
    sqlMemoryBytes: config.SQL_MEMORY,
    sqlConcurrency: config.SQL_CONCURRENCY,
    beforeStep: options.beforeWorkflowStep,
  });
  const queue = kv.listenQueue(async (message) => {
    if (isDeleteSessionJob(message)) await finishSessionDelete(kv, message);
    else if (isJobMessage(message)) await workflows.run(message.jobId);
  });
  const resumed = await resumeSessionDeletes(kv);
  if (resumed > 0) {
    log.info("finished interrupted session deletes", { count: resumed });
  }
  const resumedJobs = await workflows.resume();
  if (resumedJobs > 0) {
    log.info("resumed interrupted workflows", { count: resumedJobs });
  }
  const sweeper = setInterval(() => {
    sweepAbandonedBlobs(kv).catch((error) =>
      log.error("blob sweep failed", { error })
    );
  }, 10 * 60_000);
  // Jobs whose runner died (no heartbeat) or whose queue message was lost.
  const jobWatch = setInterval(() => {
    workflows.resume({ queuedGraceMs: 30_000 }).catch((error) =>
      log.error("workflow resume failed", { error })
    );
  }, 15_000);

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOSTNAME,
    onListen: (addr) => listening.resolve(addr),
  }, app.fetch);
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
    kv,
    async [Symbol.asyncDispose]() {
      clearInterval(sweeper);
      clearInterval(jobWatch);
      closing.abort();
      await workflows.close();
      await server.shutdown();
      await closeRenderPool();
      await closeSqlService();
      await warmUp;
      if (!options.kv) {
        kv.close();
        await queue.catch(() => {});
      }
    },
  };
}
