/**
 * The shape of a workflow: an input dataset and up to 20 steps, each an
 * operation with its arguments. Validated with zod at the HTTP boundary and
 * again when the chat builds one, so a job only ever holds a valid request.
 */
import { z } from "zod";
import { DATASET_EXPORT_FORMATS } from "../data/export.ts";

const Column = z.string().trim().min(1).max(200);
const NewName = z.string().trim().min(1).max(128);
const Scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

/** Comparison operators of a filter condition. */
export const FILTER_OPS = [
  "eq",
  "ne",
  "lt",
  "lte",
  "gt",
  "gte",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "starts_with",
  "ends_with",
  "is_null",
  "not_null",
] as const;
export type FilterOp = typeof FILTER_OPS[number];

const Condition = z.object({
  column: Column,
  op: z.enum(FILTER_OPS),
  value: Scalar.nullable().optional(),
  values: z.array(Scalar).max(10_000).optional(),
}).strict().superRefine((c, ctx) => {
  if ((c.op === "in" || c.op === "not_in") && !c.values?.length) {
    ctx.addIssue({ code: "custom", message: `${c.op} needs "values"` });
  }
  const unary = c.op === "is_null" || c.op === "not_null";
  const list = c.op === "in" || c.op === "not_in";
  if (!unary && !list && (c.value === undefined || c.value === null)) {
    ctx.addIssue({ code: "custom", message: `${c.op} needs a "value"` });
  }
});
export type Condition = z.infer<typeof Condition>;

const JoinKey = z.union([
  Column,
  z.object({ left: Column, right: Column }).strict(),
]);

export const Step = z.discriminatedUnion("operation", [
  z.object({
    operation: z.literal("select_columns"),
    arguments: z.object({ columns: z.array(Column).min(1).max(500) }).strict(),
  }).strict(),
  z.object({
    operation: z.literal("rename_columns"),
    arguments: z.object({
      mapping: z.record(Column, NewName).refine(
        (m) => Object.keys(m).length > 0,
        "name at least one column to rename",
      ),
    }).strict(),
  }).strict(),
  z.object({
    operation: z.literal("drop_duplicates"),
    arguments: z.object({
      columns: z.array(Column).min(1).max(500).optional(),
      keep: z.enum(["first", "last"]).default("first"),
    }).strict().default({ keep: "first" }),
  }).strict(),
  z.object({
    operation: z.literal("filter"),
    arguments: z.object({
      conditions: z.array(Condition).min(1).max(50),
      match: z.enum(["all", "any"]).default("all"),
    }).strict(),
  }).strict(),
  z.object({
    operation: z.literal("sort"),
    arguments: z.object({
      by: z.array(
        z.object({
          column: Column,
          direction: z.enum(["asc", "desc"]).default("asc"),
        }).strict(),
      ).min(1).max(20),
    }).strict(),
  }).strict(),
  z.object({
    operation: z.literal("normalize"),
    arguments: z.object({
      columns: z.array(Column).min(1).max(500),
      method: z.enum(["min_max", "z_score"]).default("min_max"),
    }).strict(),
  }).strict(),
  z.object({
    operation: z.literal("fill_missing"),
    arguments: z.object({
      columns: z.array(Column).min(1).max(500).optional(),
      strategy: z.enum(["value", "mean", "median", "mode"]).default("value"),
      value: Scalar.optional(),
    }).strict().superRefine((a, ctx) => {
      if (a.strategy === "value" && a.value === undefined) {
        ctx.addIssue({
          code: "custom",
          message: 'strategy "value" needs a "value"',
        });
      }
    }),
  }).strict(),
  z.object({
    operation: z.literal("sql"),
    arguments: z.object({ query: z.string().trim().min(1).max(20_000) })
      .strict(),
  }).strict(),
  z.object({
    operation: z.literal("join"),
    arguments: z.object({
      dataset: z.string().trim().min(1).max(300),
      on: z.array(JoinKey).min(1).max(10),
      how: z.enum(["inner", "left", "right", "full"]).default("inner"),
    }).strict(),
  }).strict(),
  z.object({
    operation: z.literal("convert"),
    arguments: z.object({ format: z.enum(DATASET_EXPORT_FORMATS) }).strict(),
  }).strict(),
]);
export type Step = z.infer<typeof Step>;
export type Operation = Step["operation"];

/** Every operation a step can name. */
export const OPERATIONS: Operation[] = [
  "select_columns",
  "rename_columns",
  "drop_duplicates",
  "filter",
  "sort",
  "normalize",
  "fill_missing",
  "sql",
  "join",
  "convert",
];

export const WorkflowRequest = z.object({
  /** The input dataset: its id, or its name within the session. */
  input: z.string().trim().min(1).max(300),
  steps: z.array(Step).min(1).max(20),
}).strict();
export type WorkflowRequest = z.infer<typeof WorkflowRequest>;
