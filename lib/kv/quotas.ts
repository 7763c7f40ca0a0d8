/**
 * Per-identity limits that hold across instances, all counted in KV:
 * - rates (requests, chat turns, renders per window): a count per subject
 *   and window, raised by check-and-set, so every request is counted once
 *   whichever instance it reaches;
 * - counted sets (datasets and their bytes, open event streams): one entry
 *   per member, added in a commit that checks the owner's guard record, so
 *   two adds at once cannot both pass the limit.
 */
import { keys } from "./keys.ts";
import { expireInFor, type Expiring } from "./ttl.ts";
import { AppError } from "@/lib/errors.ts";
import { retryCommit } from "./commit.ts";
import { quotaRefusals } from "@/lib/metrics.ts";

/** A quota passed (too many), naming the limit, with when to try again. */
export class QuotaExceeded extends AppError {
  constructor(
    readonly limit: string,
    readonly retryAfterS: number,
    message: string,
  ) {
    super("too_many", "quota_exceeded", message);
    quotaRefusals.inc({ limit });
  }
}

/** A rate limit: at most `max` per `windowMs` (0: unlimited). */
export interface Rate {
  /** The config variable that sets it, named in the refusal. */
  name: string;
  max: number;
  windowMs: number;
  /** What is counted, for the message ("requests", "chat turns"). */
  what: string;
}

/** Returns the window length in words ("minute", "2 seconds"). */
function windowWords(ms: number): string {
  if (ms === 60_000) return "minute";
  if (ms % 60_000 === 0) return `${ms / 60_000} minutes`;
  return `${Math.round(ms / 100) / 10} seconds`;
}

/** A rate's count for one subject: the window starts with its first request. */
interface RateCount {
  count: number;
  resetAt: number;
}

/**
 * Counts one more for `subject` under `rate`; throws QuotaExceeded when the
 * count in the subject's current window passes the limit (a refused request
 * counts too). A window starts at the first request after the last one ended,
 * so Retry-After is when the subject may send again.
 */
export async function takeRate(
  kv: Deno.Kv,
  rate: Rate,
  subject: string,
  now = Date.now(),
): Promise<void> {
  if (rate.max <= 0) return;
  const key = keys.quotaWindow(rate.name, subject);
  // Check-and-set (a blind `sum` cannot carry an expiry): exact across instances.
  const counted = await retryCommit("rate count", async () => {
    const entry = await kv.get<RateCount>(key);
    const open = entry.value && entry.value.resetAt > now ? entry.value : null;
    const next: RateCount = open
      ? { count: open.count + 1, resetAt: open.resetAt }
      : { count: 1, resetAt: now + rate.windowMs };
    const result = await kv.atomic().check(entry)
      .set(key, next, { expireIn: expireInFor(next.resetAt, now) + 1000 })
      .commit();
    return result.ok ? next : null;
  }, 50);
  if (counted.count <= rate.max) return;
  const retryAfterS = Math.max(1, Math.ceil((counted.resetAt - now) / 1000));
  throw new QuotaExceeded(
    rate.name,
    retryAfterS,
    `You have made ${rate.max} ${rate.what} this ${
      windowWords(rate.windowMs)
    }, the most this server allows (${rate.name}). Please try again in ${retryAfterS} s.`,
  );
}

/** A guard record is needed only while adds race; a week is plenty. */
const GUARD_TTL_MS = 7 * 24 * 3600_000;

/** One member of a counted set. */
export interface SetMember extends Expiring {
  bytes?: number;
}

/** A counted set's limits; 0 means unlimited. */
export interface SetLimits {
  /** Members at most, and the config variable that sets it. */
  count?: { max: number; name: string; what: string; hint?: string };
  /** Bytes of all members at most, and the config variable that sets it. */
  bytes?: { max: number; name: string };
}

/** Returns the live members of an owner's set. */
export async function listMembers(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  now = Date.now(),
): Promise<SetMember[]> {
  const out: SetMember[] = [];
  for await (const entry of kv.list<SetMember>({ prefix })) {
    if (entry.value.expiresAt > now) out.push(entry.value);
  }
  return out;
}

/**
 * Throws QuotaExceeded when adding a member of `bytes` to `members` would
 * pass `limits`; Retry-After is when the member that lapses first goes.
 */
export function checkMembers(
  members: SetMember[],
  bytes: number,
  limits: SetLimits,
  now = Date.now(),
  retryFloorS = 1,
): void {
  const soonest = Math.min(...members.map((m) => m.expiresAt));
  const retryAfterS = Math.max(
    retryFloorS,
    Number.isFinite(soonest) ? Math.ceil((soonest - now) / 1000) : 1,
  );
  const { count, bytes: size } = limits;
  if (count && count.max > 0 && members.length + 1 > count.max) {
    throw new QuotaExceeded(
      count.name,
      retryAfterS,
      `You have ${members.length} ${count.what}, the most this server allows (${count.name}).${
        count.hint ? ` ${count.hint}.` : ""
      }`,
    );
  }
  const used = members.reduce((sum, m) => sum + (m.bytes ?? 0), 0);
  if (size && size.max > 0 && used + bytes > size.max) {
    throw new QuotaExceeded(
      size.name,
      retryAfterS,
      `You store ${used} bytes and this would add ${bytes}; this server allows ${size.max} (${size.name}). Delete a dataset or a session to make room.`,
    );
  }
}

/**
 * Adds to `op` a member of an owner's counted set, after checking (in the
 * same commit, through the owner's guard) that it fits `limits`; throws
 * QuotaExceeded when it does not. The commit must be retried as a whole
 * when it fails, since the check reads.
 */
export async function addMemberToCommit(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  set: { name: string; prefix: Deno.KvKey; key: Deno.KvKey },
  ownerId: string,
  member: SetMember,
  limits: SetLimits,
): Promise<void> {
  const guardKey = keys.quotaGuard(set.name, ownerId);
  const [guard, members] = await Promise.all([
    kv.get<{ adds: number }>(guardKey),
    listMembers(kv, set.prefix),
  ]);
  checkMembers(members, member.bytes ?? 0, limits);
  const expiresAt = Date.now() + GUARD_TTL_MS;
  op.check(guard)
    .set(guardKey, { adds: (guard.value?.adds ?? 0) + 1, expiresAt }, {
      expireIn: GUARD_TTL_MS,
    })
    .set(set.key, member, { expireIn: expireInFor(member.expiresAt) });
}
