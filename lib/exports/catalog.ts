/**
 * The export menu's formats, in menu order. Plain data, shared with the
 * browser (the export menu) and checked against the registry in `mod.ts` by a
 * test, so the two cannot drift; each language names and describes every one
 * (`format.<id>` and `format.<id>.about` in `lib/agent/lang/{en,es,pt}.ts`).
 */
import type { ExportMenuFormat } from "@/lib/agent/lang/types.ts";

/** Every export format in menu order. */
export const EXPORT_CATALOG = [
  "png",
  "svg",
  "pdf",
  "csv",
  "xlsx",
  "xml",
  "json",
  "html",
  "ipynb",
  "py",
  "requirements",
  "zip",
] as const satisfies readonly ExportMenuFormat[];
