/**
 * Chat-turn latency over real HTTP on a temp-file KV, built-in planner:
 * time from POST to the first SSE event and to `artifact_created`, median
 * and p90 over N turns. Run: `deno run -A bench/chat_turn.ts [turns]`.
 */
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import { readSse } from "@/lib/client/sse_client.ts";

const turns = Number(Deno.args[0] ?? 40);
const prompts = [
  "line chart of pm25 by date for Kampala",
  "bar chart of average no2 per city",
  "monthly average roe by bank",
  "pie chart of total revenue by region",
];

await using server = await startTestServer({ STREAM_WORD_DELAY_MS: "0" });
const client = new Client(server.url);
const sessionId = await client.createSession();

async function oneTurn(content: string) {
  const started = performance.now();
  const response = await client.json(
    `/api/sessions/${sessionId}/messages`,
    "POST",
    { content },
  );
  let first = NaN;
  let created = NaN;
  for await (const message of readSse(response.body!)) {
    const at = performance.now() - started;
    if (Number.isNaN(first)) first = at;
    if (message.event === "artifact_created") created = at;
  }
  return { first, created, total: performance.now() - started };
}

for (let i = 0; i < 5; i++) await oneTurn(prompts[i % prompts.length]); // warm-up
const results = [];
for (let i = 0; i < turns; i++) {
  results.push(await oneTurn(prompts[i % prompts.length]));
}

const stat = (values: number[]) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms`;
};
console.log(
  `chat turn (${turns} turns, built-in planner, temp-file KV, no word pacing)`,
);
console.log(
  `  first SSE event:   ${
    stat(results.map((r) => r.first))
  }   (target ≤ 50 ms median)`,
);
console.log(
  `  artifact_created:  ${
    stat(results.map((r) => r.created))
  }   (target ≤ 150 ms median)`,
);
console.log(`  whole turn:        ${stat(results.map((r) => r.total))}`);
