/** Types shared by the HTTP layer and the route modules. */
import type { Context, MiddlewareHandler } from "hono";
import type { ComponentType } from "preact";
import type { Config } from "@/lib/config.ts";
import type { JobRunner } from "@/lib/jobs/runner.ts";
import type { Lang, UiText } from "@/lib/agent/lang/types.ts";
import type { ModelClient } from "@/lib/agent/model/client.ts";

/** What every request can reach through `c.var`. */
export interface AppVariables {
  kv: Deno.Kv;
  config: Config;
  signingKey: CryptoKey;
  /** The anonymous identity of the caller (from the signed cookie). */
  ownerId: string;
  /** The API token the request came with (`Authorization: Bearer`), if any. */
  tokenId?: string;
  /** This request was given a new identity (it came without a valid cookie). */
  identityIssued?: boolean;
  requestId: string;
  /** The matched route pattern (`/api/sessions/:id`), for metrics; `unmatched` otherwise. */
  route: string;
  /** Aborted when the server shuts down: long-lived streams end with it. */
  closing: AbortSignal;
  /** This instance's job runner: starts background jobs at once. */
  jobs: JobRunner;
  /** How often SSE followers poll the store (0: kv.watch sees every write). */
  eventPollMs: number;
  /**
   * The language pages are rendered in: the browser's (Accept-Language),
   * which a session's page replaces with the session's own.
   */
  lang: Lang;
  /** The configured language model (null: the built-in planner answers). */
  model: ModelClient | null;
}

export interface AppEnv {
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** Per-method handlers of a route module (Fresh's `handler` export). */
export type Handlers = Partial<
  Record<Method, (c: AppContext) => Response | Promise<Response>>
>;

/** What a page component receives. */
export interface PageProps<T = unknown> {
  data: T;
  params: Record<string, string>;
  url: URL;
  lang: Lang;
  /** The page's words, in `lang`. */
  ui: UiText;
}

export interface RouteModule {
  handler?: Handlers | MiddlewareHandler<AppEnv>;
  /** A page (or `_app`) component; its props depend on the file, see app.tsx. */
  default?: ComponentType<never>;
  /** Fresh's route config: `skipAppWrapper` renders the page without `_app`. */
  config?: { skipAppWrapper?: boolean };
}

export interface AppProps {
  Component: ComponentType;
  url: URL;
  lang: Lang;
  ui: UiText;
}

/**
 * The generated manifest (`fresh.gen.ts`): every route and island by file,
 * each with the import that loads it (a route loads on its first request).
 */
export interface Manifest {
  routes: Record<string, () => Promise<RouteModule>>;
  islands: Record<string, () => Promise<{ default: ComponentType<never> }>>;
}

declare module "hono" {
  interface ContextRenderer {
    (data?: unknown): Response | Promise<Response>;
  }
}
