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
import type { ColumnProfile, DatasetProfile } from "../data/table.ts";
import type { Step, WorkflowRequest } from "../workflows/schema.ts";
import * as W from "./words.ts";
import {
  fold,
  identifierWords,
  type Lang,
  singulars,
  tokenize,
} from "./words.ts";

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

const DEDUPE =
  /\b(duplicates?|duplicated|duplicados?|duplicadas?|duplicatas?|dedupe|deduplicate|dedup|repetidos?|repetidas?)\b/;
const NORMALIZE =
  /\b(normali[sz]e|normali[sz]ed|normalizar|normaliza|standardi[sz]e|z[ -]?score|min[ -]?max|rescale)\b/;
const FILL =
  /\b(fill|rellenar|rellena|completar|completa|preencher|preenche|impute)\b/;
const RENAME = /\b(rename|renombrar|renombra|renomear|renomeia)\b/;
const JOIN = /\b(join|merge|juntar|junta|unir|une|combinar|combina)\b/;
const SORT = /\b(sort|order|ordenar|ordena|ordene)\b/;
const FILTER =
  /\b(where|donde|onde|filter|filtrar|filtra|only rows|keep rows|rows with|rows where)\b/;
const SELECT =
  /\b(select|keep|extract|extraer|extrae|extrair|seleccionar|selecciona|selecionar|seleciona|only)\b[^.]*\b(columns?|columnas?|colunas?)\b/;
const DESC =
  /\b(desc|descending|descendente|decrescente|largest first|highest first|de mayor a menor|do maior para o menor|z to a)\b/;
const THEN =
  /\s*(?:;|\bthen\b|\band then\b|\bluego\b|\bdespues\b|\bdepois\b|\bentao\b|\by despues\b|\be depois\b)\s*/;

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
  const toks = fold(clause).match(/[\p{L}\p{N}]+/gu) ?? [];
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

const OPS: [
  RegExp,
  Extract<
    Step,
    { operation: "filter" }
  >["arguments"]["conditions"][number]["op"],
][] = [
  [/^(?:>=|≥|is at least|at least)\s*/, "gte"],
  [/^(?:<=|≤|is at most|at most)\s*/, "lte"],
  [/^(?:!=|<>|is not|isn't|is different from|no es|nao e)\s*/, "ne"],
  [
    /^(?:>|is greater than|greater than|is more than|more than|above|over|mayor que|maior que)\s*/,
    "gt",
  ],
  [/^(?:<|is less than|less than|below|under|menor que)\s*/, "lt"],
  [/^(?:contains|contiene|contem)\s*/, "contains"],
  [/^(?:==|=|is|equals|is equal to|es|e|igual a)\s+|^(?:==|=)\s*/, "eq"],
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
      const valueText = rest.slice(m[0].length).split(
        /\s+(?:and|y|e|then|luego|depois)\s+|[,;]/i,
      )[0];
      if (!valueText.trim()) break;
      conditions.push({ column: col.name, op, value: valueOf(valueText, col) });
      break;
    }
  }
  return conditions.length
    ? { operation: "filter", arguments: { conditions, match: "all" } }
    : null;
}

const TEXT: Record<
  Lang,
  { running: (name: string, steps: string) => string; which: string }
> = {
  en: {
    running: (name, steps) => `Running a workflow on ${name}: ${steps}.`,
    which: "Which dataset should I use?",
  },
  es: {
    running: (name, steps) =>
      `Ejecuto un flujo de trabajo sobre ${name}: ${steps}.`,
    which: "¿Qué conjunto de datos uso?",
  },
  pt: {
    running: (name, steps) =>
      `Executo um fluxo de trabalho sobre ${name}: ${steps}.`,
    which: "Qual conjunto de dados devo usar?",
  },
};

