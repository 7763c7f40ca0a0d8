/**
 * The shape of a workflow: an input dataset and up to 20 steps, each an
 * operation with its arguments (each operation's own schema, from the
 * registry in `operations/mod.ts`). Validated with zod at the HTTP boundary and
 * again when the chat builds one, so a job only ever holds a valid request.
 */
import { z } from "zod";
import { Step } from "@/lib/workflows/operations/mod.ts";

export {
  Condition,
  FILTER_OPS,
  type FilterOp,
  type Operation,
  OPERATIONS,
  Step,
} from "@/lib/workflows/operations/mod.ts";

/** A workflow as the API takes it: an input dataset and its steps. */
export const WorkflowRequest = z.object({
  /** The input dataset: its id, or its name within the session. */
  input: z.string().trim().min(1).max(300),
  steps: z.array(Step).min(1).max(20),
}).strict();
export type WorkflowRequest = z.infer<typeof WorkflowRequest>;
