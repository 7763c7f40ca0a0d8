/**
 * `deno task eval`: the assistant evaluation through the real API. Starts the
 * app on a temporary KV, and for every case uploads its files to a fresh
 * session, sends its turns as chat messages, reads the SSE frames, fetches
 * the artifact (or the download) and judges the last turn by the rules of
 * `../shared/eval/README.md` (see `judge.ts`). Prints accuracy per set, per
 * language and per kind of request, and every failure.
 *
 *   deno task eval [--set=vega|statsmodels|vega_extra] [--case=v-en-01] [--json]
 *     [--model]
 *
 * `--model` answers through the language model of LLM_BASE_URL and LLM_MODEL
 * (and LLM_API_KEY, LLM_TIMEOUT, LLM_MAX_TOKENS) instead of the built-in
 * planner, and counts the turns the model answered and the ones the
 * built-in planner answered after it failed.
 */
import { type EvalCase, judge, kindOf, type TurnOutcome } from "./judge.ts";
import { readSse } from "@/lib/client/sse_client.ts";

const ROOT = new URL("../", import.meta.url);

/** A set of cases and the folder its files are read from. */
export interface EvalSet {
  name: string;
  cases: URL;
  data: URL;
}

/** The team's shared eval folder, kept outside the repository. */
export const SHARED_EVAL = new URL("../shared/eval/", ROOT);
/** The snapshot of it in the repository, for machines (CI) that lack it. */
export const SHARED_EVAL_COPY = new URL("eval/shared/", ROOT);

function sharedEvalFolder(): URL {
  try {
    if (Deno.statSync(SHARED_EVAL).isDirectory) return SHARED_EVAL;
  } catch {
    // Not on this machine: the repository's snapshot.
  }
  return SHARED_EVAL_COPY;
}

/**
 * The shared sets (`../shared/eval/`, or the repository's snapshot of it in
 * `eval/shared/` where that folder is absent) and the repository's own
 * `statsmodels` (`eval/data/README.md`) and `vega_extra`
 * (`eval/data_vega_extra/README.md`) sets.
 */
export function evalSets(shared = sharedEvalFolder()): EvalSet[] {
  return [
    {
      name: "synthetic",
      cases: new URL("cases.jsonl", shared),
      data: shared,
    },
    {
      name: "vega",
      cases: new URL("cases_vega.jsonl", shared),
      data: new URL("vega/", shared),
    },
    {
      name: "statsmodels",
      cases: new URL("eval/cases_statsmodels.jsonl", ROOT),
      data: new URL("eval/data/", ROOT),
    },
    {
      name: "vega_extra",
      cases: new URL("eval/cases_vega_extra.jsonl", ROOT),
      data: new URL("eval/data_vega_extra/", ROOT),
    },
  ];
}

/** Reads a JSONL case file. */
export function loadCases(url: URL): EvalCase[] {
  return Deno.readTextFileSync(url).split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EvalCase);
}

export interface CaseResult {
  set: string;
  case: EvalCase;
  kind: string;
  failure: string | null;
  /** Milliseconds from sending the last turn to its `done`. */
  ms: number;
  /** Who answered each turn (`done.planner`; absent without a model). */
  planners: string[];
}

/** A fetch client that keeps its cookie, like one browser. */
class Client {
  #cookie = "";
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookie) headers.set("cookie", this.#cookie);
    const url = path.startsWith("http") ? path : this.base + path;
    const response = await fetch(url, { ...init, headers });
    const set = response.headers.getSetCookie();
    if (set.length) {
      this.#cookie = set.map((line) => line.split(";")[0]).join("; ");
    }
    return response;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.fetch(path, init);
    if (!response.ok) {
      throw new Error(
        `${init.method ?? "GET"} ${path}: ${response.status} ${await response
          .text()}`,
      );
    }
    return await response.json() as T;
  }
}

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

