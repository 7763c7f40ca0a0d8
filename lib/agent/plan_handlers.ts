/**
 * What a chat turn does with each kind of plan: one handler per kind of
 * `Plan` (`PLAN_HANDLERS`, typed so a new kind without a handler does not
 * type-check). A handler says and sends through the turn (`Turn`), whose
 * events are stored before they are sent.
 */
import {
  type EventType,
  followEvents,
  type SessionEvent,
} from "@/lib/kv/events.ts";
import { type EventData, parseSessionEvent } from "@/lib/api/events.ts";
import { artifactEventView, chartEventView } from "@/lib/api/build.ts";
import type { Session } from "@/lib/kv/sessions.ts";
import {
  type Artifact,
  createArtifact,
  reviseArtifact,
} from "@/lib/kv/artifacts.ts";
import { toSnapshot } from "@/lib/agent/planner/mod.ts";
import type { Plan } from "@/lib/agent/planner/types.ts";
import type { PlannedTurn } from "@/lib/agent/model/mod.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import { interpretChart } from "./interpret.ts";
import type { ChatDataset } from "./datasets.ts";
import { startWorkflow } from "@/lib/workflows/run.ts";
import { ensureDownload } from "@/lib/exports/downloads.ts";
import {
  EXPORT_FORMATS,
  isExportFormat,
  parseExportOptions,
} from "@/lib/exports/mod.ts";
import { signedDownloadPath } from "@/lib/links/download.ts";
import { log } from "@/lib/log.ts";
import type { Outgoing, TurnDeps } from "./turn.ts";

/** A chat turn as its plan's handler sees it. */
export interface Turn {
  deps: TurnDeps;
  session: Session;
  /** The language of the reply. */
  lang: Lang;
  /** The datasets the turn can use. */
  datasets: ChatDataset[];
  /** The session's newest chart, if any. */
  latest: Artifact | undefined;
  /** The model's plan and its held-back words, or null for the built-in planner. */
  planned: PlannedTurn | null;
  /** Stores an event in the session's log, then sends it. */
  send: <E extends EventType>(
    type: E,
    data: EventData<E>,
  ) => Promise<SessionEvent>;
  /** Sends an event already stored (a workflow job's). */
  emit: (event: SessionEvent) => void;
  /**
   * Says words of the reply (paced: a word at a time, as typed), after the
   * events `before`; unpaced, all go to the store together.
   */
  say: (text: string, paced?: boolean, before?: Outgoing[]) => Promise<void>;
  /** The sequence number of the turn's last stored event. */
  lastSeq: () => number;
  /** The charts the reply names (the handler adds what it drew). */
  artifactIds: string[];
  /** The choices a question offers (a clarify plan sets them). */
  options?: string[];
}

type PlanOf<K extends Plan["kind"]> = Extract<Plan, { kind: K }>;

/** Draws the chart (or a new version of the current one), stores and announces it. */
async function drawChart(turn: Turn, plan: PlanOf<"chart">): Promise<void> {
  const { deps, session, say, send } = turn;
  const { kv } = deps;
  const ttl = deps.artifactTtlMs;
  if (plan.reply) await say(plan.reply + " ");
  const dataset = turn.datasets.find((d) => d.id === plan.datasetId)!;
  const result = await dataset.query(plan.sql, plan.params);
  const snapshot = toSnapshot(plan, result);
  const interpretation = interpretChart(plan.spec, snapshot, plan.query.lang);
  await turn.planned?.settle({ snapshot, interpretation });
  const input = {
    spec: plan.spec,
    snapshot,
    request: plan.query,
    provenance: {
      query: plan.sql,
      params: plan.params,
      datasetId: dataset.id,
      datasetName: dataset.name,
      rowCount: result.rows.length,
      executionMs: Math.round(result.ms * 100) / 100,
    },
    interpretation,
    ttlMs: ttl,
  };
  let artifact: Artifact | null = null;
  try {
    artifact = plan.refines
      ? await reviseArtifact(kv, plan.refines, input)
      : null;
    artifact ??= await createArtifact(kv, {
      ...input,
      sessionId: session.id,
      ownerId: session.ownerId,
    });
  } catch (error) {
    log.error("artifact not stored", { session_id: session.id, error });
    await send("error", {
      code: "artifact_not_stored",
      message: language(turn.lang).text.notStored,
    });
  }
  if (artifact) {
    turn.artifactIds.push(artifact.id);
    await say(interpretation, true, [
      { type: "chart", data: chartEventView(artifact) },
      {
        type: artifact.version === 1 ? "artifact_created" : "artifact_updated",
        data: artifactEventView(artifact, deps.origin),
      },
    ]);
  }
}

