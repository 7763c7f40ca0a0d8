/**
 * Deno.cron, where the host has it (Deno Deploy; the CLI with the unstable
 * `cron` feature that deno.json enables): once a minute this instance takes
 * over lapsed jobs and sweeps if a slice is due. It only makes housekeeping
 * sooner; requests do the same.
 */
import type { Housekeeping } from "./housekeeping.ts";
import { log } from "@/lib/log.ts";

/** Schedules `housekeeping.tick` every minute; returns false where Deno.cron is missing. */
export function scheduleHousekeeping(
  housekeeping: Housekeeping,
  signal?: AbortSignal,
): boolean {
  const cron = (Deno as { cron?: typeof Deno.cron }).cron;
  if (typeof cron !== "function") return false;
  try {
    cron("chartroom housekeeping", "* * * * *", { signal }, async () => {
      await housekeeping.tick().catch((error) =>
        log.error("housekeeping failed", { error })
      );
    });
    return true;
  } catch (error) {
    log.warn("Deno.cron unavailable", { error });
    return false;
  }
}
