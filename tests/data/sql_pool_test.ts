import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SqlPool } from "@/lib/data/sql_pool.ts";
import { DataError } from "@/lib/data/errors.ts";

const MB = 1024 * 1024;

/** A one-table database image, as the sandbox receives it. */
function image(rows = 3): Uint8Array {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE data (region TEXT, amount INTEGER)");
  const insert = db.prepare("INSERT INTO data VALUES (?, ?)");
  for (let i = 0; i < rows; i++) insert.run(`r${i}`, i);
  const bytes = (db as unknown as { serialize(): Uint8Array }).serialize();
  db.close();
  return bytes;
}

async function code(
  pool: SqlPool,
  sql: string,
  timeoutMs = 2000,
): Promise<{ code: string; message: string }> {
  try {
    await pool.run({
      image: image(),
      sql,
      options: { maxRows: 100, timeoutMs },
    });
  } catch (error) {
    assert.ok(error instanceof DataError, `${sql}: ${error}`);
    return {
      code: error.code,
      message: error.message,
    };
  }
  throw new Error(`${sql} was not refused`);
}

Deno.test("sql pool: a statement that never yields to SQLite's deadline is ended with its worker", async () => {
  await using pool = new SqlPool({
    size: 1,
    memoryBytes: 32 * MB,
    graceMs: 200,
  });
  // 99 single calls of ~0.2 s each in fewer VM steps than one progress
  // check: without the worker's termination this runs for 20 s or more.
  const sql = "SELECT " +
    Array.from({ length: 99 }, (_, i) => `length(randomblob(4000000)) AS c${i}`)
      .join(", ");
  const stopped = await code(pool, sql, 300);
  assert.equal(stopped.code, "sql_timeout");
  assert.match(stopped.message, /longer than 0.3 s/);
  assert.equal(pool.started, 0, "the worker was terminated");
  // The next statement gets a fresh worker.
  const next = await pool.run({
    image: image(),
    sql: "SELECT COUNT(*) FROM data",
    options: { maxRows: 10 },
  });
  assert.deepEqual(next.rows, [[3]]);
});

Deno.test("sql pool: one giant value is refused by SQLite's length limit, at once", async () => {
  await using pool = new SqlPool({ size: 1 });
  // Started and loaded first, so the refusal is the statement's own.
  await pool.run({ image: image(), sql: "SELECT 1", options: { maxRows: 1 } });
  for (
    const sql of [
      "SELECT length(randomblob(1000000000)) FROM data",
      "SELECT zeroblob(900000000) FROM data",
      "SELECT length(replace(hex(zeroblob(100000000)), '0', 'ab')) FROM data",
      "SELECT printf('%.*c', 900000000, 'x') FROM data",
    ]
  ) {
    const refused = await code(pool, sql);
    assert.equal(refused.code, "sql_too_big", sql);
    assert.match(refused.message, /at most 16 MB/);
  }
});

Deno.test("sql pool: SQLite's heap limit stops a statement at the memory budget", async () => {
  await using pool = new SqlPool({ size: 1, memoryBytes: 32 * MB });
  const refused = await code(
    pool,
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000) " +
      "SELECT COUNT(DISTINCT printf('%d%.*c', x, 1000, 'x')) FROM c",
    10_000,
  );
  assert.equal(refused.code, "sql_memory");
  assert.match(refused.message, /more than 32 MB .*SQL_MEMORY/);
});

Deno.test("sql pool: a result larger than half the memory budget is refused", async () => {
  await using pool = new SqlPool({ size: 1, memoryBytes: 32 * MB });
  const refused = await code(
    pool,
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100) " +
      "SELECT printf('%.*c', 1000000, 'x') FROM c",
  );
  assert.equal(refused.code, "result_too_large");
});

Deno.test("sql pool: the lowered limits refuse monster statements", async () => {
  await using pool = new SqlPool({ size: 1 });
  const deep = "SELECT " + Array(200).fill("1").join(" + ");
  assert.match(
    (await code(pool, deep)).message,
    /Expression tree is too large/,
  );
  const compound = Array(60).fill("SELECT 1").join(" UNION ALL ");
  assert.match((await code(pool, compound)).message, /too many terms/);
  assert.equal((await code(pool, "SELECT ?")).code, "sql_error");
});

Deno.test("sql pool: statements beyond its workers wait their turn and all finish", async () => {
  await using pool = new SqlPool({ size: 2 });
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      pool.run({
        image: image(10),
        sql: `SELECT COUNT(*) + ${i} FROM data`,
        options: { maxRows: 10 },
      })),
  );
  assert.deepEqual(results.map((r) => r.rows[0][0]), [10, 11, 12, 13, 14, 15]);
  assert.ok(pool.started <= 2);
});
