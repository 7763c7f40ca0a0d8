/**
 * The language-model adapter's cost, with a local stand-in model that
 * answers instantly over real HTTP (`tests/_model_server.ts`), on temp-file
 * KVs. Targets of issue 11: adapter overhead ≤ 20 ms per turn over the
 * built-in planner; first `delta` within 5 ms of the first model token.
 *
 * - whole turn: POST to `done` over HTTP, the built-in planner and the model
 *   alternating on the same four chart requests; the model calls make_chart
 *   without words of its own, so both turns send the same reply sentence and
 *   the same events. Overhead: the median of the paired differences.
 * - planning alone: what the turn waits for before it acts, in process —
 *   `withClarifiedContext` + `planRequest` against `planWithModel` (history
 *   read, request to the stand-in, streamed answer read, tool call checked and
 *   compiled) for the same message. Overhead: difference of the medians.
 * - first delta: from the moment the stand-in writes its first text token
 *   (30 ms into its answer, as a model that thinks first) to the moment the
 *   client reads the first `delta` event; and the adapter's share of it, to
 *   the moment the turn is handed the words (`say`). The rest is the event
 *   log's KV write and the SSE hop that every delta, built-in or not, takes.
 *
 * Every time is also given as this process's CPU time (client, servers and
 * stand-in all run in it): the work a turn costs, which a machine shared
 * with other loads stretches far less than it stretches the wall clock.
 *
 * Run: `deno run -A bench/model_turn.ts [turns]` (default 40; part of `deno task bench`).
 */
import { Client, collectFrames, startTestServer } from "@/tests/_fixtures.ts";
import {
  type Reply,
  startModelServer,
  toolCall,
  words,
} from "@/tests/_model_server.ts";
import { demoChatDatasets } from "@/lib/agent/datasets.ts";
import { planRequest } from "@/lib/agent/planner/mod.ts";
import { withClarifiedContext } from "@/lib/agent/turn.ts";
import {
  createModelClient,
  modelSettings,
  planWithModel,
} from "@/lib/agent/model/mod.ts";
import { loadConfig } from "@/lib/config.ts";
import { openKv } from "@/lib/kv/open.ts";
import process from "node:process";

const turns = Number(Deno.args[0] ?? 40);
const PROMPTS: [string, Record<string, unknown>][] = [
  ["line chart of pm25 by date for Kampala", {
    dataset: "demo:air_quality",
    chart_type: "line",
    measures: [{ column: "pm25", agg: "avg" }],
    x: { column: "date", bucket: "day" },
    filters: [{ column: "city", op: "in", values: ["Kampala"] }],
  }],
  ["bar chart of average no2 per city", {
    dataset: "demo:air_quality",
    chart_type: "bar",
    measures: [{ column: "no2", agg: "avg" }],
    x: { column: "city" },
  }],
  ["monthly average roe by bank", {
    dataset: "demo:bank_ratios",
    chart_type: "line",
    measures: [{ column: "roe", agg: "avg" }],
    x: { column: "month", bucket: "month" },
    split: { column: "bank" },
  }],
  ["pie chart of total revenue by region", {
    dataset: "demo:sales",
    chart_type: "pie",
    measures: [{ column: "revenue", agg: "sum" }],
    x: { column: "region" },
  }],
];
const ARGS = new Map(PROMPTS);
const GREETING = "hello";
const GREETING_REPLY: Reply = {
  ...words("Hello! Ask me for a chart of your data."),
  thinkMs: 30,
};

await using model = startModelServer((request) => {
  const asked = request.body.messages.at(-1).content as string;
  return asked === GREETING
    ? GREETING_REPLY
    : toolCall("make_chart", ARGS.get(asked));
});
const llmEnv = {
  LLM_BASE_URL: model.baseUrl,
  LLM_MODEL: "stand-in",
  LLM_API_KEY: "sk-bench",
};
await using builtin = await startTestServer({ STREAM_WORD_DELAY_MS: "0" });
await using withModel = await startTestServer({
  STREAM_WORD_DELAY_MS: "0",
  ...llmEnv,
});

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values: number[]) => quantile(values, 0.5);
const ms = (v: number) => `${v.toFixed(1)} ms`;
const spread = (values: number[]) =>
  `median ${ms(median(values))}, p90 ${ms(quantile(values, 0.9))}`;
/** This process's CPU time (user + system) in ms. */
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// --- whole turns over HTTP ---------------------------------------------------

async function httpTurn(client: Client, content: string) {
  const sessionId = await client.createSession();
  const requestsBefore = model.requests.length;
  const started = performance.now();
  const cpuStarted = cpuNow();
  let firstDelta = NaN;
  let planner = "";
  const types: string[] = [];
  // collectFrames asks `until` about every frame as it arrives: each is timed then.
  await collectFrames(
    (await client.json(`/api/sessions/${sessionId}/messages`, "POST", {
      content,
    })).body!,
    (frame) => {
      if (frame.event === "delta") firstDelta ||= performance.now();
      if (frame.event === "done") planner = String(frame.data.planner);
      types.push(frame.event);
      return false;
    },
  );
  const firstText = model.requests[requestsBefore]?.firstTextAt;
  return {
    total: performance.now() - started,
    cpu: cpuNow() - cpuStarted,
    planner,
    deltas: types.filter((t) => t === "delta").length,
    deltaAfterToken: firstText === undefined ? NaN : firstDelta - firstText,
  };
}

