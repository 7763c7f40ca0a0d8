/**
 * The layer rules of docs/architecture.md, checked on the source: the import
 * graph of the app's own modules (static `import`/`export … from` and dynamic
 * `import()`), where KV is called, where KV keys are written and where the
 * environment is read, and that no API or event payload is cast (`as`) outside
 * the contract (lib/api/). A change that breaks a rule fails here, naming the
 * file and the rule. The few known breaches are listed in `KNOWN` with the
 * reason they stay; one that is fixed must leave the list.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
/** The app's own code; tests, benches, scripts and the eval are not layered. */
const SOURCE_DIRS = ["lib", "routes", "islands", "components"];
const SOURCE_FILES = ["main.ts", "serve.ts"];
/** The one module that reads the environment. */
const CONFIG_MODULE = "lib/config.ts";

/** A breach: the rule broken, where, and what. */
interface Breach {
  rule: string;
  file: string;
  detail: string;
}

/** Known breaches that stay for now, by `rule file detail`, with the reason. */
const KNOWN: Record<string, string> = {};

function walk(dir: URL, rel: string, out: string[]) {
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${rel}/${entry.name}`;
    if (entry.isDirectory) walk(new URL(`${entry.name}/`, dir), path, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
}

function sourceFiles(): string[] {
  const out: string[] = [...SOURCE_FILES];
  for (const dir of SOURCE_DIRS) walk(new URL(`${dir}/`, ROOT), dir, out);
  return out.sort();
}

/** Source text without comments, so a rule quoted in prose is not a breach. */
function code(file: string): string {
  return Deno.readTextFileSync(new URL(file, ROOT))
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** Returns the app modules a file imports, as paths from the repository root. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']((?:\.{1,2}|@)\/[^"']+)["']/gm;
  for (const m of text.matchAll(pattern)) {
    // `@/` is the repository root (deno.json's import alias).
    if (m[1].startsWith("@/")) {
      out.push(m[1].slice(2));
      continue;
    }
    const url = new URL(m[1], new URL(file, ROOT));
    out.push(url.pathname.slice(ROOT.pathname.length));
  }
  return out;
}

/** The layer a module belongs to. */
function layer(path: string): string {
  if (path.startsWith("lib/http/")) return "http";
  if (path.startsWith("lib/kv/")) return "storage";
  if (path.startsWith("routes/")) return "routes";
  if (
    path.startsWith("islands/") || path.startsWith("components/") ||
    path.startsWith("lib/client/")
  ) return "ui";
  if (path === "lib/server.ts" || !path.startsWith("lib/")) return "wiring";
  return "domain";
}

/** The names lib/api exports (views, events and their types). */
function contractNames(): Set<string> {
  const names = new Set<string>();
  for (const entry of Deno.readDirSync(new URL("lib/api/", ROOT))) {
    const text = code(`lib/api/${entry.name}`);
    for (
      const m of text.matchAll(
        /\bexport\s+(?:type|const|interface|class|function)\s+(\w+)/g,
      )
    ) names.add(m[1]);
  }
  return names;
}
const CONTRACT = contractNames();

/** Casts of an API or event payload: to a contract type, or of a response body. */
function payloadCasts(text: string, contract: Set<string>): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bas\s+(?:typeof\s+)?([A-Z]\w*)\b/g)) {
    if (contract.has(m[1])) found.push(m[0]);
  }
  for (
    const m of text.matchAll(
      /\.json\(\)\)?\s+as\b|\bxhr\.response\s+as\b|\bparse\([^)]*\)\s+as\s+\w*(?:Event|View)\b/g,
    )
  ) found.push(m[0]);
  return found;
}

/** Each rule: the breaches it finds in one file. */
function breachesOf(file: string): Breach[] {
  const text = code(file);
  const found: Breach[] = [];
  const add = (rule: string, detail: string) =>
    found.push({ rule, file, detail });
  const from = layer(file);
  for (const target of importsOf(file, text)) {
    const to = layer(target);
    if (to === "routes" && file !== "fresh.gen.ts") {
      add("only the manifest imports routes", target);
    }
    if (from === "domain" && to === "http") {
      add("domain imports lib/http", target);
    }
    if (
      (from === "domain" || from === "storage") &&
      (to === "ui" || to === "routes")
    ) add("lib imports pages or islands", target);
    if (from === "storage" && to === "http") {
      add("storage imports lib/http", target);
    }
    if (from === "ui" && ["storage", "http"].includes(to)) {
      add("ui imports server modules", target);
    }
    if (
      file.startsWith("lib/charts/") &&
      (target.startsWith("lib/drawing/") ||
        target.startsWith("lib/render_api/"))
    ) add("lib/charts imports drawing", target);
    if (file.startsWith("lib/data/") && target.startsWith("lib/exports/")) {
      add("lib/data imports lib/exports", target);
    }
  }
  if (from !== "storage") {
    for (
      const m of text.matchAll(
        /\bDeno\.openKv\(|\.atomic\(\)|\bkv\.(?:get|getMany|set|delete|list|watch|enqueue|listenQueue)\b/g,
      )
    ) add("KV called outside lib/kv", m[0]);
  }
  if (file !== "lib/kv/keys.ts") {
    for (
      const m of text.matchAll(
        /(?:\b(?:key|prefix|start|end)\s*:\s*|\b(?:kv|op|atomic)\.\w+(?:<[^>()]*>)?\(\s*|\.(?:check|set|delete|sum|min|max)\(\s*)\[\s*["'`][a-z_]+["'`]/g,
      )
    ) add("KV key literal outside keys.ts", m[0].replace(/\s+/g, " "));
  }
  if (!file.startsWith("lib/api/")) {
    for (const cast of payloadCasts(text, CONTRACT)) {
      add("API or event payload cast outside lib/api", cast);
    }
  }
  if (file !== CONFIG_MODULE && /\bDeno\.env\b/.test(text)) {
    add("Deno.env outside the config module", "Deno.env");
  }
  return found;
}

