/**
 * At most N user SQL statements per identity at once, across instances: an
 * owner has N slots, each a lease (lib/kv/lease.ts) of kind `sql_slot`, and
 * a statement runs while it holds one. A slot whose holder died lapses
 * after its lease and is free again; it is released when the statement ends.
 */
import { AppError } from "@/lib/errors.ts";
import { acquireLease, releaseLease } from "./lease.ts";

/** The lease kind of SQL slots. */
export const SQL_SLOT = "sql_slot";

/** How a statement waits for one of its owner's slots. */
export interface SlotOptions {
  /** Slots an owner has (SQL_CONCURRENCY). */
  limit: number;
  /** How long a taken slot stays taken if never released. */
  leaseMs: number;
  /** How long to wait for a free slot before refusing with 429. */
  waitMs: number;
}

const POLL_MS = 100;

/** The lease id of an owner's slot number `slot`. */
export function sqlSlotId(ownerId: string, slot: number): string {
  return `${ownerId}:${slot}`;
}

/**
 * Waits for a free slot of `ownerId` and returns the function that releases
 * it; throws a 429 `too_many_queries` when none frees up within `waitMs`.
 */
export async function acquireSqlSlot(
  kv: Deno.Kv,
  ownerId: string,
  options: SlotOptions,
): Promise<() => Promise<void>> {
  const owner = crypto.randomUUID();
  const giveUp = Date.now() + options.waitMs;
  while (true) {
    for (let slot = 0; slot < options.limit; slot++) {
      const held = await acquireLease(kv, SQL_SLOT, sqlSlotId(ownerId, slot), {
        owner,
        ttlMs: options.leaseMs,
      });
      if (held) return async () => void await releaseLease(kv, held.lease);
    }
    if (Date.now() >= giveUp) {
      throw new AppError(
        "too_many",
        "too_many_queries",
        `${options.limit} of your SQL queries are running already (SQL_CONCURRENCY); try again when one has finished`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
