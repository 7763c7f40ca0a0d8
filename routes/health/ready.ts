import type { Handlers } from "@/lib/http/types.ts";
import { readiness } from "@/lib/http/readiness.ts";

export const handler: Handlers = {
  /** Readiness: KV answers, the renderer has warmed up, and the instance is not stopping; else 503. */
  async GET(c) {
    const ready = await readiness(c.var.kv, c.var.closing);
    c.header("cache-control", "no-store");
    return c.json(ready, ready.status === "ok" ? 200 : 503);
  },
};
