/** The KV round trip behind /health and /health/ready. */
import { keys } from "./keys.ts";

/** What a health check says of the store. */
export interface KvHealth {
  ok: boolean;
  /** The round trip's time; while it is still under way, its time so far. */
  ms: number;
}

/** How long a health check waits for the store before answering from a recent probe. */
export const HEALTH_WAIT_MS = 20;
/** A probe that succeeded this recently vouches for a store that is only slow. */
export const HEALTH_FRESH_MS = 10_000;

interface Probe {
  started: number;
  done: Promise<KvHealth>;
}

interface ProbeState {
  inFlight: Probe | null;
  /** When the last probe that succeeded ended. */
  lastOkAt: number;
}

const states = new WeakMap<Deno.Kv, ProbeState>();

/**
 * Reads a probe key with strong consistency; returns whether the store
 * answered and how long it took. A read, not a write: load balancers probe
 * every instance often, and a store takes one write at a time however many
 * instances share it. Checks made meanwhile share one read. A read still
 * queued behind this process's commits after `waitMs`, when a read succeeded
 * within `HEALTH_FRESH_MS`, answers ok at once with its time so far: a busy
 * store is slow, not down, and a probe must not wait for its queue.
 */
export async function checkKvHealth(
  kv: Deno.Kv,
  waitMs = HEALTH_WAIT_MS,
): Promise<KvHealth> {
  let state = states.get(kv);
  if (!state) states.set(kv, state = { inFlight: null, lastOkAt: -Infinity });
  const probe = state.inFlight ?? startProbe(kv, state);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = await Promise.race([
    probe.done,
    new Promise<null>((resolve) => timer = setTimeout(resolve, waitMs, null)),
  ]);
  clearTimeout(timer);
  if (waited) return waited;
  const now = performance.now();
  if (now - state.lastOkAt <= HEALTH_FRESH_MS) {
    return { ok: true, ms: round(now - probe.started) };
  }
  return await probe.done;
}

function startProbe(kv: Deno.Kv, state: ProbeState): Probe {
  const started = performance.now();
  const probe: Probe = {
    started,
    done: kv.get(keys.health("probe"), { consistency: "strong" }).then(
      () => ({ ok: true, ms: round(performance.now() - started) }),
      () => ({ ok: false, ms: round(performance.now() - started) }),
    ).then((result) => {
      if (result.ok) state.lastOkAt = performance.now();
      if (state.inFlight === probe) state.inFlight = null;
      return result;
    }),
  };
  state.inFlight = probe;
  return probe;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
