/** Helpers for atomic commits: retry read-modify-write on a lost race. */
import { AppError } from "@/lib/errors.ts";

/** Thrown when an atomic operation keeps losing races after every retry (a conflict). */
export class ConflictError extends AppError {
  constructor(what: string) {
    super(
      "conflict",
      "write_conflict",
      `could not commit ${what}: too many concurrent changes; try again`,
    );
    this.name = "ConflictError";
  }
}

/**
 * Runs `attempt` until it returns a committed result (not null), at most
 * `tries` times; `attempt` must re-read what it checks on every call.
 */
export async function retryCommit<T>(
  what: string,
  attempt: () => Promise<T | null>,
  tries = 20,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const result = await attempt();
    if (result !== null) return result;
    await new Promise((r) => setTimeout(r, Math.random() * 5 * (i + 1)));
  }
  throw new ConflictError(what);
}
