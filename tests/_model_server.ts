/**
 * A local stand-in for an OpenAI-compatible chat model, speaking the real
 * Chat Completions streaming wire format over HTTP: `data:` lines of
 * `chat.completion.chunk` JSON, tool-call arguments split across chunks, a
 * usage chunk and `data: [DONE]` — or an HTTP error, an error or a malformed
 * line mid-stream, a refusal, a stall, no answer at all. Each request is answered by a script
 * (what a test's model "decides"), and every request is recorded.
 */

export interface RecordedRequest {
  // deno-lint-ignore no-explicit-any
  body: any;
  headers: Headers;
  /** performance.now() when the first text piece of the answer was written. */
  firstTextAt?: number;
}

/** One piece of a streamed answer. */
export type Part =
  | { text: string }
  | {
    tool: string;
    /** An object is sent as its JSON; a string as it is (to send bad JSON). */
    args: unknown;
    /** How many chunks the arguments are split into. */
    pieces?: number;
    id?: string;
  }
  | { refusal: string }
  | { finish: "stop" | "tool_calls" | "length" | "content_filter" }
  | { usage: { prompt: number; completion: number } }
  /** A raw SSE data payload, e.g. malformed JSON. */
  | { raw: string }
  /** An error object sent mid-stream, as OpenAI does. */
  | { error: { message: string; type?: string; code?: string } }
  /** Stop sending and keep the connection open. */
  | { stall: true }
  | { done: true };

export type Reply =
  | {
    stream: Part[];
    /** Pause before each part. */
    delayMs?: number;
    /** Pause before the first part after the opening chunk (a model that thinks first). */
    thinkMs?: number;
  }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** No answer at all, not even headers, until the server is disposed. */
  | { hang: true };

export type Script = (request: RecordedRequest, n: number) => Reply;

export interface ModelServer extends AsyncDisposable {
  /** The API root to configure as LLM_BASE_URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replaces the script. */
  script: Script;
}

/** A streamed answer of words (split in pieces of a few characters). */
export function words(text: string, size = 6): Reply {
  const parts: Part[] = [];
  for (let i = 0; i < text.length; i += size) {
    parts.push({ text: text.slice(i, i + size) });
  }
  return {
    stream: [...parts, { finish: "stop" }, {
      usage: { prompt: 100, completion: 20 },
    }, { done: true }],
  };
}

/** A streamed tool call, optionally after some words. */
export function toolCall(
  tool: string,
  args: unknown,
  options: { text?: string; pieces?: number } = {},
): Reply {
  const text = options.text
    ? (words(options.text) as { stream: Part[] }).stream.slice(0, -3)
    : [];
  return {
    stream: [
      ...text,
      { tool, args, pieces: options.pieces ?? 7 },
      { finish: "tool_calls" },
      { usage: { prompt: 120, completion: 40 } },
      { done: true },
    ],
  };
}

/** The texts of the tool-result messages a request carries (the model's view of its last calls). */
export function toolResults(request: RecordedRequest): string[] {
  return (request.body.messages as { role: string; content: string }[])
    .filter((m) => m.role === "tool").map((m) => m.content);
}

const encoder = new TextEncoder();

function chunk(model: string, delta: unknown, finish: string | null = null) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

function split(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Starts the stand-in model on a free port; dispose to stop it. */
export function startModelServer(script: Script): ModelServer {
  const requests: RecordedRequest[] = [];
  const state = { script };
  const open = new Set<ReadableStreamDefaultController>();
  const hanging = new Set<() => void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      if (
        req.method !== "POST" || !new URL(req.url).pathname.endsWith(
          "/chat/completions",
        )
      ) {
        return Response.json({ error: { message: "not found" } }, {
          status: 404,
        });
      }
      const recorded: RecordedRequest = {
        body: await req.json(),
        headers: req.headers,
      };
      requests.push(recorded);
      const reply = state.script(recorded, requests.length);
      if ("hang" in reply) {
        await new Promise<void>((resolve) => hanging.add(resolve));
        return new Response(null, { status: 504 });
      }
      if (!("stream" in reply)) {
        return new Response(JSON.stringify(reply.body ?? {}), {
          status: reply.status,
          headers: { "content-type": "application/json", ...reply.headers },
        });
      }
      const model = String(recorded.body.model);
      let cancelled = false;
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          open.add(controller);
          const send = (payload: unknown) =>
            controller.enqueue(
              encoder.encode(
                `data: ${
                  typeof payload === "string"
                    ? payload
                    : JSON.stringify(payload)
                }\n\n`,
              ),
            );
          let toolIndex = 0;
          send(chunk(model, { role: "assistant", content: "" }));
          if (reply.thinkMs) {
            await new Promise((r) => setTimeout(r, reply.thinkMs));
          }
          for (const part of reply.stream) {
            if (cancelled) return;
            if (reply.delayMs) {
              await new Promise((r) => setTimeout(r, reply.delayMs));
            }
            if ("text" in part) {
              recorded.firstTextAt ??= performance.now();
              send(chunk(model, { content: part.text }));
            } else if ("tool" in part) {
              const index = toolIndex++;
              const args = typeof part.args === "string"
                ? part.args
                : JSON.stringify(part.args);
              send(chunk(model, {
                tool_calls: [{
                  index,
                  id: part.id ?? `call_${index}_${requests.length}`,
                  type: "function",
                  function: { name: part.tool, arguments: "" },
                }],
              }));
              for (const piece of split(args, part.pieces ?? 5)) {
                send(chunk(model, {
                  tool_calls: [{ index, function: { arguments: piece } }],
                }));
              }
            } else if ("refusal" in part) {
              send(chunk(model, { content: null, refusal: part.refusal }));
            } else if ("finish" in part) {
              send(chunk(model, {}, part.finish));
            } else if ("usage" in part) {
              send({
                ...chunk(model, {}),
                choices: [],
                usage: {
                  prompt_tokens: part.usage.prompt,
                  completion_tokens: part.usage.completion,
                  total_tokens: part.usage.prompt + part.usage.completion,
                },
              });
            } else if ("raw" in part) {
              send(part.raw);
            } else if ("error" in part) {
              send({ error: part.error });
            } else if ("stall" in part) {
              return; // left open: the client's timeout must end it
            } else if ("done" in part) {
              send("[DONE]");
            }
          }
          open.delete(controller);
          controller.close();
        },
        cancel() {
          cancelled = true;
        },
      });
      return new Response(body, {
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
        },
      });
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get script() {
      return state.script;
    },
    set script(next: Script) {
      state.script = next;
    },
    async [Symbol.asyncDispose]() {
      for (const resolve of hanging) resolve();
      for (const controller of open) {
        try {
          controller.close();
        } catch { /* already closed */ }
      }
      await server.shutdown();
    },
  };
}
