/**
 * The tools a model may call — the same things the built-in planner does:
 * describe the datasets, make or refine a chart, export the current chart,
 * run a workflow, ask a clarifying question. Their JSON Schemas are generated
 * from zod schemas built for the session's own datasets; every call is parsed
 * and checked, and answers with information for the model, an error it can
 * correct, or the plan the turn carries out. Tools that make a file or change
 * data run only when the person's own words asked for that.
 */
import { z } from "zod";
import type { DatasetProfile } from "@/lib/data/table.ts";
import { EXPORT_FORMATS } from "@/lib/exports/mod.ts";
import { type Step, WorkflowRequest } from "@/lib/workflows/schema.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import { chartPlan } from "@/lib/agent/planner/describe.ts";
import { formatName } from "@/lib/agent/planner/mod.ts";
import { tokenize } from "@/lib/agent/planner/text.ts";
import { FORMAT_PHRASES, V } from "@/lib/agent/planner/vocab.ts";
import type { ChartQuery, Plan } from "@/lib/agent/planner/types.ts";
import {
  namesWorkflowOperation,
  sqlOfMessage,
  workflowReply,
} from "@/lib/agent/workflow_plan.ts";
import {
  type ArgIssue,
  argsOf,
  type ChartArgs,
  chartArgSchemas,
  checkChartArgs,
  refinedArgs,
  toChartQuery,
} from "./chart_args.ts";
import type { ChatCompletionTool } from "./client.ts";
import { describeDatasets } from "./facts.ts";
import type { ModelToolCall } from "./stream.ts";

export const TOOL_NAMES = [
  "describe_datasets",
  "make_chart",
  "refine_chart",
  "export_chart",
  "run_workflow",
  "ask_clarifying_question",
] as const;
export type ToolName = typeof TOOL_NAMES[number];

/** What a tool call comes to. */
export type ToolOutcome =
  /** Information for the model; it goes on. */
  | { kind: "info"; content: string }
  /** An argument the model should correct. */
  | { kind: "error"; content: string }
  /** The turn's action: the model's part is over. */
  | { kind: "action"; plan: Plan };

export interface ToolContext {
  datasets: DatasetProfile[];
  current: { artifactId: string; query: ChartQuery } | null;
  lang: Lang;
  /** The person's own words this turn (and the question they answered): what side effects must be asked for in. */
  asked: string;
}

export interface ToolSet {
  definitions: ChatCompletionTool[];
  run(call: ModelToolCall): ToolOutcome;
}

const DescribeArgs = (ids: [string, ...string[]]) =>
  z.object({
    datasets: z.array(z.enum(ids)).max(50).optional().describe(
      "ids of the datasets to describe; omit for all",
    ),
  }).strict();
const ExportArgs = z.object({ format: z.enum(EXPORT_FORMATS) }).strict();
const AskArgs = z.object({
  question: z.string().trim().min(1).max(500),
  options: z.array(z.string().trim().min(1).max(100)).min(2).max(8)
    .describe("short answers the person can pick with one click"),
}).strict();

const DESCRIPTIONS: Record<ToolName, string> = {
  describe_datasets:
    "Columns of the session's datasets with their types, roles, ranges and a few sample values. Call it when the overview is not enough to pick columns or values.",
  make_chart:
    "Draws a new chart of one dataset. The app runs the query and computes every number; you only say what to draw.",
  refine_chart:
    "Changes the current chart (its query is in the context): give only the fields that change; filters, when given, replace all of the current ones.",
  export_chart:
    "Makes a file of the current chart for the person to download. Only when they ask for a file or a format.",
  run_workflow:
    "Transforms an uploaded dataset into a new one (select, rename, remove duplicates, filter, sort, normalise, fill missing values, SQL, join, convert). Only when the person asks for that.",
  ask_clarifying_question:
    "Asks the person one short question with options to click, when the request could mean several different charts.",
};

/** JSON Schema of a zod schema, as a tool's parameters. */
function parameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return json;
}

function tool(name: ToolName, schema: z.ZodType): ChatCompletionTool {
  return {
    type: "function",
    function: {
      name,
      description: DESCRIPTIONS[name],
      parameters: parameters(schema),
    },
  };
}

let staticTools: Map<ToolName, ChatCompletionTool> | null = null;

/** The tool definitions that do not depend on the datasets, made once. */
function fixedTools(): Map<ToolName, ChatCompletionTool> {
  staticTools ??= new Map([
    ["export_chart", tool("export_chart", ExportArgs)],
    ["run_workflow", tool("run_workflow", WorkflowRequest)],
    ["ask_clarifying_question", tool("ask_clarifying_question", AskArgs)],
  ]);
  return staticTools;
}

