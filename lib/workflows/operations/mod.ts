/**
 * The workflow operation registry. Each operation is one module whose default
 * export is `{ schema, run }` (`defineOperation`); a new operation is one module plus one line in
 * `OPERATION_MODULES`, and the step schema and dispatch follow from it.
 * Each turns an input dataset into the rows of a new one; rows keep their
 * input order unless sorted.
 */
import { z } from "zod";
import selectColumns from "./select_columns.ts";
import renameColumns from "./rename_columns.ts";
import dropDuplicates from "./drop_duplicates.ts";
import filter from "./filter.ts";
import sort from "./sort.ts";
import normalize from "./normalize.ts";
import fillMissing from "./fill_missing.ts";
import sql from "./sql.ts";
import join from "./join.ts";
import convert from "./convert.ts";
import type { OperationModule, StepContext, StepResult } from "./step.ts";

export type { StepContext, StepResult, StepSource } from "./step.ts";
export { Condition, FILTER_OPS, type FilterOp } from "./filter.ts";

/** One step of a workflow: an operation and its arguments. */
export const Step = z.discriminatedUnion("operation", [
  selectColumns.schema,
  renameColumns.schema,
  dropDuplicates.schema,
  filter.schema,
  sort.schema,
  normalize.schema,
  fillMissing.schema,
  sql.schema,
  join.schema,
  convert.schema,
]);
export type Step = z.infer<typeof Step>;
export type Operation = Step["operation"];

/** Each operation's module by name; the type check keeps it in step with `Step`. */
const OPERATION_MODULES = {
  select_columns: selectColumns,
  rename_columns: renameColumns,
  drop_duplicates: dropDuplicates,
  filter,
  sort,
  normalize,
  fill_missing: fillMissing,
  sql,
  join,
  convert,
} satisfies {
  [O in Operation]: OperationModule<
    z.ZodType<Extract<Step, { operation: O }>>
  >;
};

/** Every operation a step can name, in the order the API documents them. */
export const OPERATIONS = Object.keys(OPERATION_MODULES) as Operation[];

/** Runs one step against its input and returns the output's columns and rows. */
export async function runStep(
  ctx: StepContext,
  step: Step,
): Promise<StepResult> {
  const operation: OperationModule = OPERATION_MODULES[step.operation];
  return await operation.run(ctx, step.arguments);
}
