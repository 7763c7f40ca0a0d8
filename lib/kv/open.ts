/**
 * Opening the configured store: a local SQLite file (which several processes
 * may share), `:memory:`, a KV Connect URL, or Deno Deploy's managed KV.
 */

import { kvBusyRetries } from "@/lib/metrics.ts";

/** Where the data lives, which decides how instances see each other's writes. */
export type StoreKind = "file" | "memory" | "remote" | "deploy";

/** Returns the kind of store `path` names (`deploy` when running on Deno Deploy). */
export function storeKind(path: string, onDeploy = false): StoreKind {
  if (onDeploy) return "deploy";
  if (path === ":memory:") return "memory";
  if (/^https?:\/\//i.test(path)) return "remote";
  return "file";
}

/** Thrown when the store cannot be opened for a reason the operator can fix. */
export class StoreError extends Error {}

const BUSY = /database is (locked|busy)/i;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Returns whether an error is SQLite refusing a write because another connection holds the lock. */
export function isBusyError(error: unknown): boolean {
  return error instanceof Error && BUSY.test(error.message);
}

async function whileBusy<T>(run: () => Promise<T>): Promise<T> {
  for (let i = 0;; i++) {
    try {
      return await run();
    } catch (error) {
      if (!isBusyError(error) || i >= 200) throw error;
      kvBusyRetries.inc();
      await sleep(Math.random() * Math.min(16, 1 + i));
    }
  }
}

/**
 * Returns `kv` with its writes retried while SQLite reports the file locked.
 * Processes sharing one file get "database is locked" instead of waiting when
 * a commit with checks meets another process's write; such a commit wrote
 * nothing, so committing the same operation again is safe. (Queueing writers
 * through an OS lock on the file was tried: each lock and unlock is a trip to
 * a blocking thread, and it halved the commits one process makes per second.)
 */
export function retryWhenBusy(kv: Deno.Kv): Deno.Kv {
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => whileBusy(commit);
          return op;
        };
      }
      if (prop === "set" || prop === "delete") {
        const write = Reflect.get(target, prop, target) as (
          ...args: unknown[]
        ) => Promise<unknown>;
        return (...args: unknown[]) =>
          whileBusy(() => write.apply(target, args));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Opens the store: on Deno Deploy its managed KV, else the file (creating its
 * folder), `:memory:` or KV Connect URL in `path`. A local file is wrapped by
 * `retryWhenBusy`, since other processes may share it.
 */
export async function openKv(
  path: string,
  options: { onDeploy?: boolean } = {},
): Promise<Deno.Kv> {
  const kind = storeKind(path, options.onDeploy);
  if (kind === "deploy") return await Deno.openKv();
  if (kind !== "file") return await Deno.openKv(path);
  const dir = path.replace(/[^/]*$/, "");
  try {
    if (dir) await Deno.mkdir(dir, { recursive: true });
    return retryWhenBusy(await whileBusy(() => Deno.openKv(path)));
  } catch (error) {
    if (
      error instanceof Deno.errors.NotCapable ||
      error instanceof Deno.errors.PermissionDenied
    ) {
      throw new StoreError(
        `KV_PATH=${path}: this process may not write ${
          dir || "the current folder"
        } (${error.message}); start it with \`deno task start\`, which grants write access to the KV file's folder, or pass --allow-write=${
          dir || "."
        }`,
      );
    }
    throw error;
  }
}
