/** The interpretation of the chart types added for issue 10: histogram bins read as ranges, donuts as shares. */
import assert from "node:assert/strict";
import { interpretChart } from "@/lib/agent/interpret.ts";
import { simpleInput } from "@/tests/exports/_inputs.ts";

Deno.test("interpret: a histogram names its fullest and emptiest bins by their range", () => {
  const { spec, snapshot } = simpleInput("histogram");
  const text = interpretChart(spec, snapshot);
  assert.match(text, /0\.5\u20130\.75 has the highest value \(14\)/);
  assert.match(text, /1\.25\u20131\.5 the lowest \(2\)/);
});

Deno.test("interpret: a donut states the largest share, as a pie does", () => {
  const { spec } = simpleInput("donut");
  const snapshot = {
    columns: [
      { name: "month", type: "string" as const },
      { name: "revenue", type: "number" as const },
    ],
    rows: [["North", 120], ["South", 150], ["East", 90], ["West", 200]],
  };
  assert.match(
    interpretChart(spec, snapshot),
    /West is the largest share \(35\.7% of the total\)/,
  );
});