interface DatasetTools {
  schemas: ReturnType<typeof chartArgSchemas>;
  describe: ChatCompletionTool;
  make: ChatCompletionTool;
  refine: ChatCompletionTool;
}
const datasetToolCache = new Map<string, DatasetTools>();

/**
 * The schemas and definitions of describe, make and refine for a set of
 * datasets; a pure function of their ids and columns, so it is kept in a
 * small per-process cache (a session asks with the same ones turn after turn).
 */
function datasetTools(datasets: DatasetProfile[]): DatasetTools {
  const key = datasets.map((d) =>
    `${d.id}\u0001${d.columns.map((c) => c.name).join("\u0001")}`
  ).join("\u0000");
  let tools = datasetToolCache.get(key);
  if (!tools) {
    const schemas = chartArgSchemas(datasets);
    const ids = datasets.map((d) => d.id) as [string, ...string[]];
    tools = {
      schemas,
      describe: tool("describe_datasets", DescribeArgs(ids)),
      make: tool("make_chart", schemas.make),
      refine: tool("refine_chart", schemas.refine),
    };
    datasetToolCache.set(key, tools);
    if (datasetToolCache.size > 64) {
      datasetToolCache.delete(datasetToolCache.keys().next().value!);
    }
  }
  return tools;
}

function issuesText(issues: ArgIssue[]): string {
  return issues.map((i) =>
    `${i.path.length ? i.path.join(".") : "(arguments)"}: ${i.message}`
  ).join("\n");
}

function zodIssues(error: z.ZodError): ArgIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => typeof p === "symbol" ? String(p) : p),
    message: i.message,
  }));
}

/** Builds the tools of one turn. */
export function turnTools(ctx: ToolContext): ToolSet {
  const { schemas, describe, make, refine } = datasetTools(ctx.datasets);
  const fixed = fixedTools();
  const uploads = ctx.datasets.filter((d) => !d.id.startsWith("demo:"));
  const definitions = [describe, make];
  if (ctx.current) {
    definitions.push(refine, fixed.get("export_chart")!);
  }
  if (uploads.length) definitions.push(fixed.get("run_workflow")!);
  definitions.push(fixed.get("ask_clarifying_question")!);
  const offered = new Set(
    definitions.map((d) => (d as { function: { name: string } }).function.name),
  );
  const t = language(ctx.lang).text;

  const error = (text: string): ToolOutcome => ({
    kind: "error",
    content: `Error: ${text}`,
  });
  // A side effect the person's own words did not ask for (see `asksForFile`).
  const notAsked = (what: string, act: string): ToolOutcome =>
    error(
      `the person did not ask ${what} in their message; do not ${act}. Answer what they asked.`,
    );
  const invalid = (issues: ArgIssue[]): ToolOutcome =>
    error(`invalid arguments, nothing was done.\n${issuesText(issues)}`);

  const chart = (args: ChartArgs, refines?: string): ToolOutcome => {
    const profile = ctx.datasets.find((d) => d.id === args.dataset)!;
    const issues = checkChartArgs(args, profile);
    if (issues.length) return invalid(issues);
    const query = toChartQuery(args, profile, ctx.lang);
    return { kind: "action", plan: chartPlan(query, profile, refines) };
  };

  const handlers: Record<ToolName, (args: unknown) => ToolOutcome> = {
    describe_datasets(args) {
      const ids = ctx.datasets.map((d) => d.id) as [string, ...string[]];
      const parsed = DescribeArgs(ids).safeParse(args);
      if (!parsed.success) return invalid(zodIssues(parsed.error));
      return {
        kind: "info",
        content: JSON.stringify(
          describeDatasets(ctx.datasets, parsed.data.datasets),
        ),
      };
    },
    make_chart(args) {
      const parsed = schemas.make.safeParse(args);
      if (!parsed.success) return invalid(zodIssues(parsed.error));
      return chart(parsed.data);
    },
    refine_chart(args) {
      const current = ctx.current!;
      const parsed = schemas.refine.safeParse(args);
      if (!parsed.success) return invalid(zodIssues(parsed.error));
      const merged = refinedArgs(argsOf(current.query), parsed.data);
      const again = schemas.make.safeParse(merged);
      if (!again.success) return invalid(zodIssues(again.error));
      return chart(again.data, current.artifactId);
    },
    export_chart(args) {
      const parsed = ExportArgs.safeParse(args);
      if (!parsed.success) return invalid(zodIssues(parsed.error));
      if (!asksForFile(ctx.asked)) return notAsked("for a file", "export");
      const format = parsed.data.format;
      return {
        kind: "action",
        plan: {
          kind: "download",
          format,
          reply: t.download(formatName(format)),
        },
      };
    },
    run_workflow(args) {
      const parsed = WorkflowRequest.safeParse(args);
      if (!parsed.success) return invalid(zodIssues(parsed.error));
      if (!namesWorkflowOperation(ctx.asked)) {
        return notAsked("to transform data", "run a workflow");
      }
      const request = parsed.data;
      const input = uploads.find((d) =>
        d.id === request.input || d.name === request.input
      );
      if (!input) {
        return invalid([{
          path: ["input"],
          message: `"${request.input}" is not an uploaded dataset; use one of ${
            uploads.map((d) => d.id).join(", ")
          }`,
        }]);
      }
      const issues = [
        ...sqlIssues(request.steps, ctx.asked),
        ...stepIssues(request.steps, input, ctx.datasets),
      ];
      if (issues.length) return invalid(issues);
      return {
        kind: "action",
        plan: {
          kind: "workflow",
          request: { ...request, input: input.id },
          reply: workflowReply(input.name, request.steps, ctx.lang),
        },
      };
    },
    ask_clarifying_question(args) {
      const parsed = AskArgs.safeParse(args);
      if (!parsed.success) return invalid(zodIssues(parsed.error));
      return {
        kind: "action",
        plan: {
          kind: "clarify",
          question: parsed.data.question,
          options: [...new Set(parsed.data.options)],
        },
      };
    },
  };

  return {
    definitions,
    run(call) {
      const name = call.name as ToolName;
      if (!offered.has(name)) {
        return error(
          `there is no tool "${call.name}" now; the tools are ${
            [...offered].join(", ")
          }`,
        );
      }
      let args: unknown;
      try {
        args = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
      } catch (e) {
        return error(
          `the arguments are not valid JSON (${
            (e as Error).message
          }); send one JSON object`,
        );
      }
      return handlers[name](args);
    },
  };
}

