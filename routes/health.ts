import type { Handlers } from "@/lib/http/types.ts";
import { checkKvHealth } from "@/lib/kv/health.ts";
import { warmUpState } from "@/lib/drawing/warm_up.ts";
import { modelHealth, modelSettings } from "@/lib/agent/model/settings.ts";
import { healthView } from "@/lib/api/build.ts";

export const handler: Handlers = {
  /** A KV round trip: 200 with its latency, or 503; the renderer's warm-up; the model (never its key). */
  async GET(c) {
    const result = await checkKvHealth(c.var.kv);
    c.header("cache-control", "no-store");
    return c.json(
      healthView(
        result,
        warmUpState(),
        modelHealth(modelSettings(c.var.config)),
      ),
      result.ok ? 200 : 503,
    );
  },
};
