/**
 * The manifest's route and island files as the app serves them. A file's
 * module is imported on the first request that needs it, or by
 * `preloadManifest` a moment after start, so a process answers its first
 * requests (a health check, a chart image) before it has loaded every page
 * and API route.
 */
import type { ComponentType } from "preact";
import { registerIslands } from "./islands.ts";
import type {
  AppContext,
  Handlers,
  Manifest,
  PageProps,
  RouteModule,
} from "./types.ts";

type Handler = (c: AppContext) => Response | Promise<Response>;

/** A route module as the app dispatches it. */
export interface LoadedRoute {
  /** The methods it answers, HEAD included wherever GET is. */
  methods: string[];
  /** Its handler for `method` (a page's GET renders the page); HEAD falls back to GET. */
  handlerFor(method: string): Handler | undefined;
  Page?: ComponentType<PageProps<unknown>>;
  /** Rendered without `_app` (Fresh's `skipAppWrapper`). */
  bare: boolean;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

/** Returns `load` run at most once at a time and remembered; a failed load is tried again next time. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    loading ??= load().catch((error) => {
      loading = undefined;
      throw error;
    });
}

/** Returns the route `mod` defines. */
export function toLoadedRoute(mod: RouteModule): LoadedRoute {
  const handlers = (mod.handler ?? {}) as Handlers;
  const Page = mod.default as ComponentType<PageProps<unknown>> | undefined;
  const byMethod = new Map<string, Handler>();
  for (const method of METHODS) {
    const handle = handlers[method] ??
      (method === "GET" && Page ? (c: AppContext) => c.render() : undefined);
    if (handle) byMethod.set(method, handle);
  }
  const methods = [...byMethod.keys()];
  const get = byMethod.get("GET");
  if (get && !byMethod.has("HEAD")) {
    byMethod.set("HEAD", get);
    methods.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  }
  return {
    methods,
    handlerFor: (method) => byMethod.get(method),
    Page,
    bare: mod.config?.skipAppWrapper === true,
  };
}

/** Returns a loader that imports every island once and registers it for server rendering. */
export function islandsLoader(manifest: Manifest): () => Promise<void> {
  return loadOnce(async () => {
    const entries = await Promise.all(
      Object.entries(manifest.islands).map(async ([file, load]) =>
        [file, await load()] as const
      ),
    );
    registerIslands(Object.fromEntries(entries));
  });
}

/** Imports every route and island of `manifest` (what the first requests would otherwise wait for). */
export async function preloadManifest(manifest: Manifest): Promise<void> {
  for (const load of Object.values(manifest.routes)) await load();
  for (const load of Object.values(manifest.islands)) await load();
}
