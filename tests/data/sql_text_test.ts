import assert from "node:assert/strict";
import { inlineParams } from "@/lib/data/sql_text.ts";

Deno.test("sql text: parameters are written in as literals, quotes doubled", () => {
  assert.equal(
    inlineParams(
      'SELECT "a?" FROM data WHERE "city" = ? AND "n" > ? AND x = \'?\'',
      [
        "O'Brien",
        3.5,
      ],
    ),
    "SELECT \"a?\" FROM data WHERE \"city\" = 'O''Brien' AND \"n\" > 3.5 AND x = '?'",
  );
  assert.equal(inlineParams("SELECT ?", [null]), "SELECT NULL");
});
