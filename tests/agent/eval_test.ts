/**
 * The assistant evaluation, through the real API (`eval/run.ts`): every case
 * of every set is uploaded, asked and judged as `deno task eval` does, and
 * each set's accuracy must stay at or above its committed floor
 * (`eval/floors.json`). The shared sets live outside the repository
 * (`../shared/eval/`); without them the run says so loudly and skips them,
 * except under CI=true, where their absence fails.
 */
import assert from "node:assert/strict";
import { accuracy, evalSets, report, runEval } from "../../eval/run.ts";

const floors = JSON.parse(
  Deno.readTextFileSync(new URL("../../eval/floors.json", import.meta.url)),
) as Record<string, number>;

const present = evalSets().filter((set) => {
  try {
    return Deno.statSync(set.cases).isFile;
  } catch {
    return false;
  }
});
const missing = evalSets().filter((s) => !present.includes(s));

if (missing.length && Deno.env.get("CI") === "true") {
  Deno.test("eval: every eval set is present", () => {
    assert.fail(
      `missing eval sets: ${missing.map((s) => s.cases.pathname).join(", ")}`,
    );
  });
} else if (missing.length) {
  console.warn(
    `\n!!! eval: ${missing.map((s) => s.name).join(", ")} missing (${
      missing.map((s) => s.cases.pathname).join(", ")
    }) — those sets are SKIPPED !!!\n`,
  );
}

Deno.test({
  name: "eval: each set's accuracy through the API stays at or above its floor",
  ignore: present.length === 0,
  async fn() {
    const results = await runEval({ sets: present });
    const below = present.filter((set) =>
      accuracy(results.filter((r) => r.set === set.name)).pct <
        (floors[set.name] ?? 100)
    );
    if (below.length) {
      console.log(report(results));
      assert.fail(
        below.map((set) => {
          const a = accuracy(results.filter((r) => r.set === set.name));
          return `${set.name}: ${
            a.pct.toFixed(1)
          } % (${a.passed}/${a.total}) is below the floor ${
            floors[set.name]
          } %`;
        }).join("\n"),
      );
    }
  },
});
