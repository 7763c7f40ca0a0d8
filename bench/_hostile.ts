/**
 * What an attacker sends (issue 15), shared by bench/hostile.ts and the
 * tests: hostile SQL statements with the code each must end with, and a
 * client helper that runs one as a workflow `sql` step.
 */
import type { Client } from "@/tests/_fixtures.ts";

/** A hostile statement: what it is, its SQL, the code it must fail with, whether it waits for SQL_TIMEOUT_MS. */
export interface HostileSql {
  name: string;
  query: string;
  code: string;
  runsToDeadline: boolean;
}

/** The statements of issue 15's table, and two that SQLite alone could not stop. */
export const HOSTILE_SQL: HostileSql[] = [
  {
    name: "an endless WITH RECURSIVE",
    query:
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c",
    code: "sql_timeout",
    runsToDeadline: true,
  },
  {
    name: "randomblob(1e9)",
    query: "SELECT length(randomblob(1000000000)) FROM data",
    code: "sql_too_big",
    runsToDeadline: false,
  },
  {
    // 300 calls of 0.03–0.3 s each in fewer VM steps than one deadline check.
    name: "calls SQLite's deadline never sees",
    query: "SELECT " +
      Array.from(
        { length: 300 },
        (_, i) => `length(randomblob(8000000)) AS c${i}`,
      ).join(", "),
    code: "sql_timeout",
    runsToDeadline: true,
  },
  {
    name: "zeroblob(9e8)",
    query: "SELECT zeroblob(900000000) FROM data",
    code: "sql_too_big",
    runsToDeadline: false,
  },
  {
    name: "hex(zeroblob(1e8)) + replace",
    query:
      "SELECT length(replace(hex(zeroblob(100000000)), '0', 'ab')) FROM data",
    code: "sql_too_big",
    runsToDeadline: false,
  },
  {
    name: "printf('%.*c', 9e8, 'x')",
    query: "SELECT printf('%.*c', 900000000, 'x') FROM data",
    code: "sql_too_big",
    runsToDeadline: false,
  },
  {
    name: "many large values",
    query: "SELECT printf('%.*c', 8000000, 'x') FROM data",
    code: "result_too_large",
    runsToDeadline: false,
  },
];

/** A 50-row CSV for the table `data`. */
export const HOSTILE_CSV = "region,amount\n" +
  Array.from({ length: 50 }, (_, i) => `r${i},${i}`).join("\n") + "\n";

/** Creates a session with HOSTILE_CSV uploaded as data.csv; returns its id. */
export async function sessionWithData(client: Client): Promise<string> {
  const sessionId = await client.createSession();
  const upload = await client.fetch(
    `/api/sessions/${sessionId}/datasets?filename=data.csv`,
    { method: "POST", body: HOSTILE_CSV },
  );
  if (upload.status !== 201) throw new Error(`upload: ${upload.status}`);
  return sessionId;
}

/** A finished workflow as GET /api/workflows/:id shows it. */
export interface FinishedJob {
  id: string;
  status: "failed" | "completed";
  error: { code: string; message: string } | null;
  finished_at: string;
}

/** Runs a one-step `sql` workflow on data.csv and returns the finished job. */
export async function runSqlWorkflow(
  client: Client,
  sessionId: string,
  query: string,
): Promise<FinishedJob> {
  const started = await client.json(
    `/api/sessions/${sessionId}/workflows`,
    "POST",
    {
      input: "data.csv",
      steps: [{ operation: "sql", arguments: { query } }],
    },
  );
  if (started.status !== 202) {
    throw new Error(`workflow: ${started.status} ${await started.text()}`);
  }
  const { id } = await started.json();
  for (let i = 0; i < 3000; i++) {
    const job = await (await client.fetch(`/api/workflows/${id}`)).json();
    if (job.status === "failed" || job.status === "completed") return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`workflow ${id} did not end`);
}

/** A hostile drawing: what it is, how to ask for it, the 400 code it must get. */
export interface HostileRender {
  name: string;
  /** Sends the request (for an artifact of the client's session where needed). */
  send(client: Client, artifactId: string): Promise<Response>;
  code: string;
}

function renderApi(client: Client, body: Record<string, unknown>) {
  return client.json("/api/render", "POST", body);
}

/** A line chart option with `points` points (and symbols): slow to draw. */
function bigLine(points: number): Record<string, unknown> {
  return {
    animation: false,
    xAxis: {
      type: "category",
      data: Array.from({ length: points }, (_, i) => i),
    },
    yAxis: {},
    series: [{
      type: "line",
      data: Array.from({ length: points }, (_, i) => Math.sin(i / 50) * 100),
    }],
  };
}

/** Issue 15's drawings: a giant title, a giant PNG export, a render past RENDER_TIMEOUT. */
export const HOSTILE_RENDERS: HostileRender[] = [
  {
    name: "SVG with a 200,000-character title",
    send: (client) =>
      renderApi(client, {
        option: {
          title: { text: "W".repeat(200_000) },
          xAxis: { type: "category", data: ["a", "b"] },
          yAxis: {},
          series: [{ type: "bar", data: [1, 2] }],
        },
        format: "svg",
      }),
    code: "text_too_long",
  },
  {
    name: "a 4000×4000 PNG export at scale 4",
    send: (client, artifactId) =>
      client.fetch(
        `/api/artifacts/${artifactId}/export?format=png&width=4000&height=4000&scale=4`,
      ),
    code: "image_too_large",
  },
  {
    name: "a 100,000-point line past RENDER_TIMEOUT",
    send: (client) =>
      renderApi(client, { option: bigLine(100_000), format: "svg" }),
    code: "render_timeout",
  },
];
