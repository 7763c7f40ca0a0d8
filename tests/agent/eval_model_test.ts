/**
 * `deno task eval --model`: the evaluation through a configured model. A
 * local stand-in model answers a case of the repository's own set with a
 * make_chart call; the case is judged like any other, and the report counts
 * who answered.
 */
import assert from "node:assert/strict";
import { evalSets, report, runEval } from "@/eval/run.ts";
import { startModelServer, toolCall } from "@/tests/_model_server.ts";

/** The id of an uploaded dataset, read from the DATA section of the model's context. */
function datasetId(system: string, name: string): string {
  const data = JSON.parse(
    system.slice(system.indexOf("[", system.indexOf("DATA ("))).split(
      "\n\n",
    )[0],
  ) as { id: string; name: string }[];
  return data.find((d) => d.name === name)!.id;
}

Deno.test("eval --model: a case runs through the model and is judged; failures fall back and are counted", async () => {
  let fail = false;
  await using model = startModelServer((request) =>
    fail ? { status: 500 } : toolCall("make_chart", {
      dataset: datasetId(request.body.messages[0].content, "grunfeld.csv"),
      chart_type: "bar",
      measures: [{ column: "invest", agg: "avg" }],
      x: { column: "firm" },
    })
  );
  const sets = evalSets().filter((s) => s.name === "statsmodels");
  const env = { LLM_BASE_URL: model.baseUrl, LLM_MODEL: "stand-in" };
  const [byModel] = await runEval({
    sets,
    only: { caseId: "s-en-01" },
    model: env,
  });
  assert.equal(byModel.failure, null);
  assert.deepEqual(byModel.planners, ["model"]);
  assert.equal(model.requests.length, 1);
  assert.match(
    report([byModel]),
    /turns answered by the model: 1\/1; by the built-in planner after the model failed: 0/,
  );

  fail = true;
  const [fallback] = await runEval({
    sets,
    only: { caseId: "s-en-01" },
    model: env,
  });
  assert.deepEqual(fallback.planners, ["builtin"]);
  assert.equal(fallback.failure, null, "the built-in planner's chart passes");
});