function describeStep(step: Step): string {
  switch (step.operation) {
    case "drop_duplicates":
      return `remove duplicates${
        step.arguments.columns ? ` of ${step.arguments.columns.join(", ")}` : ""
      }`;
    case "convert":
      return `save as ${step.arguments.format.toUpperCase()}`;
    case "normalize":
      return `normalize ${step.arguments.columns.join(", ")} (${
        step.arguments.method.replace("_", "-")
      })`;
    case "fill_missing":
      return `fill missing values${
        step.arguments.columns ? ` of ${step.arguments.columns.join(", ")}` : ""
      } (${
        step.arguments.strategy === "value"
          ? `with ${step.arguments.value}`
          : step.arguments.strategy
      })`;
    case "sort":
      return `sort by ${
        step.arguments.by.map((b) =>
          `${b.column}${b.direction === "desc" ? " (descending)" : ""}`
        ).join(", ")
      }`;
    case "filter":
      return `keep rows where ${
        step.arguments.conditions.map((c) =>
          `${c.column} ${c.op} ${c.value ?? ""}`.trim()
        ).join(" and ")
      }`;
    case "select_columns":
      return `keep the columns ${step.arguments.columns.join(", ")}`;
    case "rename_columns":
      return `rename ${
        Object.entries(step.arguments.mapping).map(([a, b]) => `${a} to ${b}`)
          .join(", ")
      }`;
    case "join":
      return `join with ${step.arguments.dataset}`;
    case "sql":
      return "run your SQL";
  }
}

/** Splits a message at "then"-words and semicolons; folding keeps positions, so both forms split alike. */
function splitClauses(
  text: string,
  folded: string,
): { clause: string; original: string }[] {
  const same = folded.length === text.length;
  const out: { clause: string; original: string }[] = [];
  const re = new RegExp(THEN.source, "g");
  let start = 0;
  for (const m of folded.matchAll(re)) {
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
  const sqlMatch = /^\s*(?:sql\s*:\s*)?((?:select|with)\s[\s\S]+)$/i.exec(text);
  const named = mentioned(folded, refs);
  const uploads = refs.filter((r) => !r.profile.name.includes(" · "));
  const input = named ?? (uploads.length === 1 ? uploads[0] : null);
  const toks = tokenize(text);
  const chartWords = toks.some((t) =>
    W.CHART_NOUNS.has(t) ||
    Object.values(W.CHART_TYPE_WORDS).some((ws) => ws.includes(t))
  );

  const steps: Step[] = [];
  let strong = false;
  if (sqlMatch) {
    steps.push({ operation: "sql", arguments: { query: sqlMatch[1].trim() } });
    strong = true;
  }
  const columns = input?.profile.columns ?? [];
  const nameTokens = new Set(
    input ? input.names.flatMap((n) => tokenize(n)) : [],
  );
  const clauses = sqlMatch ? [] : splitClauses(text, folded);
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
            method: /z[ -]?score|standardi/.test(clause)
              ? "z_score"
              : "min_max",
          },
        });
      }
    } else if (FILL.test(clause)) {
      strong = true;
      const strategy = /\b(mean|average|media|promedio)\b/.test(clause)
        ? "mean"
        : /\bmedian[a]?\b/.test(clause)
        ? "median"
        : /\b(mode|moda|most common|mas comun|mais comum)\b/.test(clause)
        ? "mode"
        : "value";
      const value = /\b(?:with|con|com)\s+(.+)$/i.exec(original)?.[1]?.trim()
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
      const m =
        /\b(?:rename|renombrar|renombra|renomear|renomeia)\s+(.+?)\s+(?:to|as|a|para|como)\s+(.+)$/i
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
      const on = /\b(?:on|by|por|using)\s+(.+)$/.exec(clause);
      const keys = on && other ? columnsIn(on[1], other.profile.columns) : [];
      if (other && keys.length) {
        strong = true;
        steps.push({
          operation: "join",
          arguments: {
            dataset: other.profile.id,
            on: keys.map((k) => k.name),
            how: /\bleft\b/.test(clause)
              ? "left"
              : /\bfull|outer\b/.test(clause)
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
    /\b(give|as|to|into|in|en|em|como|para|convert|convierte|converte|export|save|download|file|archivo|arquivo|formato|format)\b/
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
      question: TEXT[lang].which,
      options: uploads.map((r) => r.profile.name).slice(0, 10),
    };
  }
  return {
    kind: "workflow",
    request: { input: input.profile.id, steps },
    reply: TEXT[lang].running(
      input.profile.name,
      steps.map(describeStep).join(", then "),
    ),
  };
}
