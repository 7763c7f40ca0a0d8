/**
 * A chat turn planned by a language model: the model streams its words
 * (checked for figures on the way) and calls the same tools the built-in
 * planner's plans stand for; the call that acts becomes the turn's `Plan`,
 * carried out by the turn exactly as a built-in plan is. Invalid arguments go
 * back to the model as tool errors, at most three rounds. When the model
 * cannot answer — a timeout, an HTTP error, a malformed stream, a refusal, a
 * call still invalid — the built-in planner answers the same message, and
 * the reply says so in the person's language.
 */
import type { Snapshot } from "@/lib/charts/spec.ts";
import type { DatasetProfile } from "@/lib/data/table.ts";
import { listMessages, type Message } from "@/lib/kv/messages.ts";
import { log } from "@/lib/log.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import type { ChartQuery, Plan } from "@/lib/agent/planner/types.ts";
import type { ChatCompletionMessageParam, ModelClient } from "./client.ts";
import { ModelFailure } from "./client.ts";
import { contextMessages, HISTORY_TURNS } from "./context.ts";
import { FigureGuard, KnownFigures } from "./figures.ts";
import { safeUrl } from "./settings.ts";
import { IdleTimer, readCompletion } from "./stream.ts";
import { SYSTEM_PROMPT_VERSION } from "./system_prompt.ts";
import { type ToolOutcome, turnTools } from "./tools.ts";

export { createModelClient, type ModelClient } from "./client.ts";
export { modelHealth, type ModelSettings, modelSettings } from "./settings.ts";

/** Model rounds a turn may spend on tool calls that were not valid. */
export const MAX_INVALID_ROUNDS = 3;
/** Rounds a turn may spend on information (describe_datasets) before acting. */
const MAX_INFO_ROUNDS = 2;

export interface ModelTurnInput {
  kv: Deno.Kv;
  sessionId: string;
  /** The person's message (already stored as the newest message). */
  content: string;
  lang: Lang;
  datasets: DatasetProfile[];
  /** The chart open in the session, if any. */
  current: {
    artifactId: string;
    title: string;
    query: ChartQuery;
    interpretation: string;
  } | null;
}

/** A turn's plan and who made it. */
export interface PlannedTurn {
  /** null: the model answered in words alone (already said). */
  plan: Plan | null;
  planner: "model" | "builtin";
  /**
   * Sends the model's words still held back for checking, once the turn's
   * chart (if any) has its data. Idempotent; call it before the turn ends.
   */
  settle(chart?: { snapshot: Snapshot; interpretation: string }): Promise<void>;
}

/** Whether a stored chart query has today's shape (older builds stored others). */
function isQuery(q: unknown): q is ChartQuery {
  const v = q as Partial<ChartQuery> | null;
  return !!v && typeof v === "object" && typeof v.datasetId === "string" &&
    Array.isArray(v.measures) && !!v.x && typeof v.x === "object";
}

/** The chart a turn can refine, from the newest artifact (null when it has none or an old query). */
export function currentChart(
  latest:
    | {
      id: string;
      title: string;
      request: unknown;
      interpretation: string;
    }
    | null
    | undefined,
): ModelTurnInput["current"] {
  if (!latest || !isQuery(latest.request)) return null;
  return {
    artifactId: latest.id,
    title: latest.title,
    query: latest.request,
    interpretation: latest.interpretation,
  };
}

/** The person's words that side effects must be asked for in: the message, and the question it answers. */
function askedText(content: string, history: Message[]): string {
  const question = history[history.length - 1];
  const picked = question?.role === "assistant" &&
    question.options?.some((o) =>
      o.trim().toLowerCase() === content.trim().toLowerCase()
    );
  return picked ? `${question.content}\n${content}` : content;
}

/**
 * Plans a turn with the model, saying its words through `say` as they
 * stream; falls back to `builtin` (after saying so) when the model fails.
 */
