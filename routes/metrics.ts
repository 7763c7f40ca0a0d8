import type { Handlers } from "@/lib/http/types.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/lib/http/metrics.ts";

export const handler: Handlers = {
  /** Prometheus text format (see lib/metrics.ts for what is measured). */
  async GET(c) {
    c.header("cache-control", "no-store");
    return c.text(await renderMetrics(c.var.kv), 200, {
      "content-type": METRICS_CONTENT_TYPE,
    });
  },
};
