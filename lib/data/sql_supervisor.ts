/**
 * The SQL supervisor (started by sql_service.ts): a worker that owns the
 * pool of SQL workers (sql_pool.ts), so that starting one, and terminating
 * one that ran past its deadline, never holds up the thread that answers
 * requests. It relays statements to the pool and answers back.
 */
import { parentPort } from "node:worker_threads";
import {
  errorReply,
  SqlPool,
  type SqlPoolOptions,
  type SqlReply,
  type SqlWorkerRequest,
} from "./sql_pool.ts";

/** Messages to the supervisor. */
export type SupervisorRequest =
  | { type: "init"; options: SqlPoolOptions }
  | ({ type: "run" } & SqlWorkerRequest);

if (!parentPort) throw new Error("sql_supervisor.ts runs as a worker thread");
const port = parentPort;
let pool = new SqlPool();

port.on("message", (request: SupervisorRequest) => {
  if (request.type === "init") {
    pool.close();
    pool = new SqlPool(request.options);
    return;
  }
  const { id, image, sql, options } = request;
  pool.run({ image, sql, options }).then(
    (result) => port.postMessage({ id, ok: true, result } satisfies SqlReply),
    (error) => port.postMessage(errorReply(id, error)),
  );
});