const builtinClient = new Client(builtin.url);
const modelClient = new Client(withModel.url);
for (let i = 0; i < 8; i++) { // warm-up: JIT, SQLite tables, schemas
  const [prompt] = PROMPTS[i % PROMPTS.length];
  await httpTurn(builtinClient, prompt);
  await httpTurn(modelClient, prompt);
}
const builtinTimes: number[] = [];
const modelTimes: number[] = [];
const pairs: number[] = [];
const builtinCpu: number[] = [];
const modelCpu: number[] = [];
let sameEvents = 0;
for (let i = 0; i < turns; i++) {
  const [prompt] = PROMPTS[i % PROMPTS.length];
  // Alternating, first one then the other, so both meet the same load.
  const turnOf = (c: Client) => () => httpTurn(c, prompt);
  const [first, second] = i % 2 === 0
    ? [turnOf(builtinClient), turnOf(modelClient)]
    : [turnOf(modelClient), turnOf(builtinClient)];
  const one = await first();
  const other = await second();
  const [b, m] = i % 2 === 0 ? [one, other] : [other, one];
  if (m.planner !== "model") {
    throw new Error(`the model did not answer: ${m.planner}`);
  }
  if (m.deltas === b.deltas) sameEvents++;
  builtinTimes.push(b.total);
  modelTimes.push(m.total);
  pairs.push(m.total - b.total);
  builtinCpu.push(b.cpu);
  modelCpu.push(m.cpu);
}

const e2eGaps: number[] = [];
for (let i = 0; i < turns; i++) {
  e2eGaps.push((await httpTurn(modelClient, GREETING)).deltaAfterToken);
}

// --- planning alone, in process ---------------------------------------------

const kvDir = await Deno.makeTempDir({ prefix: "chartroom-bench-" });
const kv = await openKv(`${kvDir}/bench.kv`);
const settings = modelSettings(loadConfig(llmEnv))!;
const client = createModelClient(settings);
const datasets = demoChatDatasets().map((d) => d.profile);
const sessionId = "01BENCHSESSION0000000000000";

async function planBuiltin(content: string) {
  return planRequest(await withClarifiedContext(kv, sessionId, content), {
    datasets,
    current: null,
  });
}

async function planModel(content: string, onSay?: () => void) {
  const planned = await planWithModel(
    client,
    { kv, sessionId, content, lang: "en", datasets, current: null },
    () => {
      onSay?.();
      return Promise.resolve();
    },
    () => planBuiltin(content),
  );
  await planned.settle();
  if (planned.planner !== "model") throw new Error("the model did not answer");
  return planned;
}

const planBuiltinTimes: number[] = [];
const planModelTimes: number[] = [];
const planBuiltinCpu: number[] = [];
const planModelCpu: number[] = [];
for (let i = -8; i < turns * 2; i++) { // the first 8: warm-up
  const [prompt] = PROMPTS[(i + 8) % PROMPTS.length];
  let started = performance.now();
  let cpuStarted = cpuNow();
  await planBuiltin(prompt);
  const b = performance.now() - started;
  const bCpu = cpuNow() - cpuStarted;
  started = performance.now();
  cpuStarted = cpuNow();
  await planModel(prompt);
  const m = performance.now() - started;
  const mCpu = cpuNow() - cpuStarted;
  if (i >= 0) {
    planBuiltinTimes.push(b);
    planModelTimes.push(m);
    planBuiltinCpu.push(bCpu);
    planModelCpu.push(mCpu);
  }
}

const adapterGaps: number[] = [];
for (let i = 0; i < turns; i++) {
  const before = model.requests.length;
  let said = NaN;
  await planModel(GREETING, () => said ||= performance.now());
  adapterGaps.push(said - model.requests[before].firstTextAt!);
}
kv.close();
await Deno.remove(kvDir, { recursive: true });

const load = Deno.loadavg()[0].toFixed(1);
const cores = navigator.hardwareConcurrency;
console.log(
  `model adapter: stand-in model answering at once over HTTP, temp-file KV, no word pacing, ${turns} of each (load ${load} on ${cores} cores)`,
);
console.log(
  `  whole turn, built-in planner:  ${spread(builtinTimes)}; CPU median ${
    ms(median(builtinCpu))
  }`,
);
console.log(
  `  whole turn, through the model: ${spread(modelTimes)}; CPU median ${
    ms(median(modelCpu))
  }   (same events in ${sameEvents}/${turns} pairs)`,
);
console.log(
  `  adapter overhead per turn: median of paired differences ${
    ms(median(pairs))
  }; CPU ${ms(median(modelCpu) - median(builtinCpu))}   (target ≤ 20 ms)`,
);
console.log(
  `  planning alone: built-in ${spread(planBuiltinTimes)}; model ${
    spread(planModelTimes)
  }; overhead ${ms(median(planModelTimes) - median(planBuiltinTimes))}, CPU ${
    ms(median(planModelCpu) - median(planBuiltinCpu))
  }   (target ≤ 20 ms)`,
);
console.log(
  `  first delta after the model's first token, at the client: ${
    spread(e2eGaps)
  }   (target ≤ 5 ms)`,
);
console.log(
  `    of which the adapter (token → words handed to the turn): ${
    spread(adapterGaps)
  }; the rest is the event log write and the SSE hop`,
);
