/** Whether this instance should be sent traffic: /health/ready. */
import type { ReadinessView } from "@/lib/api/views.ts";
import { checkKvHealth } from "@/lib/kv/health.ts";
import { warmUpState } from "@/lib/drawing/warm_up.ts";

/** The readiness view (lib/api/views.ts). */
export type Readiness = ReadinessView;

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
