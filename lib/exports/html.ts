/**
 * HTML export: one self-contained page with the interactive chart (tooltips,
 * zoom, legend toggles), its interpretation, source query and data table. It
 * works offline and asks for nothing over the network: the ECharts code is
 * inlined (the canvas's tree-shaken build from `deno task build`, ~650 KB with heatmaps;
 * npm's full `echarts.min.js`, ~1 MB, when that build is missing) and a CSP
 * meta tag forbids every fetch. The option travels as JSON inside a
 * `<script type="application/json">` with `<`, `>`, `&`, U+2028 and U+2029
 * escaped, so no value can close the element.
 */
import { compileOption } from "@/lib/charts/compile.ts";
import type { Cell } from "@/lib/charts/spec.ts";
import { log } from "@/lib/log.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { escapeHtml, jsonForScript } from "./escape.ts";
import { deflateOnce } from "./zip_deflate.ts";

/** Rows shown in the page's data table; the chart itself has them all. */
export const HTML_TABLE_ROWS = 500;

const BUILT = new URL("../../static/build/export-echarts.js", import.meta.url);

let runtime: Promise<string> | undefined;

/**
 * Returns the ECharts browser code to inline: the build's tree-shaken bundle,
 * else npm's full minified build; read once.
 */
export function echartsRuntime(): Promise<string> {
  runtime ??= loadRuntime().catch((error) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function loadRuntime(): Promise<string> {
  let code: string;
  try {
    code = await Deno.readTextFile(BUILT);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    log.warn(
      "html export: no tree-shaken ECharts build, inlining the full one",
      {
        missing: BUILT.pathname,
        fix: "deno task build",
      },
    );
    code = await Deno.readTextFile(
      new URL(import.meta.resolve("echarts/dist/echarts.min.js")),
    );
  }
  // Minified code has no reason to contain these, but if it ever did they
  // would end the <script> element early.
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

const STYLE = `
:root{color-scheme:light}
body{margin:0;font-family:"DejaVu Sans",Verdana,sans-serif;color:#333;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:16px 20px 32px}
#chart{width:100%;height:min(70vh,600px);min-height:320px}
.interpretation{white-space:pre-line;margin:16px 0}
details{margin:10px 0}
summary{cursor:pointer;font-weight:bold}
pre{white-space:pre-wrap;word-break:break-word;background:#f5f6f8;padding:10px;border-radius:4px}
table{border-collapse:collapse;font-size:13px;margin-top:8px}
th,td{border:1px solid #dde0e5;padding:3px 8px;text-align:left;white-space:pre-line;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#6e7079;font-size:13px}
`;

function cellText(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? "—" : String(cell);
}

function dataTable(input: ExportInput): string {
  const { columns, rows } = input.snapshot;
  const shown = rows.slice(0, HTML_TABLE_ROWS);
  const head = columns.map((c) => `<th>${escapeHtml(c.label ?? c.name)}</th>`)
    .join("");
  const body = shown.map((row) =>
    "<tr>" + columns.map((_, i) =>
      typeof row[i] === "number"
        ? `<td class="num">${escapeHtml(cellText(row[i]))}</td>`
        : `<td>${escapeHtml(cellText(row[i]))}</td>`
    ).join("") + "</tr>"
  ).join("\n");
  const note = rows.length > shown.length
    ? `<p class="muted">First ${shown.length} of ${rows.length} rows; the chart draws them all.</p>`
    : "";
  return `<details><summary>Data (${rows.length} rows)</summary>\n` +
    `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${note}</details>`;
}

function source(input: ExportInput): string {
  const p = input.provenance;
  if (!p) return "";
  return `<details><summary>Source</summary><p>Dataset <strong>${
    escapeHtml(p.dataset)
  }</strong>, ${p.rowCount} result rows in ${p.executionMs} ms.</p>` +
    `<pre><code>${escapeHtml(p.query)}</code></pre></details>`;
}

const BOOT = `(function () {
  var el = document.getElementById("chart");
  var option = JSON.parse(document.getElementById("chart-option").textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  var nf = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });
  if (option.tooltip) {
    option.tooltip.valueFormatter = function (v) {
      return typeof v === "number" ? nf.format(v) : v == null ? "–" : String(v);
    };
  }
  // A long title is cut with "…" at the page's width (as lib/charts/title_fit.ts does).
  function fitTitle() {
    var t = option.title;
    if (!t || Array.isArray(t) || !t.textStyle || t.textStyle.overflow !== "truncate") return;
    var room = Math.max(60, el.clientWidth - 24);
    t.textStyle = Object.assign({}, t.textStyle, { width: room, overflow: "truncate", ellipsis: "…" });
    t.subtextStyle = Object.assign({}, t.subtextStyle, { width: room, overflow: "truncate", ellipsis: "…" });
  }
  fitTitle();
  chart.setOption(option);
  window.addEventListener("resize", function () {
    fitTitle();
    chart.setOption({ title: option.title });
    chart.resize();
  });
  el.setAttribute("data-rendered", "true");
})();`;

/**
 * Returns the HTML page of a chart in two parts, before and after the
 * ECharts runtime's text (the same for every chart, see echartsRuntime).
 */
function chartHtmlAround(input: ExportInput): [string, string] {
  const option = compileOption(input.spec, input.snapshot, {
    interactive: true,
  });
  const title = escapeHtml(input.title);
  const interpretation = input.interpretation
    ? `<p class="interpretation">${escapeHtml(input.interpretation)}</p>`
    : "";
  return [
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Chartroom">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div id="chart" role="img" aria-label="${title}"></div>
${interpretation}
${source(input)}
${dataTable(input)}
<p class="muted">Exported from Chartroom. This page works offline; the chart library (Apache ECharts, Apache License 2.0) is included.</p>
</main>
<script>`,
    `</script>
<script type="application/json" id="chart-option">${
      jsonForScript(option)
    }</script>
<script>${BOOT}</script>
</body>
</html>
`,
  ];
}

/** Returns the whole HTML page of a chart. */
export async function chartHtml(input: ExportInput): Promise<string> {
  const [before, after] = chartHtmlAround(input);
  return before + await echartsRuntime() + after;
}

let runtimeBytes: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The ECharts runtime as UTF-8, encoded once and shared by every page. */
function echartsRuntimeBytes(): Promise<Uint8Array<ArrayBuffer>> {
  runtimeBytes ??= echartsRuntime().then((code) =>
    // The same bytes in every page: a ZIP of many pages deflates them once.
    deflateOnce(new TextEncoder().encode(code))
  ).catch((error) => {
    runtimeBytes = undefined;
    throw error;
  });
  return runtimeBytes;
}

/** Returns the chart as one self-contained HTML file. */
export async function renderHtml(input: ExportInput): Promise<ExportResult> {
  // Streamed in three parts so that the ~650 KB runtime, the same in every
  // page, is not copied into a new string and buffer for each chart.
  const [before, after] = chartHtmlAround(input);
  const runtime = await echartsRuntimeBytes();
  const encoder = new TextEncoder();
  const parts = [encoder.encode(before), runtime, encoder.encode(after)];
  return {
    body: new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull(controller) {
        const part = parts.shift();
        if (part) controller.enqueue(part);
        else controller.close();
      },
    }),
    mime: "text/html; charset=utf-8",
    extension: "html",
  };
}

/** The HTML exporter. */
export const htmlExporter: Exporter<Record<string, never>> = {
  mime: "text/html; charset=utf-8",
  extension: "html",
  options: NoOptions,
  render: renderHtml,
};
