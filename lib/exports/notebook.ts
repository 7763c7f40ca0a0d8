/**
 * Jupyter notebook export (nbformat 4.5, every cell with an id): markdown
 * cells for the title, the provenance (the query is step 1) and the
 * interpretation; an imports cell; the chart's settings and helpers; the data
 * embedded as Python literals; one cell per transformation step; and a last
 * cell that draws the same chart with pandas + matplotlib.
 */
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { pythonChart } from "./python_chart.ts";

/** One notebook cell as nbformat 4.5 stores it. */
interface Cell {
  id: string;
  cell_type: "markdown" | "code";
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: unknown[];
}

/**
 * Returns text that Markdown shows literally: its markup characters (and `$`,
 * which starts math in Jupyter) backslash-escaped, `&`, `<` and `>` as entities (so no HTML gets through),
 * line breaks kept as hard breaks.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~$]/g, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r\n?/g, "\n")
    .replace(/\n/g, "\\\n");
}

/** Returns `code` in a fenced block whose fence no backtick run inside can close. */
function fenced(code: string, language: string): string {
  const longest = Math.max(
    0,
    ...(code.match(/`+/g) ?? []).map((run) => run.length),
  );
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

function lines(text: string): string[] {
  const parts = text.split("\n");
  return parts.map((line, i) => i < parts.length - 1 ? `${line}\n` : line)
    .filter((line) => line !== "");
}

function markdown(id: string, text: string): Cell {
  return { id, cell_type: "markdown", metadata: {}, source: lines(text) };
}

function code(id: string, text: string): Cell {
  return {
    id,
    cell_type: "code",
    execution_count: null,
    metadata: {},
    outputs: [],
    source: lines(text),
  };
}

/** Returns the notebook of a chart as an nbformat 4.5 object. */
export function chartNotebook(input: ExportInput): Record<string, unknown> {
  const chart = pythonChart(input);
  const { spec, provenance } = input;
  const title = input.title.replace(/\s+/g, " ").trim();
  const cells: Cell[] = [
    markdown(
      "title",
      `# ${markdownText(title)}\n\n` +
        (spec.subtitle ? `*${markdownText(spec.subtitle)}*\n\n` : "") +
        "Exported from Chartroom. This notebook holds the chart's data and " +
        "rebuilds the chart with pandas and matplotlib; run all cells.",
    ),
    markdown(
      "provenance",
      provenance
        ? "## Where the data comes from\n\n" +
          `Dataset **${markdownText(provenance.dataset)}**: ` +
          `${provenance.rowCount} result rows in ${provenance.executionMs} ms.\n\n` +
          "**Step 1: the query.** Chartroom ran this SQL on the dataset " +
          "(each `?` is a bound parameter); its result is the data in step 2.\n\n" +
          fenced(provenance.query, "sql")
        : "## Where the data comes from\n\nThe data was frozen with the chart; " +
          "no source query was recorded.",
    ),
  ];
  if (input.interpretation) {
    cells.push(
      markdown(
        "interpretation",
        `## Interpretation\n\n${markdownText(input.interpretation)}`,
      ),
    );
  }
  cells.push(
    code(
      "imports",
      [
        "import math",
        "",
        "import matplotlib.pyplot as plt",
        "import pandas as pd",
        ...chart.imports,
      ].join("\n"),
    ),
    code(
      "settings",
      `# Chart settings, as in Chartroom.\n${chart.settings}\nfigsize = (8, 4.5)  # inches\n\n\n${chart.helpers}`,
    ),
    code("data", `# The data: the query's result.\n${chart.data}`),
    ...chart.steps.map((step, i) =>
      code(
        `step-${i + 2}-${step.id}`,
        // The last expression shows the table the step produced.
        step.code + (step.id === "load" ? "\ndf" : ""),
      )
    ),
    code("chart", `${chart.draw}\nplt.show()`),
  );
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: "python3",
        display_name: "Python 3",
        language: "python",
      },
      language_info: { name: "python" },
      chartroom: { chart_type: spec.type, format_version: 1 },
    },
    cells,
  };
}

/** Returns the chart as a Jupyter notebook file. */
export function renderNotebook(input: ExportInput): ExportResult {
  return {
    body: new TextEncoder().encode(
      JSON.stringify(chartNotebook(input), null, 1) + "\n",
    ),
    mime: "application/x-ipynb+json",
    extension: "ipynb",
  };
}

/** The Jupyter notebook exporter. */
export const notebookExporter: Exporter<Record<string, never>> = {
  mime: "application/x-ipynb+json",
  extension: "ipynb",
  options: NoOptions,
  render: renderNotebook,
};
