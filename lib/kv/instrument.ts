/**
 * A Deno KV handle that measures itself: the latency of every call by
 * operation, and the calls that failed (persistence errors), for /metrics.
 */
import {
  kvOperationDuration,
  persistenceErrors,
  secondsSince,
} from "@/lib/metrics.ts";

async function timed<T>(op: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } catch (error) {
    persistenceErrors.inc({ op });
    throw error;
  } finally {
    kvOperationDuration.observe({ op }, secondsSince(started));
  }
}

const OPS: Record<string, string> = {
  get: "get",
  getMany: "get_many",
  set: "set",
  delete: "delete",
};

/** Times the first page of a listing (later pages are read as it is walked). */
function timedList<T>(iter: Deno.KvListIterator<T>): Deno.KvListIterator<T> {
  let first = true;
  const next = iter.next.bind(iter);
  iter.next = () => {
    if (!first) return next();
    first = false;
    return timed("list", next);
  };
  return iter;
}

/** Returns `kv` with its calls measured (the handle itself is unchanged). */
export function instrumentKv(kv: Deno.Kv): Deno.Kv {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => timed("commit", commit);
          return op;
        };
      }
      if (prop === "list") {
        return (...args: Parameters<Deno.Kv["list"]>) =>
          timedList(target.list(...args));
      }
      const name = OPS[prop as string];
      if (name) {
        return (...args: unknown[]) =>
          timed(name, () => value.apply(target, args));
      }
      return value.bind(target);
    },
  });
}
