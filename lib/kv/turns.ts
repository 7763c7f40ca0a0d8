/**
 * Chat turns that always end. A turn holds its session's lease (kind
 * `turn`, lib/kv/lease.ts) while it runs, renewed every few seconds, so turns
 * of one session run one at a time: a second waits for the first, and is
 * refused with 409 when it waited too long. A process that dies mid-turn
 * stops renewing; once the lease has lapsed any instance closes the turn
 * (`closeInterruptedTurn`: the next turn of the session, a client following
 * `/events`, or housekeeping, which runs on requests and at start): the charts it had stored are kept and
 * named by a closing assistant message, and the log gets an `error`
 * (`turn_interrupted`) and a `done`.
 */
import { AppError } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { appendEvent, type SessionEvent } from "./events.ts";
import { messageView } from "@/lib/api/build.ts";
import { createMessage } from "./messages.ts";
import { listArtifactsBySession } from "./artifacts.ts";
import {
  acquireLease,
  claimLease,
  getLease,
  isLapsed,
  keepLease,
  type Lease,
  listLapsedLeases,
  releaseLease,
} from "./lease.ts";

/** The lease kind of chat turns; the lease id is the session id. */
export const TURN = "turn";
/** A turn's lease lapses this long after its process stopped renewing it. */
export const TURN_LEASE_MS = 6_000;
const POLL_MS = 50;

/** What a turn's lease remembers, for whoever closes it. */
export interface TurnData {
  startedAt: number;
  /** How long the session's records live (ARTIFACT_TTL). */
  ttlMs: number;
}

/** A running turn: `end()` releases the session for the next one. */
export interface HeldTurn {
  end(): Promise<void>;
}

/**
 * Waits until no other turn of the session runs (closing one whose process
 * died) and takes the session's turn lease; throws a 409 `turn_in_progress`
 * after `waitMs`.
 */
export async function beginTurn(
  kv: Deno.Kv,
  sessionId: string,
  options: { owner: string; ttlMs: number; waitMs: number; leaseMs?: number },
): Promise<HeldTurn> {
  const leaseMs = options.leaseMs ?? TURN_LEASE_MS;
  const giveUp = Date.now() + options.waitMs;
  while (true) {
    await closeInterruptedTurn(kv, sessionId, options.owner);
    const data: TurnData = { startedAt: Date.now(), ttlMs: options.ttlMs };
    const held = await acquireLease<TurnData>(kv, TURN, sessionId, {
      owner: options.owner,
      ttlMs: leaseMs,
      data,
    });
    if (held) {
      const kept = keepLease(kv, held.lease, leaseMs, {
        onError: (error) => log.warn("turn lease renewal failed", { error }),
      });
      return {
        async end() {
          kept.stop();
          await releaseLease(kv, kept.current).catch((error) =>
            log.warn("turn lease release failed", { error })
          );
        },
      };
    }
    if (Date.now() >= giveUp) {
      throw new AppError(
        "conflict",
        "turn_in_progress",
        "another message of this session is still being answered; send yours when it is done",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Closes the session's turn when its process died (its lease lapsed): keeps
 * the charts it stored, names them in a closing assistant message, and
 * appends `error` (`turn_interrupted`) and `done`. Returns whether it did.
 */
export async function closeInterruptedTurn(
  kv: Deno.Kv,
  sessionId: string,
  owner: string,
): Promise<boolean> {
  const found = await getLease<TurnData>(kv, TURN, sessionId);
  if (!found || !isLapsed(found.lease)) return false;
  const claimed = await claimLease(kv, found, { owner, ttlMs: TURN_LEASE_MS });
  if (!claimed) return false;
  await finishTurn(kv, sessionId, claimed.lease);
  return true;
}

async function finishTurn(
  kv: Deno.Kv,
  sessionId: string,
  lease: Lease<TurnData>,
): Promise<void> {
  const { startedAt, ttlMs } = lease.data;
  const recent = await listArtifactsBySession(kv, sessionId, { limit: 10 });
  const artifactIds = recent.values
    .filter((a) => a.createdAt >= startedAt)
    .map((a) => a.id);
  const message = await createMessage(kv, {
    sessionId,
    role: "assistant",
    content: "This answer was interrupted (the server stopped). " +
      "Please send your message again.",
    artifactIds,
    ttlMs,
  });
  await appendEvent(kv, sessionId, "message", messageView(message), ttlMs);
  await appendEvent(kv, sessionId, "error", {
    code: "turn_interrupted",
    message: "The answer was interrupted; please send your message again.",
  }, ttlMs);
  await appendEvent(kv, sessionId, "done", { message_id: message.id }, ttlMs);
  await releaseLease(kv, lease);
  log.info("closed an interrupted turn", { session_id: sessionId });
}

/**
 * Ends a turn whose code threw midway (its process lives on): appends
 * `error` (`turn_failed`) and `done`, and returns them for its stream.
 */
export async function endCrashedTurn(
  kv: Deno.Kv,
  sessionId: string,
  ttlMs: number,
): Promise<SessionEvent[]> {
  return [
    await appendEvent(kv, sessionId, "error", {
      code: "turn_failed",
      message: "Something went wrong while answering; please try again.",
    }, ttlMs),
    await appendEvent(kv, sessionId, "done", { message_id: null }, ttlMs),
  ];
}

/**
 * While `signal` is not aborted, closes the session's turn whenever it is
 * found interrupted (checked every `everyMs`): a client following the
 * session's events then sees its end even when nobody sends another message.
 */
export async function watchTurn(
  kv: Deno.Kv,
  sessionId: string,
  owner: string,
  signal: AbortSignal,
  everyMs = 1_000,
): Promise<void> {
  while (!signal.aborted) {
    await closeInterruptedTurn(kv, sessionId, owner).catch((error) =>
      log.warn("closing an interrupted turn failed", { error })
    );
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, everyMs);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve(null);
      }, { once: true });
    });
  }
}

/** Closes every turn whose process died (housekeeping calls this); returns how many. */
export async function closeInterruptedTurns(
  kv: Deno.Kv,
  owner: string,
): Promise<number> {
  let closed = 0;
  for (const found of await listLapsedLeases<TurnData>(kv, TURN)) {
    if (await closeInterruptedTurn(kv, found.lease.id, owner)) closed++;
  }
  return closed;
}