function allBreaches(): Breach[] {
  return sourceFiles().flatMap(breachesOf);
}

const id = (b: Breach) => `${b.rule} ${b.file} ${b.detail}`;

Deno.test("architecture: no module breaks a layer rule (wrong-way import, KV outside lib/kv, key literal outside keys.ts, Deno.env outside config, API payload cast outside lib/api)", () => {
  const unknown = allBreaches().filter((b) => !(id(b) in KNOWN));
  assert.deepEqual(
    unknown.map(id),
    [],
    `layer rules broken (see docs/architecture.md):\n${
      unknown.map((b) => `  ${b.file}: ${b.rule} (${b.detail})`).join("\n")
    }`,
  );
});

Deno.test("architecture: every known breach still exists (a fixed one leaves the list)", () => {
  const present = new Set(allBreaches().map(id));
  assert.deepEqual(Object.keys(KNOWN).filter((k) => !present.has(k)), []);
});

Deno.test("architecture: the rules see a breach of each kind", () => {
  // The checks themselves, on lines that break each rule.
  const probe = (file: string, text: string) => {
    const b: Breach[] = [];
    for (const target of importsOf(file, text)) {
      if (layer(file) === "domain" && layer(target) === "http") {
        b.push({ rule: "domain imports lib/http", file, detail: target });
      }
    }
    return b;
  };
  assert.equal(
    probe("lib/data/dates.ts", 'import { x } from "../http/identity.ts";')[0]
      ?.detail,
    "lib/http/identity.ts",
  );
  assert.deepEqual(
    payloadCasts(
      "const a = (await r.json()) as Thing;\nconst v = x as ArtifactView;",
      CONTRACT,
    ),
    ["as ArtifactView", ".json()) as"],
  );
  assert.ok(CONTRACT.has("SessionEventPayload") && CONTRACT.has("DatasetView"));
  assert.deepEqual(
    importsOf("lib/a/b.ts", 'const m = await import("../kv/keys.ts");'),
    ["lib/kv/keys.ts"],
  );
  assert.deepEqual(
    importsOf("lib/a/b.ts", 'import { k } from "@/lib/kv/keys.ts";'),
    ["lib/kv/keys.ts"],
  );
  assert.deepEqual(
    importsOf("lib/a/b.ts", 'export { y } from "./c.ts";\nimport "./d.ts";'),
    ["lib/a/c.ts", "lib/a/d.ts"],
  );
});
