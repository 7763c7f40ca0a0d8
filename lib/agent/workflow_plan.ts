/**
 * Reading a workflow out of a chat message: "remove duplicate postal codes
 * from customers.xlsx and give me an xlsx" becomes drop_duplicates on
 * postal_code, then convert to xlsx, over the session's customers.xlsx.
 *
 * It only answers when the message clearly asks to transform data, so chart
 * requests keep going to the chart planner: an unambiguous operation
 * (remove duplicates, normalise, fill missing values, rename, join, SQL) over
 * the session's only upload or a named one, or a weaker one (sort, filter,
 * select columns, convert) over a dataset named in the message with no chart
 * word in it. Steps follow the order of the message's clauses ("… then …");
 * a requested file format becomes a final convert step.
 */
import type { ColumnProfile, DatasetProfile } from "@/lib/data/table.ts";
import type { Step, WorkflowRequest } from "@/lib/workflows/schema.ts";
import { language, LANGUAGES } from "@/lib/agent/lang/mod.ts";
import type { Lang, Vocabulary } from "@/lib/agent/lang/types.ts";
import {
  fold,
  identifierWords,
  singulars,
  tokenize,
} from "@/lib/agent/planner/text.ts";
import { V } from "@/lib/agent/planner/vocab.ts";

export type WorkflowPlan =
  | { kind: "workflow"; request: WorkflowRequest; reply: string }
  | { kind: "clarify"; question: string; options: string[] };

const FORMAT_OF: Record<string, "csv" | "tsv" | "xlsx" | "json" | "ndjson"> = {
  csv: "csv",
  tsv: "tsv",
  xlsx: "xlsx",
  excel: "xlsx",
  xls: "xlsx",
  spreadsheet: "xlsx",
  planilha: "xlsx",
  json: "json",
  ndjson: "ndjson",
  jsonl: "ndjson",
};
const EXTENSION = /\.(csv|tsv|tab|txt|xlsx|xlsm|json|ndjson|jsonl)$/i;

type WorkflowWords = keyof Vocabulary["workflow"];

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern for any word or phrase of a workflow list, in all three languages (on folded text). */
function words(...keys: WorkflowWords[]): string {
  const all = Object.values(LANGUAGES).flatMap((l) =>
    keys.flatMap((k) => [...l.vocab.workflow[k]])
  );
  return [...new Set(all)].sort((a, b) => b.length - a.length)
    .map((w) => escape(w).replace(/ /g, "[\\s-]+")).join("|");
}
const re = (source: string, flags = "") => new RegExp(source, flags);
const bounded = (...keys: WorkflowWords[]) => re(`\\b(?:${words(...keys)})\\b`);

const DEDUPE = bounded("dedupe");
const NORMALIZE = bounded("normalize", "zscore");
const ZSCORE = bounded("zscore");
const FILL = bounded("fill");
const RENAME = bounded("rename");
const JOIN = bounded("join");
const SORT = bounded("sortRows");
const FILTER = bounded("filterRows");
const SELECT = re(
  `\\b(?:${words("select")})\\b[^.]*\\b(?:${words("columns")})\\b`,
);
const DESC = bounded("descending");
const THEN = re(`\\s*(?:;|\\b(?:${words("then")})\\b)\\s*`);
const MEAN = bounded("mean");
const MEDIAN = bounded("median");
const MODE = bounded("mode");
const WITH_VALUE = re(`\\b(?:${words("with")})\\s+(.+)$`, "i");
const RENAME_TO = re(
  `\\b(?:${words("rename")})\\s+(.+?)\\s+(?:${words("renameTo")})\\s+(.+)$`,
  "i",
);
const JOIN_ON = re(`\\b(?:${words("joinOn")})\\s+(.+)$`);
const LEFT = bounded("left");
const FULL_JOIN = bounded("full");
const FILE_WORDS = bounded("fileWords");
/** A message that is a SQL query ("SELECT …", "sql: WITH …"). */
const SQL_REQUEST = /^\s*(?:sql\s*:\s*)?((?:select|with)\s[\s\S]+)$/i;
/** Where a condition's value ends: "and", "then", a comma. */
const VALUE_END = re(`\\s+(?:${words("clauseAnd")}|and|y|e)\\s+|[,;]`, "i");

interface Ref {
  profile: DatasetProfile;
  names: string[];
}

