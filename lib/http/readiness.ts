/** Whether this instance should be sent traffic: /health/ready. */
import { checkKvHealth } from "../kv/health.ts";
import { warmUpState } from "../charts/warm_up.ts";

export interface Readiness {
  status: "ok" | "unavailable";
  kv: "ok" | "unreachable";
  kv_ms: number;
  /** `warming` while the renderer warm-up runs (renders would be slow). */
  renderer: "ready" | "warming";
  stopping: boolean;
}

/** Returns the instance's readiness: KV reachable, renderer warmed up, not shutting down. */
export async function readiness(
  kv: Deno.Kv,
  closing: AbortSignal,
): Promise<Readiness> {
  const probe = await checkKvHealth(kv);
  const renderer = warmUpState() === "running" ? "warming" : "ready";
  const ok = probe.ok && renderer === "ready" && !closing.aborted;
  return {
    status: ok ? "ok" : "unavailable",
    kv: probe.ok ? "ok" : "unreachable",
    kv_ms: probe.ms,
    renderer,
    stopping: closing.aborted,
  };
}
