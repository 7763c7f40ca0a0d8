/**
 * README's API section against the event contract (lib/api/events.ts): every
 * event the contract has is named there, and every field README lists for an
 * event (`name` `{a, b, c}`) is one its schema has.
 */
import assert from "node:assert/strict";
import {
  SESSION_EVENT_NAMES,
  SessionEventPayload,
} from "../../lib/api/events.ts";

const README = Deno.readTextFileSync(
  new URL("../../README.md", import.meta.url),
);

function fieldsOf(name: string): string[] {
  const option = SessionEventPayload.options.find((o) =>
    o.shape.event.value === name
  )!;
  return Object.keys(option.shape.data.shape);
}

Deno.test("README: names every session event of the contract", () => {
  const missing = SESSION_EVENT_NAMES.filter((name) =>
    !README.includes(`\`${name}\``)
  );
  assert.deepEqual(missing, []);
});

Deno.test("README: the fields it lists for each event are the contract's", () => {
  const listed = /`([a-z_]+)`(?:\s*\/\s*`([a-z_]+)`)?\s*`\{([^}`]*)\}`/g;
  let checked = 0;
  for (const m of README.matchAll(listed)) {
    for (const name of [m[1], m[2]].filter(Boolean)) {
      if (!(SESSION_EVENT_NAMES as readonly string[]).includes(name)) continue;
      // Top-level names only: `outputs: [{…}]` lists outputs' own fields.
      const fields = m[3].replace(/\[[^\]]*\]?/g, "").split(",")
        .map((f) => f.trim().replace(/[?:].*$/, "").trim()).filter(Boolean);
      const known = fieldsOf(name);
      for (const field of fields) {
        assert.ok(known.includes(field), `README lists ${name}.${field}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 20, `only ${checked} fields were found in README`);
});
