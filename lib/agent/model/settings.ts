/**
 * Which language model the chat asks, read from the config (`LLM_*`). Without
 * a base URL and a model name there is none, and the built-in planner answers
 * every message.
 */
import type { ModelHealthView } from "@/lib/api/views.ts";
import type { Config } from "@/lib/config.ts";

export interface ModelSettings {
  /** An OpenAI-compatible API root, e.g. "http://localhost:11434/v1". */
  baseUrl: string;
  model: string;
  /** Bearer token; absent for local servers that need none. Never logged. */
  apiKey?: string;
  /** Longest the model may keep a turn waiting: for its answer to start, or between two pieces of it. */
  timeoutMs: number;
  maxTokens: number;
}

/** Returns the model settings of a config, or null when no model is configured. */
export function modelSettings(
  config: Pick<
    Config,
    | "LLM_BASE_URL"
    | "LLM_MODEL"
    | "LLM_API_KEY"
    | "LLM_TIMEOUT"
    | "LLM_MAX_TOKENS"
  >,
): ModelSettings | null {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) return null;
  return {
    baseUrl: config.LLM_BASE_URL.replace(/\/+$/, ""),
    model: config.LLM_MODEL,
    ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
    timeoutMs: config.LLM_TIMEOUT,
    maxTokens: config.LLM_MAX_TOKENS,
  };
}

/** A base URL without user, password, query or fragment: what logs and /health may show. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return "(invalid URL)";
  }
}

/** What /health shows of the model: where and which, never the key. */
export function modelHealth(settings: ModelSettings | null): ModelHealthView {
  if (!settings) return { configured: false };
  return {
    configured: true,
    base_url: safeUrl(settings.baseUrl),
    model: settings.model,
    api_key_set: !!settings.apiKey,
    timeout_ms: settings.timeoutMs,
    max_tokens: settings.maxTokens,
  };
}