/** Makes the current chart's file in the asked format and sends its signed link. */
async function offerDownload(
  turn: Turn,
  plan: PlanOf<"download">,
): Promise<void> {
  const { deps, latest, say } = turn;
  const t = language(turn.lang).text;
  if (!latest) return await say(t.noChartYet);
  if (!isExportFormat(plan.format)) {
    return await say(t.cannotExport(plan.format, EXPORT_FORMATS.join(", ")));
  }
  const format = plan.format;
  const blob = await ensureDownload(
    deps.kv,
    latest,
    parseExportOptions(format, {}),
    deps.downloadTtlMs,
  );
  const path = await signedDownloadPath(
    deps.signingKey,
    blob.id,
    blob.expiresAt,
  );
  await say(plan.reply);
  await turn.send("download", {
    url: deps.origin + path,
    filename: blob.filename,
    mime: blob.mime,
    size: blob.size,
    format,
    artifact_id: latest.id,
  });
}

/** How long a chat turn waits for its workflow before leaving it to run on. */
const WORKFLOW_WAIT_MS = 5 * 60_000;

/**
 * Starts the workflow a message asked for and follows it on the session's
 * event log, passing its events into the turn's stream; ends with the
 * output file as a `download` event, or with what went wrong.
 */
async function runWorkflow(
  turn: Turn,
  plan: PlanOf<"workflow">,
): Promise<void> {
  const { deps, session, send, emit, say } = turn;
  const { kv } = deps;
  const t = language(turn.lang);
  await say(plan.reply + " ");
  const after = turn.lastSeq();
  const job = await startWorkflow(deps.jobs, kv, {
    session,
    request: plan.request,
    origin: deps.origin,
    ttlMs: deps.artifactTtlMs,
  });
  const wait = AbortSignal.timeout(WORKFLOW_WAIT_MS);
  const stop = new AbortController();
  const abort = () => stop.abort();
  wait.addEventListener("abort", abort, { once: true });
  try {
    for await (
      const event of followEvents(kv, session.id, after, stop.signal, {
        pollMs: deps.eventPollMs,
      })
    ) {
      if (event.data.job_id !== job.id) continue;
      emit(event);
      const typed = parseSessionEvent(event.type, event.data);
      if (typed?.event === "workflow_completed") {
        const { outputs, file, dataset_id } = typed.data;
        const rows = outputs[outputs.length - 1]?.rows ?? 0;
        if (file) {
          await send("download", {
            url: file.url,
            filename: file.filename,
            mime: file.mime,
            size: file.size,
            dataset_id,
          });
        }
        await say(
          t.text.workflowDone(rows.toLocaleString(t.locale), file?.filename),
          true,
        );
        return;
      }
      if (typed?.event === "workflow_failed") {
        await say(
          t.text.workflowStopped(typed.data.step, typed.data.message),
          true,
        );
        return;
      }
    }
    await say(t.text.workflowStillRunning, true);
  } finally {
    wait.removeEventListener("abort", abort);
  }
}

/** Asks which one was meant, offering the choices. */
async function askWhich(turn: Turn, plan: PlanOf<"clarify">): Promise<void> {
  turn.options = plan.options;
  await turn.say(plan.question, true);
}

/** Says what the assistant can do. */
async function giveHelp(turn: Turn, plan: PlanOf<"help">): Promise<void> {
  await turn.say(plan.reply, true);
}

/** The handler of each kind of plan. */
export const PLAN_HANDLERS: {
  [K in Plan["kind"]]: (turn: Turn, plan: PlanOf<K>) => Promise<void>;
} = {
  chart: drawChart,
  download: offerDownload,
  workflow: runWorkflow,
  clarify: askWhich,
  help: giveHelp,
};

/** Runs the handler of `plan`'s kind. */
export function handlePlan(turn: Turn, plan: Plan): Promise<void> {
  const handler = PLAN_HANDLERS[plan.kind] as (
    turn: Turn,
    plan: Plan,
  ) => Promise<void>;
  return handler(turn, plan);
}
