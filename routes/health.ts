import type { Handlers } from "../lib/http/types.ts";
import { checkKvHealth } from "../lib/kv/health.ts";
import { warmUpState } from "../lib/charts/warm_up.ts";

export const handler: Handlers = {
  /** A KV round trip: 200 with its latency, or 503; and the renderer's warm-up. */
  async GET(c) {
    const result = await checkKvHealth(c.var.kv);
    c.header("cache-control", "no-store");
    return c.json(
      {
        status: result.ok ? "ok" : "unavailable",
        kv_ms: result.ms,
        renderer_warmup: warmUpState(),
      },
      result.ok ? 200 : 503,
    );
  },
};
