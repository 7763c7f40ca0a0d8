/**
 * The limits of config applied to requests: per identity (requests, chat
 * turns, renders per minute; datasets and bytes stored; open event
 * streams) and per client IP for the stateless render API and shared links'
 * drawings. Counting lives in lib/kv/quotas.ts.
 */
import type { MiddlewareHandler } from "hono";
import type { Config } from "@/lib/config.ts";
import { type Rate, type SetLimits, takeRate } from "@/lib/kv/quotas.ts";
import type { AppContext, AppEnv } from "./types.ts";

type RateName = "requests" | "chat_turns" | "renders" | "render_api";

/** Returns one of the configured rates. */
export function rateOf(config: Config, name: RateName): Rate {
  const windowMs = config.QUOTA_WINDOW;
  switch (name) {
    case "requests":
      return {
        name: "QUOTA_REQUESTS_PER_MINUTE",
        max: config.QUOTA_REQUESTS_PER_MINUTE,
        windowMs,
        what: "requests",
      };
    case "chat_turns":
      return {
        name: "QUOTA_CHAT_TURNS_PER_MINUTE",
        max: config.QUOTA_CHAT_TURNS_PER_MINUTE,
        windowMs,
        what: "chat turns",
      };
    case "renders":
      return {
        name: "QUOTA_RENDERS_PER_MINUTE",
        max: config.QUOTA_RENDERS_PER_MINUTE,
        windowMs,
        what: "drawings (PNG, SVG, PDF and ZIP exports)",
      };
    case "render_api":
      return {
        name: "RENDER_API_PER_MINUTE",
        max: config.RENDER_API_PER_MINUTE,
        windowMs,
        what: "drawings from this address",
      };
  }
}

/** Counts one chat turn or render of the caller; throws a 429 past the limit. */
export function takeIdentityRate(
  c: AppContext,
  name: "chat_turns" | "renders",
): Promise<void> {
  return takeRate(c.var.kv, rateOf(c.var.config, name), c.var.ownerId);
}

/**
 * The client's address: the first `X-Forwarded-For` hop with TRUST_PROXY=on,
 * else the connection's peer (`unknown` when there is none, as in tests).
 */
export function clientIp(c: AppContext): string {
  if (c.var.config.TRUST_PROXY === "on") {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0].trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const info = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return info?.remoteAddr?.hostname ?? "unknown";
}

/** Counts one drawing for the client's address (render API, shared links). */
export function takeIpRenderRate(c: AppContext): Promise<void> {
  return takeRate(
    c.var.kv,
    rateOf(c.var.config, "render_api"),
    clientIp(c),
  );
}

/** The caller's storage limits: datasets and bytes stored. */
export function storageLimits(config: Config): SetLimits {
  return {
    count: {
      max: config.QUOTA_DATASETS,
      name: "QUOTA_DATASETS",
      what: "datasets stored",
      hint: "Delete a dataset or a session to make room",
    },
    bytes: { max: config.QUOTA_STORED_BYTES, name: "QUOTA_STORED_BYTES" },
  };
}

/**
 * Middleware: counts every request of an identity it came with (cookie or
 * token) against QUOTA_REQUESTS_PER_MINUTE. A request that was just given a
 * new identity is not counted: a client without cookies would only fill the
 * store with counts of identities never seen again.
 */
export function requestQuota(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.var.ownerId && !c.var.identityIssued) {
      await takeRate(
        c.var.kv,
        rateOf(c.var.config, "requests"),
        c.var.ownerId,
      );
    }
    await next();
  };
}