/** Whether a person's words ask for a file: an export word or a format's name, in any of the three languages. */
export function asksForFile(text: string): boolean {
  const words = tokenize(text.slice(0, 2000)).map((t) => t.text);
  return words.some((w, i) =>
    V.export.hasForm(w) || FORMAT_PHRASES.at(words, i) > 0
  );
}

/** A query with its spacing and closing semicolons evened out, for comparing two spellings of it. */
function evenSql(query: string): string {
  return query.replace(/\s+/g, " ").replace(/[\s;]+$/, "").trim();
}

/**
 * The `sql` steps of a model's workflow that are not the person's own query:
 * a model never writes SQL that runs, it may only pass on what the person's
 * message is (a message that is a SELECT or WITH query).
 */
function sqlIssues(steps: Step[], asked: string): ArgIssue[] {
  const own = sqlOfMessage(asked);
  return steps.flatMap((step, i) =>
    step.operation === "sql" &&
      (own === null || evenSql(step.arguments.query) !== evenSql(own))
      ? [{
        path: ["steps", i, "arguments", "query"],
        message: own === null
          ? "you may not write SQL: a sql step only runs a query the person wrote as their message; use the other operations"
          : "a sql step must carry the person's query exactly as they wrote it",
      }]
      : []
  );
}

/** Columns a workflow's first steps name that its input does not have (later steps may rename). */
function stepIssues(
  steps: Step[],
  input: DatasetProfile,
  datasets: DatasetProfile[],
): ArgIssue[] {
  const issues: ArgIssue[] = [];
  const have = new Set(input.columns.map((c) => c.name));
  for (const [i, step] of steps.entries()) {
    const named: string[] = [];
    const a = step.arguments as Record<string, unknown>;
    if (Array.isArray(a.columns)) named.push(...a.columns as string[]);
    if (step.operation === "sort") {
      named.push(...step.arguments.by.map((b) => b.column));
    }
    if (step.operation === "filter") {
      named.push(...step.arguments.conditions.map((c) => c.column));
    }
    if (step.operation === "rename_columns") {
      named.push(...Object.keys(step.arguments.mapping));
    }
    if (step.operation === "join") {
      const other = datasets.find((d) =>
        d.id === step.arguments.dataset || d.name === step.arguments.dataset
      );
      if (!other) {
        issues.push({
          path: ["steps", i, "arguments", "dataset"],
          message: `no dataset "${step.arguments.dataset}" in this session`,
        });
      }
    }
    const missing = named.filter((c) => !have.has(c));
    if (missing.length) {
      issues.push({
        path: ["steps", i, "arguments"],
        message: `${missing.map((c) => JSON.stringify(c)).join(", ")} ${
          missing.length === 1 ? "is" : "are"
        } not a column of ${JSON.stringify(input.name)}; its columns are ${
          [...have].slice(0, 60).map((c) => JSON.stringify(c)).join(", ")
        }`,
      });
    }
    // After a step that changes the columns, later names are checked by the job itself.
    if (
      ["select_columns", "rename_columns", "join", "sql"].includes(
        step.operation,
      )
    ) break;
  }
  return issues;
}