async function sendTurn(
  client: Client,
  sessionId: string,
  content: string,
): Promise<Frame[]> {
  const response = await client.fetch(`/api/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ content }),
  });
  if (!response.ok) {
    throw new Error(`chat: ${response.status} ${await response.text()}`);
  }
  const frames: Frame[] = [];
  for await (const message of readSse(response.body!)) {
    frames.push({ event: message.event, data: JSON.parse(message.data) });
  }
  return frames;
}

const artifactOf = (frames: Frame[]) =>
  frames.filter((f) =>
    f.event === "artifact_created" || f.event === "artifact_updated"
  ).map((f) => String(f.data.artifact_id)).at(-1);

async function runCase(
  client: Client,
  set: EvalSet,
  c: EvalCase,
): Promise<CaseResult> {
  const { id: sessionId } = await client.json<{ id: string }>(
    "/api/sessions",
    { method: "POST" },
  );
  for (const file of c.files) {
    await client.json(
      `/api/sessions/${sessionId}/datasets?filename=${
        encodeURIComponent(file)
      }`,
      { method: "POST", body: await Deno.readFile(new URL(file, set.data)) },
    );
  }
  let previousArtifactId: string | undefined;
  let frames: Frame[] = [];
  let ms = 0;
  const planners: string[] = [];
  for (const [i, turn] of c.turns.entries()) {
    if (i > 0) previousArtifactId = artifactOf(frames) ?? previousArtifactId;
    const start = performance.now();
    frames = await sendTurn(client, sessionId, turn);
    ms = performance.now() - start;
    const planner = frames.findLast((f) => f.event === "done")?.data.planner;
    if (typeof planner === "string") planners.push(planner);
  }
  const assistant = frames.filter((f) =>
    f.event === "message" && f.data.role === "assistant"
  ).at(-1)?.data;
  const outcome: TurnOutcome = {
    previousArtifactId,
    reply: String(assistant?.content ?? ""),
    options: assistant?.options as string[] | undefined,
    errors: frames.filter((f) => f.event === "error").map((f) =>
      `${f.data.code}: ${f.data.message}`
    ),
  };
  const artifactId = artifactOf(frames);
  if (artifactId) {
    const a = await client.json<{
      id: string;
      version: number;
      spec: { type: string; x: string; series: string[]; group?: string };
      data: {
        columns: { name: string; type: string }[];
        rows: (string | number | null)[][];
      };
    }>(`/api/artifacts/${artifactId}`);
    outcome.chart = {
      artifactId: a.id,
      version: a.version,
      type: a.spec.type,
      x: a.spec.x,
      series: a.spec.series,
      group: a.spec.group,
      columns: a.data.columns,
      rows: a.data.rows,
    };
  }
  const download = frames.find((f) => f.event === "download")?.data;
  if (download) {
    const response = await client.fetch(String(download.url));
    outcome.download = {
      format: String(download.format ?? ""),
      status: response.status,
      bytes: (await response.arrayBuffer()).byteLength,
    };
  }
  let failure: string | null;
  try {
    failure = judge(c, outcome);
  } catch (error) {
    failure = `judge error: ${error}`;
  }
  return { set: set.name, case: c, kind: kindOf(c), failure, ms, planners };
}

export interface EvalOptions {
  sets?: EvalSet[];
  only?: { set?: string; caseId?: string };
  /** Base URL of a running Chartroom; when absent one is started on a temp KV. */
  baseUrl?: string;
  /** Cases run at once (each in its own session, as its own identity). */
  concurrency?: number;
  /** LLM_* settings: the started server answers through that model. */
  model?: Record<string, string>;
}

/** Runs the evaluation and returns one result per case. */
export async function runEval(
  options: EvalOptions = {},
): Promise<CaseResult[]> {
  const sets = (options.sets ?? evalSets()).filter((s) =>
    !options.only?.set || s.name === options.only.set
  );
  let server: AsyncDisposable & { url: string } | null = null;
  let base = options.baseUrl;
  if (!base) {
    server = await startEvalServer(options.model ?? {});
    base = server.url;
  }
  try {
    const jobs = sets.flatMap((set) =>
      loadCases(set.cases)
        .filter((c) => !options.only?.caseId || c.id === options.only.caseId)
        .map((c) => ({ set, c }))
    );
    const results: CaseResult[] = new Array(jobs.length);
    let next = 0;
    // One identity per case, as each case is a new user.
    const worker = async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await runCase(new Client(base!), jobs[i].set, jobs[i].c);
      }
    };
    await Promise.all(
      Array.from({ length: options.concurrency ?? 4 }, worker),
    );
    return results;
  } finally {
    await server?.[Symbol.asyncDispose]();
  }
}

async function startEvalServer(
  modelEnv: Record<string, string>,
): Promise<AsyncDisposable & { url: string }> {
  const { startServer } = await import("@/lib/server.ts");
  const { loadConfig } = await import("@/lib/config.ts");
  const { default: manifest } = await import("@/fresh.gen.ts");
  const dir = await Deno.makeTempDir({ prefix: "chartroom-eval-" });
  const running = await startServer(
    loadConfig({
      PORT: "0",
      HOSTNAME: "127.0.0.1",
      KV_PATH: `${dir}/eval.kv`,
      LOG_LEVEL: "error",
      STREAM_WORD_DELAY_MS: "0",
      RENDER_WARMUP: "off",
      ...modelEnv,
    }),
    manifest,
    { quiet: true },
  );
  return {
    url: running.url,
    async [Symbol.asyncDispose]() {
      await running[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Accuracy of a group of results, as "passed/total (pct %)". */
export function accuracy(results: CaseResult[]): {
  passed: number;
  total: number;
  pct: number;
} {
  const passed = results.filter((r) => r.failure === null).length;
  const total = results.length;
  return { passed, total, pct: total ? (100 * passed) / total : 100 };
}

function table(title: string, groups: Map<string, CaseResult[]>): string {
  const lines = [title];
  for (const [name, rs] of groups) {
    const a = accuracy(rs);
    lines.push(
      `  ${name.padEnd(14)} ${String(a.passed).padStart(3)}/${
        String(a.total).padEnd(3)
      } ${a.pct.toFixed(1).padStart(5)} %`,
    );
  }
  return lines.join("\n");
}

function groupBy(
  results: CaseResult[],
  key: (r: CaseResult) => string,
): Map<string, CaseResult[]> {
  const out = new Map<string, CaseResult[]>();
  for (const r of results) {
    const k = key(r);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** The printed report: accuracy tables and every failure. */
export function report(results: CaseResult[]): string {
  const parts = [
    table("accuracy per set", groupBy(results, (r) => r.set)),
    table(
      "per language",
      groupBy(results, (r) => `${r.set}/${r.case.lang}`),
    ),
    table("per kind of request", groupBy(results, (r) => r.kind)),
  ];
  const failures = results.filter((r) => r.failure !== null);
  if (failures.length) {
    parts.push(
      `failures (${failures.length}):\n` +
        failures.map((r) =>
          `  ${r.case.id} [${r.kind}] ${
            JSON.stringify(r.case.turns)
          }\n    → ${r.failure}`
        ).join("\n"),
    );
  }
  const planners = results.flatMap((r) => r.planners);
  if (planners.length) {
    const model = planners.filter((p) => p === "model").length;
    parts.push(
      `turns answered by the model: ${model}/${planners.length}; by the built-in planner after the model failed: ${
        planners.length - model
      }`,
    );
  }
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  parts.push(
    `${results.length} cases; last turn median ${median.toFixed(1)} ms`,
  );
  return parts.join("\n\n");
}

if (import.meta.main) {
  const arg = (name: string) =>
    Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  let model: Record<string, string> | undefined;
  if (Deno.args.includes("--model")) {
    const { loadConfig, modelEnvFromProcess } = await import(
      "@/lib/config.ts"
    );
    model = modelEnvFromProcess();
    // The settings are checked as the server will read them; the key is never printed.
    const config = loadConfig(model);
    if (!config.LLM_BASE_URL || !config.LLM_MODEL) {
      console.error("--model needs LLM_BASE_URL and LLM_MODEL");
      Deno.exit(2);
    }
    const { safeUrl } = await import("@/lib/agent/model/settings.ts");
    console.error(
      `eval through ${config.LLM_MODEL} at ${safeUrl(config.LLM_BASE_URL)}`,
    );
  }
  const results = await runEval({
    only: { set: arg("set"), caseId: arg("case") },
    model,
  });
  if (Deno.args.includes("--json")) {
    console.log(JSON.stringify(
      results.map((r) => ({
        set: r.set,
        id: r.case.id,
        kind: r.kind,
        failure: r.failure,
      })),
      null,
      2,
    ));
  } else {
    console.log(report(results));
  }
  Deno.exit(0);
}
