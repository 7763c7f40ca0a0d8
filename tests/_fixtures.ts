/** Fixture builders shared by the tests: temp KV files, a real server, an HTTP client with cookies. */
import { type Config, loadConfig } from "@/lib/config.ts";
import type { RunningServer } from "@/lib/server.ts";
import { readSse, type SseMessage } from "@/lib/client/sse_client.ts";
import { openKv } from "@/lib/kv/open.ts";
import {
  type Artifact,
  createArtifact,
  reviseArtifact,
} from "@/lib/kv/artifacts.ts";
import { getSession } from "@/lib/kv/sessions.ts";
import type { ChartSpec, Snapshot } from "@/lib/charts/spec.ts";
import { parseSessionEvent } from "@/lib/api/events.ts";
import assert from "node:assert/strict";
import { API_VIEWS, ApiError, apiRouteOf } from "@/lib/api/views.ts";

export interface TempKv extends AsyncDisposable {
  kv: Deno.Kv;
  path: string;
}

/** Opens a real Deno KV on a temporary file (as the app opens one), removed on dispose. */
export async function tempKv(): Promise<TempKv> {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-kv-" });
  const path = `${dir}/test.kv`;
  const kv = await openKv(path);
  return {
    kv,
    path,
    async [Symbol.asyncDispose]() {
      kv.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Returns a config for tests: port 0, a temp KV path, quiet logs, no word
 * pacing, and no renderer warm-up (it would add a second of rendering to
 * every test server; tests/drawing/warm_up_test.ts checks it).
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: "0",
    HOSTNAME: "127.0.0.1",
    LOG_LEVEL: "warn",
    STREAM_WORD_DELAY_MS: "0",
    RENDER_WARMUP: "off",
    ...env,
  });
}

export interface TestServer extends AsyncDisposable {
  url: string;
  kv: Deno.Kv;
  /** The KV file, for tests that open it from another process. */
  kvPath: string;
  running: RunningServer;
}

/** Starts the real app on a free port with a temp-file KV; stops and cleans up on dispose. */
export async function startTestServer(
  env: Record<string, string> = {},
): Promise<TestServer> {
  // Imported here so unit tests that only need a KV do not load the whole app.
  const { startServer } = await import("@/lib/server.ts");
  const { default: manifest } = await import("@/fresh.gen.ts");
  const store = await tempKv();
  const running = await startServer(
    testConfig({ KV_PATH: store.path, ...env }),
    manifest,
    { kv: store.kv, quiet: true },
  );
  return {
    url: running.url,
    kv: store.kv,
    kvPath: store.path,
    running,
    async [Symbol.asyncDispose]() {
      await running[Symbol.asyncDispose]();
      await store[Symbol.asyncDispose]();
    },
  };
}

/**
 * Parses a JSON answer with the contract's schema of its route (lib/api/views.ts;
 * a failure with `ApiError`), strictly: a field the server sends that the
 * contract does not name, one it lacks, or a JSON route the contract does not
 * list throws here, so every test that talks JSON through a Client checks it.
 */
