/**
 * Reading one streamed chat completion: its words handed on as they arrive,
 * tool calls assembled from the pieces their arguments come in, the finish
 * reason and token usage noted, and a stream that stalls, breaks off, sends
 * an error or refuses turned into a `ModelFailure`.
 */
import { APIError } from "openai";
import { type ChatCompletionChunk, ModelFailure } from "./client.ts";

export interface ModelToolCall {
  id: string;
  name: string;
  /** The JSON text of the arguments, as the model wrote it. */
  arguments: string;
}

export interface ModelResponse {
  text: string;
  toolCalls: ModelToolCall[];
  finishReason: string;
  usage: { promptTokens: number; completionTokens: number } | null;
}

/** Aborts a request when nothing arrives for `ms`; every piece that arrives starts the wait again. */
export class IdleTimer {
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fired = false;

  constructor(readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the wait ran out. */
  get fired(): boolean {
    return this.#fired;
  }

  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#fired = true;
      this.#controller.abort();
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * Reads a completion stream to its end: `onText` gets each piece of text as
 * it arrives (awaited, in order). Throws a ModelFailure for a stall past the
 * idle timer, an error sent mid-stream, a piece that is not JSON, a stream
 * that ends before its finish reason, or a refusal.
 */
export async function readCompletion(
  chunks: AsyncIterable<ChatCompletionChunk>,
  idle: IdleTimer,
  onText: (text: string) => Promise<void>,
): Promise<ModelResponse> {
  let text = "";
  let refusal = "";
  let finishReason: string | null = null;
  let usage: ModelResponse["usage"] = null;
  const calls: ModelToolCall[] = [];
  try {
    for await (const chunk of chunks) {
      idle.touch();
      if (chunk.usage) {
        usage = {
          promptTokens: chunk.usage.prompt_tokens ?? 0,
          completionTokens: chunk.usage.completion_tokens ?? 0,
        };
      }
      const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
      if (!choice) continue;
      const delta = choice.delta ?? {};
      if (typeof delta.refusal === "string") refusal += delta.refusal;
      (delta.tool_calls ?? []).forEach((piece, i) => {
        const at = piece.index ?? i;
        const call = calls[at] ??= { id: "", name: "", arguments: "" };
        if (piece.id) call.id = piece.id;
        const name = piece.function?.name;
        // Most servers send the name once; a few send it again with every piece.
        if (name && call.name !== name) call.name += name;
        if (piece.function?.arguments) {
          call.arguments += piece.function.arguments;
        }
      });
      if (typeof delta.content === "string" && delta.content !== "") {
        text += delta.content;
        await onText(delta.content);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  } catch (error) {
    if (error instanceof ModelFailure) throw error;
    if (idle.fired) throw new ModelFailure("timeout", "the answer stalled");
    if (error instanceof SyntaxError) {
      throw new ModelFailure("malformed", error.message);
    }
    if (error instanceof APIError) {
      throw new ModelFailure(
        error.status ? "http" : "malformed",
        `error in the stream: ${error.message}`,
        error.status,
      );
    }
    throw new ModelFailure("network", String((error as Error)?.message));
  } finally {
    idle.stop();
  }
  // The client ends quietly when its request is aborted: the idle timer did that.
  if (idle.fired) throw new ModelFailure("timeout", "the answer stalled");
  if (refusal || finishReason === "content_filter") {
    throw new ModelFailure("refusal", "the model refused to answer");
  }
  if (finishReason === null) {
    throw new ModelFailure("malformed", "the stream ended before the answer");
  }
  const toolCalls = calls.filter(Boolean).map((c, i) => ({
    id: c.id || `call_${i}`,
    name: c.name,
    arguments: c.arguments,
  }));
  return { text, toolCalls, finishReason, usage };
}
