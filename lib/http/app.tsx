/**
 * Builds the Hono app from the generated manifest: middleware, static files,
 * every route (handlers and pages), the 404 page and the error handler. The
 * route table comes from the file names; each route's module is imported on
 * its first request (routes.ts).
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
import { islandsLoader, loadOnce, toLoadedRoute } from "./routes.ts";
import type { AppEnv, AppProps, Manifest, PageProps } from "./types.ts";

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

/** Returns the app: a Hono instance whose `fetch` serves every route. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { manifest, assets } = deps;
  const islands = islandsLoader(manifest);
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
  const special = (file: string) => {
    const load = routes[file];
    return loadOnce(async () => load ? await load() : undefined);
  };
  const middleware = special("./routes/_middleware.ts");
  app.use(async (c, next) => {
    const handler = (await middleware())?.handler;
    if (typeof handler !== "function") return await next();
    return await (handler as MiddlewareHandler<AppEnv>)(c, next);
  });
  const appModule = special("./routes/_app.tsx");
  const notFoundModule = special("./routes/_404.tsx");

  const renderPage = async (
    Page: ComponentType<PageProps<unknown>>,
    url: URL,
    params: Record<string, string>,
    data: unknown,
    lang: Lang,
    bare = false,
  ) => {
    const [mod] = await Promise.all([appModule(), islands()]);
    const App = (mod?.default ??
      (({ Component }: AppProps) => <Component />)) as ComponentType<
        AppProps
      >;
    return renderDocument(
      bare ? BareApp : App,
      Page,
      { data, params, url, lang, ui: uiText(lang) },
      assets,
    );
  };

  const entries = Object.entries(routes)
    .map(([file, load]) => ({
      path: routePathOf(file),
      route: loadOnce(async () => toLoadedRoute(await load())),
    }))
    .filter((r): r is typeof r & { path: string } => r.path !== null)
    .sort((a, b) => compareRoutePaths(a.path, b.path));

  // Each path answers the methods its module has; any other method goes on
  // to the next path that matches, as if the path had no route for it.
  for (const { path, route } of entries) {
    app.all(path, async (c, next) => {
      const { handlerFor, Page, bare } = await route();
      const run = handlerFor(c.req.method);
      if (!run) return await next();
      c.set("route", path);
      if (Page) {
        // c.html keeps any status the handler set with c.status().
        c.setRenderer(async (data?: unknown) => {
          // The words follow Accept-Language unless a session chose them.
          c.header("vary", "Accept-Language");
          return c.html(
            await renderPage(
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

  // After every route's own methods: any other method of a known path.
  for (const { path, route } of entries) {
    app.all(path, async (c, next) => {
      const { methods } = await route();
      if (methods.length === 0) return await next();
      const allow = methods.join(", ");
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

  app.notFound(async (c) => {
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
    const NotFound = (await notFoundModule())?.default as
      | ComponentType<PageProps<unknown>>
      | undefined;
    if (NotFound && wantsHtml && !c.req.path.startsWith("/api/")) {
      c.header("vary", "Accept-Language");
      return c.html(
        await renderPage(
          NotFound,
          new URL(c.req.url),
          {},
          undefined,
          c.var.lang,
        ),
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
