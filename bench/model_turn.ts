/**
 * The language-model adapter's cost, over real HTTP on temp-file KVs, with a
 * local stand-in model that answers instantly (`tests/_model_server.ts`):
 *
 * - overhead: the median whole turn (POST to `done`) through the model minus
 *   the median whole turn of the built-in planner, on the same four chart
 *   requests (target ≤ 20 ms);
 * - first delta: from the moment the stand-in writes its first text token
 *   (after a pause of 30 ms, so its response is under way, as a model's is
 *   while it thinks) to the moment the client reads the first `delta` event
 *   (target ≤ 5 ms).
 *
 * Run: `deno run -A bench/model_turn.ts [turns]`.
 */
import { Client, collectFrames, startTestServer } from "../tests/_fixtures.ts";
import { startModelServer, toolCall, words } from "../tests/_model_server.ts";

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

await using model = startModelServer((request) => {
  const asked = request.body.messages.at(-1).content as string;
  if (asked === GREETING) {
    return { ...words("Hello! Ask me for a chart of your data."), thinkMs: 30 };
  }
  return toolCall("make_chart", ARGS.get(asked), {
    text: "Here is the chart you asked for.",
  });
});
await using builtin = await startTestServer({ STREAM_WORD_DELAY_MS: "0" });
await using withModel = await startTestServer({
  STREAM_WORD_DELAY_MS: "0",
  LLM_BASE_URL: model.baseUrl,
  LLM_MODEL: "stand-in",
  LLM_API_KEY: "sk-bench",
});

async function oneTurn(
  server: { url: string },
  sessionId: string,
  content: string,
  client: Client,
) {
  const requestsBefore = model.requests.length;
  const started = performance.now();
  let firstDelta = NaN;
  let planner = "";
  // Times each frame as it arrives (collectFrames asks `until` about every one).
  await collectFrames(
    (await client.json(`/api/sessions/${sessionId}/messages`, "POST", {
      content,
    })).body!,
    (frame) => {
      if (frame.event === "delta") firstDelta ||= performance.now();
      if (frame.event === "done") planner = String(frame.data.planner);
      return false;
    },
  );
  const total = performance.now() - started;
  const firstText = model.requests[requestsBefore]?.firstTextAt;
  void server;
  return {
    total,
    planner,
    deltaAfterToken: firstText === undefined ? NaN : firstDelta - firstText,
  };
}

const builtinClient = new Client(builtin.url);
const modelClient = new Client(withModel.url);
const builtinSession = await builtinClient.createSession();
const modelSession = await modelClient.createSession();
// Each turn in a fresh session, so neither path refines the previous chart.
const run = async (which: "builtin" | "model", i: number) => {
  const [prompt] = PROMPTS[i % PROMPTS.length];
  const client = which === "builtin" ? builtinClient : modelClient;
  const session = i < 0
    ? (which === "builtin" ? builtinSession : modelSession)
    : await client.createSession();
  return await oneTurn(
    which === "builtin" ? builtin : withModel,
    session,
    prompt,
    client,
  );
};
for (let i = 0; i < 8; i++) { // warm-up: JIT, SQLite tables, schemas
  await run("builtin", i);
  await run("model", i);
}
const builtinTimes: number[] = [];
const modelTimes: number[] = [];
for (let i = 0; i < turns; i++) {
  // Alternate, so both paths meet the same machine load.
  const b = await run("builtin", i);
  const m = await run("model", i);
  if (m.planner !== "model") {
    throw new Error(`the model did not answer: ${m.planner}`);
  }
  builtinTimes.push(b.total);
  modelTimes.push(m.total);
}
const deltaGaps: number[] = [];
for (let i = 0; i < turns; i++) {
  const session = await modelClient.createSession();
  const m = await oneTurn(withModel, session, GREETING, modelClient);
  deltaGaps.push(m.deltaAfterToken);
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const fmt = (v: number) => `${v.toFixed(1)} ms`;
const overhead = quantile(modelTimes, 0.5) - quantile(builtinTimes, 0.5);
console.log(
  `model adapter (${turns} turns each, stand-in model answering at once, temp-file KV, no word pacing)`,
);
console.log(
  `  whole turn, built-in planner: median ${
    fmt(quantile(builtinTimes, 0.5))
  }, p90 ${fmt(quantile(builtinTimes, 0.9))}`,
);
console.log(
  `  whole turn, through the model: median ${
    fmt(quantile(modelTimes, 0.5))
  }, p90 ${fmt(quantile(modelTimes, 0.9))}`,
);
console.log(
  `  adapter overhead (median − median): ${fmt(overhead)}   (target ≤ 20 ms)`,
);
console.log(
  `  first delta after the model's first token: median ${
    fmt(quantile(deltaGaps, 0.5))
  }, p90 ${fmt(quantile(deltaGaps, 0.9))}, max ${
    fmt(Math.max(...deltaGaps))
  }   (target ≤ 5 ms)`,
);
