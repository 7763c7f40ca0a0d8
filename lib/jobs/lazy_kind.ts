/**
 * A job kind whose code is imported when its first job runs or fails, not
 * when the server starts: a workflow pulls in the file readers, the SQL
 * engine and the exporters, which a process that only serves pages and charts
 * never needs. A failed import is retried by the next job.
 */
import type { JobKind } from "./runner.ts";

/** Returns a job kind that loads the real one with `load` the first time it is used. */
export function lazyJobKind<Request>(
  load: () => Promise<JobKind<Request>>,
  options: { forgetWhenDone?: boolean } = {},
): JobKind<Request> {
  let loading: Promise<JobKind<Request>> | undefined;
  const kind = () =>
    loading ??= load().catch((error) => {
      loading = undefined;
      throw error;
    });
  return {
    forgetWhenDone: options.forgetWhenDone,
    async run(ctx) {
      await (await kind()).run(ctx);
    },
    async failed(job, failure, op) {
      await (await kind()).failed?.(job, failure, op);
    },
  };
}
