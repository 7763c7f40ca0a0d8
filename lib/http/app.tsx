/**
 * Builds the Hono app from the generated manifest: middleware, static files,
 * every route module (handlers and pages), the 404 page and the error handler.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { ComponentType } from "preact";
import type { Config } from "@/lib/config.ts";
import { log } from "@/lib/log.ts";
import { newId } from "@/lib/ids.ts";
import { handleError } from "./errors.ts";
import { identity } from "./identity.ts";
import { originCheck } from "./guards.ts";
import { requestQuota } from "./quota.ts";
import { recordRequest } from "./metrics.ts";
import { registerIslands } from "./islands.ts";
import { staticFiles } from "./static_files.ts";
import { BareApp, renderDocument } from "./pages.tsx";
import { langFromAcceptLanguage } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import { uiText } from "@/lib/agent/lang/ui.ts";
import type { AssetManifest } from "./assets.ts";
import type { JobRunner } from "@/lib/jobs/runner.ts";
import type { Housekeeping } from "@/lib/jobs/housekeeping.ts";
import type { ModelClient } from "@/lib/agent/model/client.ts";
import { compareRoutePaths, routePathOf } from "./route_paths.ts";
import type {
  AppEnv,
  AppProps,
  Handlers,
  Manifest,
  PageProps,
  RouteModule,
} from "./types.ts";

export interface AppDeps {
  kv: Deno.Kv;
  config: Config;
  signingKey: CryptoKey;
  manifest: Manifest;
  assets: AssetManifest;
  closing: AbortSignal;
  jobs: JobRunner;
  housekeeping: Housekeeping;
  /** How often SSE followers poll the store (0: kv.watch sees every write). */
  eventPollMs: number;
  /** The configured language model (null or absent: none). */
  model?: ModelClient | null;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

/** Returns the app: a Hono instance whose `fetch` serves every route. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { manifest, assets } = deps;
  registerIslands(manifest.islands);
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    c.set("kv", deps.kv);
    c.set("config", deps.config);
    c.set("signingKey", deps.signingKey);
    c.set("closing", deps.closing);
    c.set("jobs", deps.jobs);
    c.set("eventPollMs", deps.eventPollMs);
    c.set("model", deps.model ?? null);
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 64) ?? newId());
    c.set("lang", langFromAcceptLanguage(c.req.header("accept-language")));
    c.set("route", "unmatched");
    await next();
    const ms = performance.now() - started;
    c.header("x-request-id", c.var.requestId);
    recordRequest(c.req.method, c.var.route, c.res.status, ms / 1000);
    // Lapsed jobs and due sweeps ride on requests; this never waits for them.
    deps.housekeeping.onRequest();
    log.info("request", {
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(ms * 10) / 10,
    });
  });

  const staticRoot = new URL("../../static/", import.meta.url).pathname;
  app.use(
    "/static/build/*",
    async (c, next) => {
      await next();
      if (c.res.ok) {
        c.header("cache-control", "public, max-age=31536000, immutable");
      }
    },
  );
  app.use("/static/*", async (c, next) => {
    c.set("route", "/static/*");
    await next();
  }, staticFiles(staticRoot));

  app.use(identity(), originCheck(), requestQuota());
  const routes = manifest.routes;
  const middleware = routes["./routes/_middleware.ts"]?.handler;
  if (typeof middleware === "function") {
    app.use(middleware as MiddlewareHandler<AppEnv>);
  }
  const App = (routes["./routes/_app.tsx"]?.default ??
    (({ Component }: AppProps) => <Component />)) as ComponentType<AppProps>;

  const renderPage = (
    Page: ComponentType<PageProps<unknown>>,
    url: URL,
    params: Record<string, string>,
    data: unknown,
    lang: Lang,
    bare = false,
  ) =>
    renderDocument(
      bare ? BareApp : App,
      Page,
      { data, params, url, lang, ui: uiText(lang) },
      assets,
    );

  const entries = Object.entries(routes)
    .map(([file, mod]) => ({ file, mod, path: routePathOf(file) }))
    .filter((r): r is { file: string; mod: RouteModule; path: string } =>
      r.path !== null
    )
    .sort((a, b) => compareRoutePaths(a.path, b.path));

  const allowed = new Map<string, string[]>();
  for (const { path, mod } of entries) {
    const handlers = (mod.handler ?? {}) as Handlers;
    const Page = mod.default as ComponentType<PageProps<unknown>> | undefined;
    const bare = mod.config?.skipAppWrapper === true;
    const methods: string[] = [];
    allowed.set(path, methods);
    for (const method of METHODS) {
      let handle = handlers[method];
      if (!handle && method === "GET" && Page) {
        handle = (c) => c.render();
      }
      if (!handle) continue;
      methods.push(method);
      // Hono answers HEAD with the GET handler.
      if (method === "GET" && !handlers.HEAD) methods.push("HEAD");
      const run = handle;
      app.on(method, path, async (c) => {
        c.set("route", path);
        if (Page) {
          // c.html keeps any status the handler set with c.status().
          c.setRenderer((data?: unknown) => {
            // The words follow Accept-Language unless a session chose them.
            c.header("vary", "Accept-Language");
            return c.html(
              renderPage(
                Page,
                new URL(c.req.url),
                c.req.param(),
                data,
                c.var.lang,
                bare,
              ),
            );
          });
        }
        return await run(c);
      });
    }
  }

  // After every route's own methods: any other method of a known path.
  for (const [path, methods] of allowed) {
    if (methods.length === 0) continue;
    const allow = [...new Set(methods)].join(", ");
    app.all(path, (c) => {
      c.set("route", path);
      c.header("allow", allow);
      return c.json({
        error: {
          code: "method_not_allowed",
          message: `${c.req.method} is not allowed here; use ${allow}`,
        },
      }, 405);
    });
  }

  const NotFound = routes["./routes/_404.tsx"]?.default as
    | ComponentType<PageProps<unknown>>
    | undefined;
  app.notFound((c) => {
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
    if (NotFound && wantsHtml && !c.req.path.startsWith("/api/")) {
      c.header("vary", "Accept-Language");
      return c.html(
        renderPage(NotFound, new URL(c.req.url), {}, undefined, c.var.lang),
        404,
      );
    }
    return c.json({
      error: {
        code: "not_found",
        message: `no route for ${c.req.method} ${c.req.path}`,
      },
    }, 404);
  });
  app.onError(handleError);
  return app;
}
