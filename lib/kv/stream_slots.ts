/**
 * Open event streams per identity, across instances: each open stream is a
 * member of its owner's counted set (lib/kv/quotas.ts) that lapses 30 s
 * after its instance stops renewing it, so a crashed process frees its
 * streams without anyone's help.
 */
import { keys } from "./keys.ts";
import { addMemberToCommit } from "./quotas.ts";
import { retryCommit } from "./commit.ts";
import { newId } from "@/lib/ids.ts";

const SLOT_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

/**
 * Takes one of the owner's `max` stream slots (0: unlimited) and returns the
 * function that frees it; throws QuotaExceeded when all are taken.
 */
export async function openStreamSlot(
  kv: Deno.Kv,
  ownerId: string,
  max: number,
): Promise<() => Promise<void>> {
  if (max <= 0) return () => Promise.resolve();
  const id = newId();
  const key = keys.streamByOwner(ownerId, id);
  const set = {
    name: "streams",
    prefix: keys.streamsByOwnerPrefix(ownerId),
    key,
  };
  await retryCommit("stream slot", async () => {
    const op = kv.atomic();
    await addMemberToCommit(kv, op, set, ownerId, {
      expiresAt: Date.now() + SLOT_TTL_MS,
    }, {
      count: {
        max,
        name: "QUOTA_SSE_STREAMS",
        what: "live event streams open",
        hint: "Close a tab of this app, or wait for a reply to end",
      },
    });
    return (await op.commit()).ok ? true : null;
  });
  const timer = setInterval(() => {
    const expiresAt = Date.now() + SLOT_TTL_MS;
    kv.set(key, { expiresAt }, { expireIn: SLOT_TTL_MS }).catch(() => {});
  }, RENEW_EVERY_MS);
  Deno.unrefTimer(timer);
  let freed = false;
  return async () => {
    if (freed) return;
    freed = true;
    clearInterval(timer);
    await kv.delete(key).catch(() => {});
  };
}
