/**
 * One chat turn: store the user's message, plan, hand the plan to its kind's
 * handler (`plan_handlers.ts`: a chart, a download, a workflow, a question, a
 * help text) and store the reply. Every
 * event is appended to the session's event log before it is handed to `emit`,
 * and the turn runs to the end whether or not anyone is still listening.
 */
import {
  appendEvent,
  type EventType,
  type KvWrite,
  type SessionEvent,
} from "@/lib/kv/events.ts";
import type { EventData } from "@/lib/api/events.ts";
import { messageView, userMessageEvent } from "@/lib/api/build.ts";
import { listMessages, messageWrite, newMessage } from "@/lib/kv/messages.ts";
import { type Session, UNTITLED, updateSession } from "@/lib/kv/sessions.ts";
import { listArtifactsBySession } from "@/lib/kv/artifacts.ts";
import { planRequest, requestLang } from "@/lib/agent/planner/mod.ts";
import {
  currentChart,
  type ModelClient,
  type PlannedTurn,
  planWithModel,
} from "@/lib/agent/model/mod.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import { listChatDatasets } from "./datasets.ts";
import { handlePlan, type Turn } from "./plan_handlers.ts";
import { log } from "@/lib/log.ts";
import { cleanName } from "@/lib/text.ts";
import type { JobRunner } from "@/lib/jobs/runner.ts";

export interface TurnDeps {
  kv: Deno.Kv;
  signingKey: CryptoKey;
  /** Public origin for absolute URLs in events, e.g. "http://localhost:8000". */
  origin: string;
  artifactTtlMs: number;
  downloadTtlMs: number;
  /** Pause between streamed words of the reply (0 in benchmarks). */
  wordDelayMs: number;
  /** Starts a workflow the turn asks for on this instance. */
  jobs: JobRunner;
  /** How often following the log polls the store (0: kv.watch sees every write). */
  eventPollMs: number;
  /**
   * The language of the page the request came from (the browser's), for a
   * first request whose words do not tell; English when absent.
   */
  pageLang?: Lang;
  /** The configured language model; null: the built-in planner answers. */
  model?: ModelClient | null;
}

/** One event of a turn, before it is stored, with records to store in its commit. */
export type Outgoing = {
  [E in EventType]: { type: E; data: EventData<E>; with?: KvWrite[] };
}[EventType];

/**
 * Hands each stored event to `deliver` in order; stops at the first append
 * that failed and throws its error (the later ones are not delivered).
 */
export async function deliverInOrder(
  appends: Promise<SessionEvent>[],
  deliver: (event: SessionEvent) => void,
): Promise<SessionEvent[]> {
  // Later failures are the first one's consequence: handled, not reported.
  for (const append of appends) append.catch(() => {});
  const delivered: SessionEvent[] = [];
  for (const append of appends) {
    const event = await append;
    deliver(event);
    delivered.push(event);
  }
  return delivered;
}

/** Splits text into word-sized pieces, each keeping its trailing space. */
export function wordsOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * Returns the request to plan: when the user answers a clarifying question by
 * picking one of its options, the option takes the place of the ambiguous
 * word of the question's request: "chart pm by city" + "pm25" plans as
 * "chart pm25 by city".
 */
export async function withClarifiedContext(
  kv: Deno.Kv,
  sessionId: string,
  content: string,
): Promise<string> {
  const recent = await listMessages(kv, sessionId, {
    limit: 3,
    reverse: true,
  });
  // recent: newest first — [this user message, assistant question, the asking request]
  const [, question, asked] = recent;
  const picked = question?.options?.find((o) =>
    o.toLowerCase() === content.trim().toLowerCase()
  );
  if (!picked || asked?.role !== "user") return content;
  // Put the choice in place of the word that was ambiguous ("pm" → "pm25").
  const options = question!.options!.map((o) => o.toLowerCase());
  const words = asked.content.split(/(\s+)/);
  const at = words.findIndex((w) => {
    const word = w.toLowerCase().replace(/[^\p{L}\p{N}_]/gu, "");
    return word.length > 0 && options.every((o) => o.includes(word));
  });
  if (at === -1) return `${asked.content} ${picked}`;
  words[at] = picked;
  return words.join("");
}

