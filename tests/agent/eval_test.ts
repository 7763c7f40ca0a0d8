/**
 * The assistant evaluation, through the real API (`eval/run.ts`): every case
 * of every set is uploaded, asked and judged as `deno task eval` does, and
 * each set's accuracy must stay at or above its committed floor
 * (`eval/floors.json`). The shared sets live outside the repository
 * (`../shared/eval/`) and as a snapshot in `eval/shared/`, which the run reads
 * where the shared folder is absent (CI); a missing set is a failure under
 * CI=true and a loud skip elsewhere.
 */
import assert from "node:assert/strict";
import {
  accuracy,
  evalSets,
  report,
  runEval,
  SHARED_EVAL,
  SHARED_EVAL_COPY,
} from "@/eval/run.ts";

const floors = JSON.parse(
  Deno.readTextFileSync(new URL("../../eval/floors.json", import.meta.url)),
) as Record<string, number>;

const sets = evalSets();
const present = sets.filter((set) => {
  try {
    return Deno.statSync(set.cases).isFile;
  } catch {
    return false;
  }
});
const missing = sets.filter((s) => !present.includes(s));

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

/** Every file of a folder, by relative path, as text. */
function folderFiles(root: URL, at = ""): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of Deno.readDirSync(new URL(at, root))) {
    const path = `${at}${entry.name}`;
    if (entry.isDirectory) {
      for (const [p, text] of folderFiles(root, `${path}/`)) files.set(p, text);
    } else files.set(path, Deno.readTextFileSync(new URL(path, root)));
  }
  return files;
}

Deno.test({
  name:
    "eval: the repository's snapshot (eval/shared) is the shared folder as it is now",
  ignore: (() => {
    try {
      return !Deno.statSync(SHARED_EVAL).isDirectory;
    } catch {
      return true;
    }
  })(),
  fn() {
    const shared = folderFiles(SHARED_EVAL);
    const copy = folderFiles(SHARED_EVAL_COPY);
    const stale = [...shared.keys()].filter((p) =>
      copy.get(p) !== shared.get(p)
    );
    const extra = [...copy.keys()].filter((p) => !shared.has(p));
    assert.deepEqual(
      { stale, extra },
      { stale: [], extra: [] },
      "copy ../shared/eval/ into eval/shared/ again (cp -r ../shared/eval/. eval/shared/)",
    );
  },
});

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
