/** The render worker pool as the configuration asks for it. */
import type { Config } from "@/lib/config.ts";
import { configureRenderPool, getRenderPool } from "./render_pool.ts";

/** Configures the shared render pool from `config` (a no-op when nothing changed). */
export function configureRenderer(config: Config): void {
  configureRenderPool({
    size: config.RENDER_WORKERS,
    fontPaths: config.FONT_PATHS,
    idleMs: config.RENDER_IDLE_TIMEOUT,
    timeoutMs: config.RENDER_TIMEOUT,
    maxOutputBytes: config.RENDER_MAX_BYTES,
    warmUp: config.RENDER_WARMUP === "on",
  });
}

/**
 * Configures the pool and, when the renderer is to be warmed up at start
 * (RENDER_WARMUP), starts its first worker at once, so that it loads ECharts
 * and resvg on its own thread while the process is still loading the app;
 * call it before importing the app. With the warm-up off (hosts that bill
 * CPU time) no worker starts before a chart is asked for.
 */
export function prestartRenderer(config: Config): void {
  configureRenderer(config);
  if (config.RENDER_WARMUP === "on") getRenderPool().prestart();
}
