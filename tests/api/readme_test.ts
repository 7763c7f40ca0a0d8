/**
 * README's API section against the contract: every event the contract has
 * (lib/api/events.ts) is named there, and every field README lists for an
 * event (`name` `{a, b, c}`) is one its schema has; every route of the view
 * contract (lib/api/views.ts `API_VIEWS`) is in its table, and the fields it
 * shows of a view are the view's.
 */
import assert from "node:assert/strict";
import { SESSION_EVENT_NAMES, SessionEventPayload } from "@/lib/api/events.ts";
import { API_VIEWS, DownloadLink, ShareView } from "@/lib/api/views.ts";

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

/** README's API section: from `## API` to the next top-level section. */
function apiSection(): string {
  const start = README.indexOf("\n## API\n");
  return README.slice(start, README.indexOf("\n## ", start + 1));
}

/** The `METHOD path` pairs of README's API table, with `:params` and no query. */
function tableRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const row of apiSection().split("\n")) {
    if (!row.startsWith("| `")) continue;
    const cell = row.split(/(?<!\\)\|/)[1];
    let methods: string[] = [];
    let last = "GET";
    for (
      const m of cell.matchAll(/\b(GET|POST|PATCH|DELETE)\b|(\/[^\s`?{]+)/g)
    ) {
      if (m[1]) methods.push(m[1]);
      else {
        for (const method of methods.length ? methods : [last]) {
          routes.add(`${method} ${m[2]}`);
          last = method;
        }
        methods = [];
      }
    }
  }
  return routes;
}

Deno.test("README: its API table lists every route of the view contract", () => {
  const listed = tableRoutes();
  assert.ok(listed.has("PATCH /api/sessions/:id"), [...listed].join("\n"));
  assert.deepEqual(
    Object.keys(API_VIEWS).filter((route) => !listed.has(route)),
    [],
  );
});

Deno.test("README: the fields it shows of a share link and a signed link are the contract's", () => {
  const shown = (text: string) =>
    [...text.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  const share = /→\s*`(\{"id"[^`]*\})`/.exec(README.replace(/\n/g, " "));
  assert.ok(share, "README shows a share link's fields");
  assert.deepEqual(
    shown(share[1]).sort(),
    Object.keys(ShareView.shape).sort(),
  );
  const link = /`(\{"url", "expires_at", \.\.\.\})`/.exec(README);
  assert.ok(link, "README shows a signed link's fields");
  for (const field of shown(link[1])) {
    assert.ok(field in DownloadLink.shape, `README lists link.${field}`);
  }
});
