/** What a session archive may inflate to before it is taken for a zip bomb. */
import type { Config } from "@/lib/config.ts";
import type { ZipLimits } from "@/lib/data/zip_read.ts";

/** Returns the bounds of an archive of at most MAX_RESTORE_BYTES. */
export function restoreZipLimits(config: Config): ZipLimits {
  return {
    // Deflated tables and CSV files shrink 3–10×, JSON up to ~30×.
    maxEntryBytes: Math.min(0xfffffffe, config.MAX_RESTORE_BYTES * 16),
    maxTotalBytes: config.MAX_RESTORE_BYTES * 16,
    maxRatio: 500,
    ratioFloorBytes: 1024 * 1024,
  };
}