export async function planWithModel(
  client: ModelClient,
  input: ModelTurnInput,
  say: (text: string) => Promise<void>,
  builtin: () => Promise<Plan>,
): Promise<PlannedTurn> {
  const started = performance.now();
  const t = language(input.lang).text;
  const known = new KnownFigures();
  let spoke = false;
  const guard = new FigureGuard(known, t.model.figureRemoved, async (text) => {
    if (text.trim()) spoke = true;
    await say(text);
  });
  const usage = { prompt: 0, completion: 0 };
  let rounds = 0;
  const logFields = () => ({
    session_id: input.sessionId,
    model: client.settings.model,
    base_url: safeUrl(client.settings.baseUrl),
    prompt_version: SYSTEM_PROMPT_VERSION,
    rounds,
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    ms: Math.round(performance.now() - started),
  });

  try {
    const history = (await listMessages(input.kv, input.sessionId, {
      limit: HISTORY_TURNS * 2 + 1,
      reverse: true,
    })).slice(1).reverse();
    for (const d of input.datasets) known.addProfile(d);
    known.addText("conversation", input.content);
    for (const m of history) known.addText("conversation", m.content);
    if (input.current) {
      known.addText("conversation", input.current.interpretation);
    }

    const tools = turnTools({
      datasets: input.datasets,
      current: input.current,
      lang: input.lang,
      asked: askedText(input.content, history),
    });
    const messages: ChatCompletionMessageParam[] = contextMessages({
      history,
      content: input.content,
      datasets: input.datasets,
      current: input.current,
    });

    let invalidRounds = 0;
    let infoRounds = 0;
    while (true) {
      rounds++;
      const idle = new IdleTimer(client.settings.timeoutMs);
      let response;
      try {
        const chunks = await client.stream(
          { messages, tools: tools.definitions },
          idle.signal,
        );
        response = await readCompletion(
          chunks,
          idle,
          (text) => guard.push(text),
        );
      } finally {
        idle.stop();
      }
      if (response.usage) {
        usage.prompt += response.usage.promptTokens;
        usage.completion += response.usage.completionTokens;
      }
      if (response.toolCalls.length === 0) {
        if (!response.text.trim() && !spoke) {
          throw new ModelFailure("empty", "the model said nothing");
        }
        await guard.settle(false);
        log.info("model turn", { ...logFields(), outcome: "words" });
        return {
          plan: null,
          planner: "model",
          settle: () => Promise.resolve(),
        };
      }

      messages.push({
        role: "assistant",
        content: response.text || null,
        tool_calls: response.toolCalls.map((c) => ({
          id: c.id,
          type: "function" as const,
          function: { name: c.name, arguments: c.arguments },
        })),
      });
      let action: Plan | null = null;
      let invalid = false;
      for (const call of response.toolCalls) {
        const outcome: ToolOutcome = action
          ? {
            kind: "error" as const,
            content: "Error: not run; one action per answer.",
          }
          : tools.run(call);
        if (outcome.kind === "action") action = outcome.plan;
        if (outcome.kind === "error") invalid = true;
        messages.push({
          role: "tool",
          tool_call_id: call.id,
          content: outcome.kind === "action" ? "done" : outcome.content,
        });
        if (outcome.kind === "error") {
          log.debug("model tool error", {
            session_id: input.sessionId,
            tool: call.name,
            error: client.redact(outcome.content),
          });
        }
      }
      if (action) {
        const plan = spoke ? withoutReply(action) : action;
        // The model's words, then the turn's own (a chart's reading, a question's text).
        if (spoke) await guard.push("\n\n");
        log.info("model turn", { ...logFields(), outcome: action.kind });
        return {
          plan,
          planner: "model",
          async settle(chart) {
            if (chart) {
              known.addSnapshot(chart.snapshot)
                .addText("chart", chart.interpretation);
            }
            await guard.settle(!!chart || plan.kind === "chart");
          },
        };
      }
      if (invalid && ++invalidRounds >= MAX_INVALID_ROUNDS) {
        throw new ModelFailure(
          "invalid_tool_call",
          `tool calls still invalid after ${invalidRounds} rounds`,
        );
      }
      if (!invalid && ++infoRounds > MAX_INFO_ROUNDS) {
        throw new ModelFailure(
          "invalid_tool_call",
          "the model kept asking for information without acting",
        );
      }
    }
  } catch (error) {
    const failure = error instanceof ModelFailure ? error : null;
    const fields = {
      ...logFields(),
      reason: failure?.reason ?? "error",
      ...(failure?.status ? { status: failure.status } : {}),
      message: client.redact(String((error as Error)?.message ?? error)),
    };
    if (failure) log.warn("model failed; the built-in planner answers", fields);
    else log.error("model turn failed; the built-in planner answers", fields);
    await guard.settle(false);
    await say(`${spoke ? "\n\n" : ""}${t.model.fallback} `);
    return {
      plan: await builtin(),
      planner: "builtin",
      settle: () => Promise.resolve(),
    };
  }
}

/**
 * A plan whose own opening sentence is left out: the model has already said
 * what it draws or sends. (A workflow keeps its list of the steps that run.)
 */
function withoutReply(plan: Plan): Plan {
  return plan.kind === "chart" || plan.kind === "download"
    ? { ...plan, reply: "" }
    : plan;
}
