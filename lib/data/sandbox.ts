/**
 * User-written SQL, sandboxed. The planner's own SQL runs on the native
 * `node:sqlite` engine, but SQL a person typed runs in SQLite compiled to
 * WebAssembly (sandbox_engine.ts) on a copy of the dataset's database
 * (`serialize`), in a SQL worker (sql_pool.ts) that the server terminates
 * when the statement outlives its deadline or its memory: the native engine
 * cannot be interrupted inside one call, and user SQL never runs on the
 * thread that answers requests.
 */
import { serializeStoredSource, type StoredSource } from "./query.ts";
import type { SandboxOptions, SandboxResult } from "./sandbox_engine.ts";
import { getSqlService } from "./sql_service.ts";

export {
  DEFAULT_SQL_MEMORY,
  DEFAULT_SQL_TIMEOUT_MS,
  type SandboxOptions,
  type SandboxResult,
} from "./sandbox_engine.ts";

/**
 * Runs one read-only statement a person wrote against the source's table
 * `data` in a SQL worker, and returns its rows; throws a `DataError`
 * (`sql_refused`, `sql_timeout`, `sql_memory`, `sql_too_big`, `sql_error`,
 * `too_many_rows`, `result_too_large`).
 */
export async function runSandboxedSql(
  source: StoredSource,
  sql: string,
  options: SandboxOptions,
): Promise<SandboxResult> {
  const image = await serializeStoredSource(source);
  return await getSqlService().run({ image, sql, options });
}