/** Runs a chat turn to completion; `emit` receives each event once it is stored. */
export async function runChatTurn(
  deps: TurnDeps,
  session: Session,
  content: string,
  emit: (event: SessionEvent) => void,
): Promise<void> {
  const { kv } = deps;
  const ttl = deps.artifactTtlMs;
  let lastSeq = 0;
  const deliver = (event: SessionEvent) => {
    lastSeq = event.seq;
    emit(event);
  };
  /**
   * Appends events together (the group commit stores them in one commit)
   * and emits each, in order, once stored.
   */
  const sendAll = (events: Outgoing[]) =>
    deliverInOrder(
      events.map((e) =>
        appendEvent(kv, session.id, e.type, e.data, ttl, e.with)
      ),
      deliver,
    );
  const send = async <E extends EventType>(type: E, data: EventData<E>) =>
    (await sendAll([{ type, data } as Outgoing]))[0];
  let reply = "";
  /** Says `text` word by word (paced: a pause after each), after `before`. */
  const say = async (text: string, paced = false, before: Outgoing[] = []) => {
    const words = wordsOf(text);
    reply += words.join("");
    const deltas = words.map((word): Outgoing => ({
      type: "delta",
      data: { text: word },
    }));
    if (!paced || deps.wordDelayMs <= 0) {
      await sendAll([...before, ...deltas]);
      return;
    }
    await sendAll(before);
    for (const delta of deltas) {
      await sendAll([delta]);
      await new Promise((r) => setTimeout(r, deps.wordDelayMs));
    }
  };

  // Each message is stored in the commit of the event that announces it.
  const userMessage = newMessage({
    sessionId: session.id,
    role: "user",
    content,
    ttlMs: ttl,
  });
  await sendAll([{
    type: "message",
    data: userMessageEvent(userMessage),
    with: [messageWrite(userMessage)],
  }]);
  // The language of the request: every word of the reply is in it. A
  // request that does not show one ("pm25 Kampala") keeps the session's,
  // or, as the first, the page's.
  const sessionLang = session.lang ?? deps.pageLang ?? "en";
  const lang = requestLang(content, sessionLang);
  // The first request that says something names the session and sets the
  // language of its page; a blank one changes neither.
  const said = cleanName(content);
  await updateSession(kv, session.id, ttl, (current) =>
    said
      ? {
        ...(current.title === UNTITLED ? { title: said.slice(0, 80) } : {}),
        ...(current.lang ? {} : { lang }),
      }
      : {});

  const t = language(lang).text;
  let planned: PlannedTurn | null = null;
  const turn: Turn = {
    deps,
    session,
    lang,
    datasets: [],
    latest: undefined,
    planned: null,
    send,
    emit,
    say,
    lastSeq: () => lastSeq,
    artifactIds: [],
  };
  try {
    const datasets = await listChatDatasets(kv, session.id);
    const latest = (await listArtifactsBySession(kv, session.id, { limit: 1 }))
      .values[0];
    const current = latest
      ? {
        artifactId: latest.id,
        query: latest.request,
        spec: latest.spec,
      }
      : null;
    const context = {
      datasets: datasets.map((d) => d.profile),
      current,
      lang: sessionLang,
    };
    const builtin = async () =>
      planRequest(await withClarifiedContext(kv, session.id, content), context);
    // A blank message gets the built-in help; a model has nothing to answer.
    planned = deps.model && said
      ? await planWithModel(deps.model, {
        kv,
        sessionId: session.id,
        content,
        lang,
        datasets: context.datasets,
        current: currentChart(latest),
      }, (text) =>
        say(text), builtin)
      : null;
    const plan = planned ? planned.plan : await builtin();
    turn.datasets = datasets;
    turn.latest = latest;
    turn.planned = planned;
    // null: the model answered in words alone; they have been said.
    if (plan !== null) await handlePlan(turn, plan);
  } catch (error) {
    log.error("chat turn failed", { session_id: session.id, error });
    await send("error", {
      code: "turn_failed",
      message: t.turnFailed,
    });
  }
  await planned?.settle().catch((error) =>
    log.error("model words not sent", { session_id: session.id, error })
  );

  const assistant = newMessage({
    sessionId: session.id,
    role: "assistant",
    content: reply.trim(),
    artifactIds: turn.artifactIds,
    options: turn.options,
    ttlMs: ttl,
  });
  await sendAll([
    {
      type: "message",
      data: messageView(assistant),
      with: [messageWrite(assistant)],
    },
    {
      type: "done",
      data: {
        message_id: assistant.id,
        // With a model configured, who answered; without one, nothing new.
        ...(deps.model ? { planner: planned?.planner ?? "builtin" } : {}),
      },
    },
  ]);
}
