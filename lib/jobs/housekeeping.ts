/**
 * Background work without timers it depends on. Each request calls
 * `onRequest`, which (at most every so often per instance, and never making
 * the request wait) takes over lapsed jobs and runs a sweep slice when one is
 * due. Whether a sweep is due is decided in KV, not in this process: a lease
 * of kind "housekeeping" held for the sweep interval, so however many
 * instances serve requests, one slice runs per interval, and the cursor it
 * stopped at (kept in that lease) is where the next instance goes on.
 * `tick` does the same at once, for Deno.cron and for timers, which may only
 * make it happen sooner.
 */
import { acquireLease, renewLease } from "@/lib/kv/lease.ts";
import { sweepSlice } from "@/lib/kv/sweep.ts";
import { log } from "@/lib/log.ts";
import { setBytesStored } from "@/lib/kv/stats.ts";
import { sweeps, swept } from "@/lib/metrics.ts";

/** The lease kind, and the one id, of the sweep slot. */
export const SWEEP_LEASE = { kind: "housekeeping", id: "sweep" } as const;

interface SweepState {
  cursor: string | null;
  /** Bytes of live blobs counted so far in this pass over the keyspace. */
  bytes?: number;
}

export interface HousekeepingOptions {
  kv: Deno.Kv;
  instanceId: string;
  /** Takes over lapsed work (jobs, and any other kind of lease); returns how many. */
  reclaim: Array<() => Promise<number>>;
  /** One sweep slice per this interval across all instances. */
  sweepEveryMs: number;
  /** How often one instance looks for lapsed work on requests. */
  reclaimEveryMs: number;
  /** Keys one sweep visit may look at. */
  sweepKeys?: number;
}

export interface Housekeeping {
  /** Starts what is due in the background; returns at once. */
  onRequest(): void;
  /** Runs what is due now and resolves when it is done. */
  tick(): Promise<void>;
  /** Waits for background work started by `onRequest` (shutdown, tests). */
  settle(): Promise<void>;
}

/** Returns this instance's housekeeping. */
export function createHousekeeping(options: HousekeepingOptions): Housekeeping {
  const { kv } = options;
  const sweepKeys = options.sweepKeys ?? 2000;
  let nextReclaim = 0;
  let nextSweep = 0;
  const running = new Set<Promise<unknown>>();
  const background = (what: string, work: () => Promise<unknown>) => {
    const p = work().catch((error) => log.error(`${what} failed`, { error }));
    running.add(p);
    p.finally(() => running.delete(p));
  };

  async function reclaim(): Promise<void> {
    for (const take of options.reclaim) {
      const count = await take();
      if (count > 0) log.info("took over lapsed work", { count });
    }
  }

  async function sweep(): Promise<void> {
    const slot = await acquireLease<SweepState>(
      kv,
      SWEEP_LEASE.kind,
      SWEEP_LEASE.id,
      { owner: options.instanceId, ttlMs: options.sweepEveryMs },
    );
    // Another instance swept within the interval.
    if (!slot) return;
    const slice = await sweepSlice(kv, {
      cursor: slot.lease.data?.cursor ?? null,
      limit: sweepKeys,
    });
    const bytes = (slot.lease.data?.bytes ?? 0) + slice.blobBytes;
    // Kept, not released: no instance sweeps again before the interval ends.
    await renewLease(kv, slot.lease, options.sweepEveryMs, {
      cursor: slice.cursor,
      bytes: slice.cursor === null ? 0 : bytes,
    });
    // A pass over the whole keyspace ended: its count is the store's figure.
    if (slice.cursor === null) {
      await setBytesStored(kv, bytes);
    }
    sweeps.inc();
    swept.inc({ kind: "expired" }, slice.expired);
    swept.inc({ kind: "orphan_blob" }, slice.orphanBlobs);
    if (slice.expired || slice.orphanBlobs) {
      log.info("swept", {
        seen: slice.seen,
        expired: slice.expired,
        orphan_blobs: slice.orphanBlobs,
      });
    }
  }

  return {
    onRequest() {
      const now = Date.now();
      if (now >= nextReclaim) {
        nextReclaim = now + options.reclaimEveryMs;
        background("reclaim", reclaim);
      }
      if (now >= nextSweep) {
        nextSweep = now + options.sweepEveryMs;
        background("sweep", sweep);
      }
    },
    async tick() {
      await reclaim();
      await sweep();
    },
    async settle() {
      await Promise.allSettled([...running]);
    },
  };
}