export async function checkContract(
  method: string,
  url: string,
  response: Response,
): Promise<void> {
  const type = response.headers.get("content-type") ?? "";
  // A file sent as an attachment (a dataset exported as JSON) is not a view.
  const file = (response.headers.get("content-disposition") ?? "")
    .startsWith("attachment");
  if (method === "HEAD" || file || !type.startsWith("application/json")) {
    return;
  }
  const body: unknown = await response.clone().json();
  const path = new URL(url).pathname;
  const route = apiRouteOf(method, path);
  // A failure is an ApiError, but for the health checks' 503 with their view.
  const failure = !response.ok &&
    !(route?.startsWith("GET /health") && !(body as { error?: unknown }).error);
  const schema = failure ? ApiError : route && API_VIEWS[route];
  if (!schema) {
    throw new Error(`${method} ${path}: a JSON answer the contract lacks`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(
      `${method} ${path} ${response.status} breaks the contract: ${parsed.error.message}`,
    );
  }
}

/** A fetch client that keeps its cookies, like one browser. */
export class Client {
  cookies = new Map<string, string>();
  readonly base: string;
  readonly #bases: string[];
  #turn = 0;

  /** One server's URL, or several that requests go to in turn (round-robin). */
  constructor(base: string | string[]) {
    this.#bases = typeof base === "string" ? [base] : [...base];
    this.base = this.#bases[0];
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const base = /^https?:/.test(path)
      ? ""
      : this.#bases[this.#turn++ % this.#bases.length];
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        "cookie",
        [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      );
    }
    const response = await fetch(base + path, {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    await checkContract(init.method ?? "GET", base + path, response);
    return response;
  }

  /** Sends JSON and returns the response. */
  json(path: string, method: string, body: unknown): Promise<Response> {
    return this.fetch(path, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /** Creates a session and returns its id. */
  async createSession(): Promise<string> {
    const response = await this.fetch("/api/sessions", { method: "POST" });
    if (response.status !== 201) throw new Error(`status ${response.status}`);
    return (await response.json()).id;
  }

  /** Creates a session, asks for one chart, and returns the ids and the turn's frames. */
  async sessionWithChart(
    prompt: string,
  ): Promise<{ sessionId: string; artifactId: string; frames: Frame[] }> {
    const sessionId = await this.createSession();
    const frames = await this.chat(sessionId, prompt);
    const created = frames.find((f) => f.event === "artifact_created");
    if (!created) throw new Error(`"${prompt}" made no chart`);
    return { sessionId, artifactId: String(created.data.artifact_id), frames };
  }

  /** Sends a chat message and returns every SSE frame of the turn. */
  async chat(sessionId: string, content: string): Promise<Frame[]> {
    const response = await this.json(
      `/api/sessions/${sessionId}/messages`,
      "POST",
      { content },
    );
    if (!response.ok) {
      throw new Error(`chat: ${response.status} ${await response.text()}`);
    }
    return await collectFrames(response.body!);
  }
}

export interface Frame {
  id: string | null;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames until the stream ends (or `until` returns true for a frame). */
export async function collectFrames(
  body: ReadableStream<Uint8Array>,
  until?: (frame: Frame) => boolean,
): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const message of readSse(body)) {
    const frame = toFrame(message);
    frames.push(frame);
    if (until?.(frame)) break;
  }
  return frames;
}

/** Asserts every frame fits its event's schema (lib/api/events.ts) exactly: a field the contract does not name fails. */
export function assertEventContract(frames: Frame[]): void {
  for (const frame of frames) {
    const parsed = parseSessionEvent(frame.event, frame.data);
    assert.ok(parsed, `${frame.event} ${JSON.stringify(frame.data)}`);
    assert.deepEqual(parsed.data, frame.data, `${frame.event}: extra fields`);
  }
}

function toFrame(message: SseMessage): Frame {
  return {
    id: message.id,
    event: message.event,
    data: JSON.parse(message.data),
  };
}

/** Lists every key in a KV store. */
export async function allKeys(kv: Deno.Kv): Promise<Deno.KvKey[]> {
  const out: Deno.KvKey[] = [];
  for await (const entry of kv.list({ prefix: [] })) out.push(entry.key);
  return out;
}

/** One version of a seeded chart: its spec, data and interpretation. */
export interface ChartVersion {
  spec: ChartSpec;
  snapshot: Snapshot;
  interpretation?: string;
}

/**
 * Stores a chart of session `sessionId` (owned as the session is) straight
 * in KV, one version per entry of `versions`, oldest first; returns the
 * newest record. For tests about charts, not about the planner that makes them.
 */
export async function seedChart(
  kv: Deno.Kv,
  sessionId: string,
  versions: ChartVersion[],
): Promise<Artifact> {
  const session = await getSession(kv, sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const common = (v: ChartVersion) => ({
    spec: v.spec,
    snapshot: v.snapshot,
    request: null,
    provenance: {
      query: "SELECT * FROM data",
      params: [],
      datasetId: "demo",
      datasetName: "demo",
      rowCount: v.snapshot.rows.length,
      executionMs: 1,
    },
    interpretation: v.interpretation ?? `A ${v.spec.type} chart.`,
    ttlMs: 3_600_000,
  });
  const [first, ...later] = versions;
  let artifact = await createArtifact(kv, {
    ...common(first),
    sessionId,
    ownerId: session.ownerId,
  });
  for (const version of later) {
    artifact = (await reviseArtifact(kv, artifact.id, common(version)))!;
  }
  return artifact;
}
