/**
 * Workflow operation `convert`: copies the rows and picks the output's
 * download format.
 */
import { z } from "zod";
import type { RawCell } from "@/lib/data/infer.ts";
import { DATASET_EXPORT_FORMATS } from "@/lib/exports/dataset.ts";
import { defineOperation } from "./step.ts";

const OP = "convert";

/** The arguments of a step of this operation. */
const Arguments = z.object({ format: z.enum(DATASET_EXPORT_FORMATS) }).strict();

/** The operation: its step schema and how a step runs against its input. */
export default defineOperation(OP, Arguments, (ctx, args) => {
  const source = ctx.input.source;
  return {
    names: ctx.input.columns.map((c) => c.name),
    hints: ctx.input.columns.map((c) => c.type),
    batches: (async function* () {
      for await (const batch of source.rows()) yield batch as RawCell[][];
    })(),
    sql: null,
    format: args.format,
    notes: [],
  };
});
