/**
 * Talking to an OpenAI-compatible Chat Completions API (OpenAI, vLLM,
 * llama.cpp, Ollama, LM Studio, OpenRouter) through the official `openai`
 * client: one streamed completion per call, a rate limit waited out only when
 * the server's Retry-After fits the turn, and every failure turned into a
 * `ModelFailure` whose message never holds the key.
 */
import OpenAI, { APIError, APIUserAbortError } from "openai";
import type { ModelSettings } from "./settings.ts";

export type ChatCompletionChunk = OpenAI.ChatCompletionChunk;
export type ChatCompletionMessageParam = OpenAI.ChatCompletionMessageParam;
export type ChatCompletionTool = OpenAI.ChatCompletionTool;
type ChatCompletionCreateParamsStreaming =
  OpenAI.ChatCompletionCreateParamsStreaming;

/** Why a model could not answer a turn. */
export type FailureReason =
  | "timeout"
  | "rate_limited"
  | "http"
  | "network"
  | "malformed"
  | "refusal"
  | "invalid_tool_call"
  | "empty";

/** A model that could not answer; the built-in planner answers instead. */
export class ModelFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ModelFailure";
  }
}

/** Longest wait for a rate limit to lift that a chat turn accepts. */
const MAX_RETRY_WAIT_MS = 10_000;

export interface ModelRequest {
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
}

export interface ModelClient {
  readonly settings: ModelSettings;
  /**
   * Starts one streamed completion; resolves once the response has begun.
   * `signal` aborts it (the caller's idle timer); throws a ModelFailure.
   */
  stream(
    request: ModelRequest,
    signal: AbortSignal,
  ): Promise<AsyncIterable<ChatCompletionChunk>>;
  /** Replaces the key (if any) in a text meant for a log line. */
  redact(text: string): string;
}

/** Builds the client for a configured model; `fetch` is the transport (tests pass their own). */
export function createModelClient(
  settings: ModelSettings,
  options: { fetch?: typeof fetch } = {},
): ModelClient {
  const openai = new OpenAI({
    baseURL: settings.baseUrl,
    // Every option set here, so nothing is taken from OPENAI_* variables.
    apiKey: settings.apiKey ?? "none",
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    // No key: no Authorization header at all (local servers need none).
    defaultHeaders: settings.apiKey ? {} : { authorization: null },
    timeout: settings.timeoutMs,
    maxRetries: 0,
    logLevel: "off",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // OpenAI's own API wants max_completion_tokens; most other servers read max_tokens.
  let tokensParam: "max_tokens" | "max_completion_tokens" =
    /(^|\.)openai\.com$/.test(hostOf(settings.baseUrl))
      ? "max_completion_tokens"
      : "max_tokens";
  const key = settings.apiKey;
  const redact = (text: string) =>
    key ? text.split(key).join("[redacted]") : text;

  const open = (request: ModelRequest, signal: AbortSignal) => {
    const body = {
      model: settings.model,
      messages: request.messages,
      tools: request.tools,
      stream: true,
      stream_options: { include_usage: true },
      [tokensParam]: settings.maxTokens,
    } as ChatCompletionCreateParamsStreaming;
    return openai.chat.completions.create(body, { signal });
  };

  return {
    settings,
    redact,
    async stream(request, signal) {
      let retried = false;
      let swapped = false;
      while (true) {
        try {
          return await open(request, signal);
        } catch (error) {
          if (signal.aborted || error instanceof APIUserAbortError) {
            throw new ModelFailure("timeout", "no answer in time");
          }
          if (!(error instanceof APIError) || error.status === undefined) {
            throw new ModelFailure(
              "network",
              redact(String((error as Error)?.message ?? error)),
            );
          }
          const message = redact(error.message);
          if (error.status === 429) {
            const wait = retryAfterMs(error.headers);
            if (retried || wait === null || wait > MAX_RETRY_WAIT_MS) {
              throw new ModelFailure("rate_limited", message, 429);
            }
            retried = true;
            await sleep(wait, signal);
            if (signal.aborted) {
              throw new ModelFailure("timeout", "no answer in time");
            }
            continue;
          }
          if (
            error.status === 400 && !swapped &&
            /max_tokens|max_completion_tokens/.test(error.message)
          ) {
            swapped = true;
            tokensParam = tokensParam === "max_tokens"
              ? "max_completion_tokens"
              : "max_tokens";
            continue;
          }
          throw new ModelFailure("http", message, error.status);
        }
      }
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/** Milliseconds a 429 asks to wait (`retry-after-ms`, or `Retry-After` in seconds or as a date). */
export function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = Number(headers?.get("retry-after-ms"));
  if (headers?.has("retry-after-ms") && Number.isFinite(ms) && ms >= 0) {
    return ms;
  }
  const value = headers?.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