/** Which of the session's datasets the message names (by name, file name or file stem). */
function mentioned(text: string, refs: Ref[]): Ref | null {
  let best: Ref | null = null;
  let bestLength = 0;
  for (const ref of refs) {
    for (const name of ref.names) {
      const n = fold(name);
      if (n.length < 3) continue;
      const at = text.indexOf(n);
      const before = at > 0 ? text[at - 1] : " ";
      const after = text[at + n.length] ?? " ";
      if (
        at !== -1 && !/[\p{L}\p{N}]/u.test(before) &&
        !/[\p{L}\p{N}]/u.test(after) && n.length > bestLength
      ) {
        best = ref;
        bestLength = n.length;
      }
    }
  }
  return best;
}

/** Columns named in a clause, in the order they appear. */
function columnsIn(clause: string, columns: ColumnProfile[]): ColumnProfile[] {
  // Split identifiers too: "postal_code" names the column postal_code.
  const toks = fold(clause).match(/\p{L}+|\p{N}+/gu) ?? [];
  const found: { col: ColumnProfile; at: number }[] = [];
  for (const col of columns) {
    const words = identifierWords(col.name);
    if (words.length === 0) continue;
    for (let i = 0; i + words.length <= toks.length; i++) {
      const hit = words.every((w, k) =>
        singulars(toks[i + k]).includes(w) || toks[i + k] === w
      );
      if (hit) {
        found.push({ col, at: i });
        break;
      }
    }
  }
  // A longer name that covers a shorter one ("postal code" over "code") wins.
  return found
    .filter((f) =>
      !found.some((g) =>
        g !== f &&
        identifierWords(g.col.name).length >
          identifierWords(f.col.name).length &&
        g.at <= f.at && f.at < g.at + identifierWords(g.col.name).length
      )
    )
    .sort((a, b) => a.at - b.at)
    .map((f) => f.col);
}

const NUMERIC = new Set(["integer", "number"]);

