/**
 * The exporter contract. Each format is one module exporting an `Exporter`;
 * `mod.ts` lists them. Exporters take a frozen chart (spec + snapshot) and
 * return bytes or a byte stream, never touching KV or the file system.
 */
import type { z } from "zod";
import type { ChartSpec, Snapshot } from "@/lib/charts/spec.ts";

/** What every exporter receives: the artifact's title, spec and data. */
export interface ExportInput {
  title: string;
  spec: ChartSpec;
  snapshot: Snapshot;
  provenance?: {
    query: string;
    dataset: string;
    rowCount: number;
    executionMs: number;
  };
  interpretation?: string;
}

/**
 * An exported file: its bytes (or a stream of them), MIME type and extension.
 * ArrayBuffer-backed, so the body can go straight into a `Response`.
 */
export interface ExportResult {
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>>;
  mime: string;
  /** Without the dot: "png", "csv". */
  extension: string;
  /** A fixed download name ("requirements.txt"); by default the title's slug. */
  filename?: string;
}

/** One export format: how to validate its options and how to produce the file. */
export interface Exporter<Options extends Record<string, unknown>> {
  mime: string;
  extension: string;
  /**
   * Parses options from query-string values (strings) or from already parsed
   * values, applying defaults. Unknown keys must fail; an issue's message
   * names the option and its bounds.
   */
  options: z.ZodType<Options, unknown>;
  /** Produces the file; `options` has been through `options.parse`. */
  render(
    input: ExportInput,
    options: Options,
  ): Promise<ExportResult> | ExportResult;
}
