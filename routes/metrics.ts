import type { Handlers } from "../lib/http/types.ts";
import { renderMetrics } from "../lib/http/metrics.ts";

export const handler: Handlers = {
  GET(c) {
    return c.text(renderMetrics(), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  },
};