function valueOf(raw: string, col: ColumnProfile): string | number {
  const text = raw.trim().replace(/^["'“‘]|["'”’.]$/g, "").trim();
  if (NUMERIC.has(col.type) && text !== "" && Number.isFinite(Number(text))) {
    return Number(text);
  }
  const match = (col.distinct ?? []).find((v) =>
    v.toLowerCase() === text.toLowerCase()
  );
  return match ?? text;
}

type FilterOp = Extract<
  Step,
  { operation: "filter" }
>["arguments"]["conditions"][number]["op"];

function comparisons(key: "gt" | "gte" | "lt" | "lte"): string {
  const all = Object.values(LANGUAGES).flatMap((
    l,
  ) => [...l.vocab.comparisons[key]])
    .filter((w) => !/^(or|o|ou) /.test(w));
  return [...new Set(all)].sort((a, b) => b.length - a.length)
    .map((w) => escape(w).replace(/ /g, "\\s+")).join("|");
}

/** Condition words at the start of what follows a column name, longest first per kind. */
const OPS: [RegExp, FilterOp][] = [
  [re(`^(?:${comparisons("gte")})\\s*`), "gte"],
  [re(`^(?:${comparisons("lte")})\\s*`), "lte"],
  [re(`^(?:${words("ne")})\\s*`), "ne"],
  [re(`^(?:${comparisons("gt")})\\s*`), "gt"],
  [re(`^(?:${comparisons("lt")})\\s*`), "lt"],
  [re(`^(?:${words("contains")})\\s*`), "contains"],
  [re(`^(?:${words("eq")})\\s+|^(?:==|=)\\s*`), "eq"],
];

function filterStep(
  clause: string,
  original: string,
  columns: ColumnProfile[],
): Step | null {
  const cols = columnsIn(clause, columns);
  if (!cols.length) return null;
  const conditions = [];
  for (const col of cols) {
    const words = identifierWords(col.name);
    const pattern = new RegExp(
      `${words.map((w) => `${w}\\w*`).join("[\\s_-]*")}\\s*`,
      "i",
    );
    const at = pattern.exec(fold(original));
    if (!at) continue;
    const rest = original.slice(at.index + at[0].length);
    const foldedRest = fold(rest);
    for (const [re, op] of OPS) {
      const m = re.exec(foldedRest);
      if (!m) continue;
      const valueText = rest.slice(m[0].length).split(VALUE_END)[0];
      if (!valueText.trim()) break;
      conditions.push({ column: col.name, op, value: valueOf(valueText, col) });
      break;
    }
  }
  return conditions.length
    ? { operation: "filter", arguments: { conditions, match: "all" } }
    : null;
}

/** The SQL query a message consists of ("SELECT …", "sql: WITH …"), or null. */
export function sqlOfMessage(text: string): string | null {
  return SQL_REQUEST.exec(text)?.[1].trim() ?? null;
}

/**
 * Whether a message names a workflow operation (or is SQL) in any of the
 * three languages: a model may only run a workflow a person asked for.
 */
export function namesWorkflowOperation(text: string): boolean {
  if (SQL_REQUEST.test(text)) return true;
  const folded = fold(text);
  const toks = tokenize(text).map((t) => t.text);
  const convert = FILE_WORDS.test(folded) && toks.some((t) => FORMAT_OF[t]);
  return convert ||
    [DEDUPE, NORMALIZE, FILL, RENAME, JOIN, SORT, FILTER, SELECT].some((r) =>
      r.test(folded)
    );
}

/** What the assistant says when a workflow starts: its input and steps, in the request's language. */
export function workflowReply(
  inputName: string,
  steps: Step[],
  lang: Lang,
): string {
  const t = language(lang).text;
  return t.workflowRunning(
    inputName,
    steps.map((step) => describeStep(step, lang)).join(t.steps.then),
  );
}

function describeStep(step: Step, lang: Lang): string {
  const t = language(lang).text.steps;
  const list = (xs: string[]) => xs.join(", ");
  switch (step.operation) {
    case "drop_duplicates":
      return t.dedupe(step.arguments.columns && list(step.arguments.columns));
    case "convert":
      return t.convert(step.arguments.format.toUpperCase());
    case "normalize":
      return t.normalize(
        list(step.arguments.columns),
        step.arguments.method.replace("_", "-"),
      );
    case "fill_missing":
      return t.fill(
        step.arguments.columns && list(step.arguments.columns),
        step.arguments.strategy === "value"
          ? t.fillWith(String(step.arguments.value))
          : step.arguments.strategy,
      );
    case "sort":
      return t.sort(
        list(
          step.arguments.by.map((b) =>
            `${b.column}${b.direction === "desc" ? t.descending : ""}`
          ),
        ),
      );
    case "filter":
      return t.filter(
        step.arguments.conditions.map((c) =>
          `${c.column} ${c.op} ${c.value ?? ""}`.trim()
        ).join(t.and),
      );
    case "select_columns":
      return t.select(list(step.arguments.columns));
    case "rename_columns":
      return t.rename(
        list(
          Object.entries(step.arguments.mapping).map(([a, b]) =>
            t.renamePair(a, b)
          ),
        ),
      );
    case "join":
      return t.join(step.arguments.dataset);
    case "sql":
      return t.sql;
  }
}

/** Splits a message at "then"-words and semicolons; folding keeps positions, so both forms split alike. */
function splitClauses(
  text: string,
  folded: string,
): { clause: string; original: string }[] {
  const same = folded.length === text.length;
  const out: { clause: string; original: string }[] = [];
  const then = new RegExp(THEN.source, "g");
  let start = 0;
  for (const m of folded.matchAll(then)) {
    out.push({
      clause: folded.slice(start, m.index),
      original: (same ? text : folded).slice(start, m.index),
    });
    start = m.index + m[0].length;
  }
  out.push({
    clause: folded.slice(start),
    original: (same ? text : folded).slice(start),
  });
  return out.filter((c) => c.clause.trim());
}

/**
 * Returns a workflow (or a question about which dataset) when the message
 * asks to transform a dataset of the session, else null.
 */
export function planWorkflow(
  text: string,
  datasets: DatasetProfile[],
  lang: Lang,
): WorkflowPlan | null {
  const refs: Ref[] = datasets
    .filter((d) => !d.id.startsWith("demo:"))
    .map((d) => ({
      profile: d,
      names: [d.name, d.name.replace(EXTENSION, "")],
    }));
  if (refs.length === 0) return null;
  const folded = fold(text);
  const sql = sqlOfMessage(text);
  const named = mentioned(folded, refs);
  const uploads = refs.filter((r) => !r.profile.name.includes(" · "));
  const input = named ?? (uploads.length === 1 ? uploads[0] : null);
  const toks = tokenize(text).map((t) => t.text);
  const chartWords = toks.some((t) =>
    V.chartNouns.has(t) ||
    Object.values(V.chartKinds).some((kind) => kind.has(t))
  );

  const steps: Step[] = [];
  let strong = false;
  if (sql) {
    steps.push({ operation: "sql", arguments: { query: sql } });
    strong = true;
  }
  const columns = input?.profile.columns ?? [];
  const nameTokens = new Set(
    input ? input.names.flatMap((n) => tokenize(n).map((t) => t.text)) : [],
  );
  const clauses = sql ? [] : splitClauses(text, folded);
  clauses.forEach(({ clause, original }) => {
    // Columns are looked for only once the clause names an operation.
    let found: ColumnProfile[] | null = null;
    const colsOf = () =>
      found ??= columnsIn(clause, columns).filter((c) =>
        !nameTokens.has(fold(c.name))
      );
    if (DEDUPE.test(clause)) {
      strong = true;
      steps.push({
        operation: "drop_duplicates",
        arguments: colsOf().length
          ? { columns: colsOf().map((c) => c.name), keep: "first" }
          : { keep: "first" },
      });
    } else if (NORMALIZE.test(clause)) {
      strong = true;
      const numeric = (colsOf().length ? colsOf() : columns).filter((c) =>
        NUMERIC.has(c.type)
      );
      if (numeric.length) {
        steps.push({
          operation: "normalize",
          arguments: {
            columns: numeric.map((c) => c.name),
            method: ZSCORE.test(clause) ? "z_score" : "min_max",
          },
        });
      }
    } else if (FILL.test(clause)) {
      strong = true;
      const strategy = MEAN.test(clause)
        ? "mean"
        : MEDIAN.test(clause)
        ? "median"
        : MODE.test(clause)
        ? "mode"
        : "value";
      const value = WITH_VALUE.exec(original)?.[1]?.trim()
        .replace(/^["'“]|["'”.]$/g, "");
      if (strategy !== "value" || value) {
        steps.push({
          operation: "fill_missing",
          arguments: {
            ...(colsOf().length
              ? { columns: colsOf().map((c) => c.name) }
              : {}),
            strategy,
            ...(strategy === "value"
              ? {
                value: Number.isFinite(Number(value)) && value !== ""
                  ? Number(value)
                  : value!,
              }
              : {}),
          },
        });
      }
    } else if (RENAME.test(clause)) {
      strong = true;
      const m = RENAME_TO
        .exec(original);
      const from = m ? columnsIn(fold(m[1]), columns)[0] : undefined;
      const to = m?.[2]?.trim().replace(/^["'“]|["'”.]$/g, "");
      if (from && to) {
        steps.push({
          operation: "rename_columns",
          arguments: { mapping: { [from.name]: to.slice(0, 128) } },
        });
      }
    } else if (JOIN.test(clause)) {
      const others = refs.filter((r) => r !== input && mentioned(clause, [r]));
      const other = others[0];
      const on = JOIN_ON.exec(clause);
      const keys = on && other ? columnsIn(on[1], other.profile.columns) : [];
      if (other && keys.length) {
        strong = true;
        steps.push({
          operation: "join",
          arguments: {
            dataset: other.profile.id,
            on: keys.map((k) => k.name),
            how: LEFT.test(clause)
              ? "left"
              : FULL_JOIN.test(clause)
              ? "full"
              : "inner",
          },
        });
      }
    } else if (SORT.test(clause) && colsOf().length) {
      const desc = DESC.test(clause);
      steps.push({
        operation: "sort",
        arguments: {
          by: colsOf().map((c) => ({
            column: c.name,
            direction: desc ? "desc" : "asc",
          })),
        },
      });
    } else if (SELECT.test(clause) && colsOf().length) {
      steps.push({
        operation: "select_columns",
        arguments: { columns: colsOf().map((c) => c.name) },
      });
    } else if (FILTER.test(clause)) {
      const step = filterStep(clause, original, columns);
      if (step) steps.push(step);
    }
  });
  const formatWord = toks.find((t, i) =>
    FORMAT_OF[t] &&
    !(nameTokens.has(t) && toks[i - 1] !== undefined &&
      nameTokens.has(toks[i - 1]))
  );
  const wantsFile = formatWord &&
    FILE_WORDS
      .test(folded);
  if (wantsFile) {
    steps.push({
      operation: "convert",
      arguments: { format: FORMAT_OF[formatWord!] },
    });
  }
  if (steps.length === 0) return null;
  if (!strong && (!named || chartWords)) return null;
  if (!input) {
    return {
      kind: "clarify",
      question: language(lang).text.workflowWhich,
      options: uploads.map((r) => r.profile.name).slice(0, 10),
    };
  }
  return {
    kind: "workflow",
    request: { input: input.profile.id, steps },
    reply: workflowReply(input.profile.name, steps, lang),
  };
}
