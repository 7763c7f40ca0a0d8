import type { Handlers } from "@/lib/http/types.ts";

export const handler: Handlers = {
  /** Liveness: the process answers requests (nothing else is checked). */
  GET(c) {
    c.header("cache-control", "no-store");
    return c.json({ status: "ok" });
  },
};
