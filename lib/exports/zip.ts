/**
 * ZIP bundles. Per chart (the `zip` format): every other format plus a
 * README in one folder named after the chart. The archive is streamed with
 * fflate's streaming `Zip`: files are rendered one at a time, only when the
 * reader asks for more, and deflated by zlib in 256 KB segments
 * (zip_deflate.ts); the ECharts runtime that every HTML page inlines is
 * deflated once per process. At most one file of one chart is held whole in
 * memory (the largest is a PNG or PDF, a few hundred KB), never the archive.
 */
import { Zip } from "fflate";
import { NativeDeflate, NativeStored } from "./zip_deflate.ts";
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions } from "./options.ts";
import { titleSlug } from "./filename.ts";
import { markdownText } from "./notebook.ts";
import { renderPngExport } from "./png.ts";
import { chartVector } from "./svg.ts";
import { pdfPage } from "./pdf.ts";
import { renderCsv } from "./csv.ts";
import { renderXlsx } from "./xlsx.ts";
import { renderXml } from "./xml.ts";
import { renderJson } from "./json.ts";
import { renderHtml } from "./html.ts";
import { renderNotebook } from "./notebook.ts";
import { renderPython } from "./python.ts";
import { requirementsTxt } from "./python_chart.ts";

/** One file of an archive: its path, its bytes, and whether to deflate it. */
export interface ZipEntry {
  path: string;
  body: ExportResult["body"] | ReadableStream<Uint8Array> | string;
  /** False for formats that are compressed already (PNG, PDF, XLSX). */
  deflate: boolean;
  /** zlib's level when deflated (default 6). */
  level?: number;
}

const encoder = new TextEncoder();

/** Returns the XSD that the XML export follows, read once from `static/`. */
export function chartroomXsd(): Promise<string> {
  xsd ??= Deno.readTextFile(
    new URL("../../static/chartroom.xsd", import.meta.url),
  ).catch((error) => {
    xsd = undefined;
    throw error;
  });
  return xsd;
}
let xsd: Promise<string> | undefined;

/** The files of one chart's folder, in the order they are written. */
export const CHART_FILES = [
  "README.md",
  "chart.png",
  "chart.svg",
  "chart.pdf",
  "data.csv",
  "data.xlsx",
  "data.xml",
  "chartroom.xsd",
  "chart.json",
  "chart.html",
  "chart.ipynb",
  "chart.py",
  "requirements.txt",
] as const;

/**
 * Yields the files of one chart under `folder/`, each rendered only when the
 * previous one has been consumed. Sizes are the formats' defaults.
 */
export async function* chartEntries(
  input: ExportInput,
  folder: string,
): AsyncGenerator<ZipEntry> {
  const at = (name: (typeof CHART_FILES)[number]) => `${folder}/${name}`;
  const size = { width: 800, height: 450, background: "#ffffff" };
  yield { path: at("README.md"), body: chartReadme(input), deflate: true };
  yield {
    path: at("chart.png"),
    body: (await renderPngExport(input, { ...size, scale: 2 })).body,
    deflate: false,
  };
  // The SVG file and the PDF's page are the same drawing: made in one job.
  const { svg, pdf } = await chartVector(
    input,
    { ...size, fonts: "reference" },
    pdfPage(input, size),
  );
  if (!pdf) throw new Error("render pool: expected a PDF");
  yield { path: at("chart.svg"), body: svg, deflate: true };
  yield { path: at("chart.pdf"), body: pdf, deflate: false };
  yield { path: at("data.csv"), body: renderCsv(input).body, deflate: true };
  yield {
    path: at("data.xlsx"),
    body: (await renderXlsx(input)).body,
    deflate: false,
  };
  yield { path: at("data.xml"), body: renderXml(input).body, deflate: true };
  yield {
    path: at("chartroom.xsd"),
    body: await chartroomXsd(),
    deflate: true,
  };
  yield { path: at("chart.json"), body: renderJson(input).body, deflate: true };
  yield {
    path: at("chart.html"),
    body: (await renderHtml(input)).body,
    deflate: true,
  };
  yield {
    path: at("chart.ipynb"),
    body: renderNotebook(input).body,
    deflate: true,
  };
  yield { path: at("chart.py"), body: renderPython(input).body, deflate: true };
  yield {
    path: at("requirements.txt"),
    body: requirementsTxt(),
    deflate: true,
  };
}

/** Returns the README of one chart's folder. */
export function chartReadme(input: ExportInput): string {
  const p = input.provenance;
  return [
    `# ${markdownText(input.title.replace(/\s+/g, " ").trim())}`,
    "",
    "Exported from Chartroom. Every file holds the same chart or its data:",
    "",
    "| file | what it is |",
    "| --- | --- |",
    "| `chart.png` | the chart as a picture, 1600×900 px |",
    "| `chart.svg` | the chart as vectors, 800×450 |",
    "| `chart.pdf` | one vector page, text selectable |",
    "| `data.csv` | the data, UTF-8, comma-separated, header row |",
    "| `data.xlsx` | the data as a workbook; sheet *About* describes the chart |",
    "| `data.xml` | the data and chart metadata, valid against `chartroom.xsd` |",
    "| `chart.json` | data, chart spec, ECharts option and provenance |",
    "| `chart.html` | the interactive chart; open it in a browser, works offline |",
    "| `chart.ipynb` | a Jupyter notebook that rebuilds the chart with pandas + matplotlib |",
    "| `chart.py` | a script that rebuilds the chart image |",
    "| `requirements.txt` | pinned Python packages for the notebook and the script |",
    "",
    "Rebuild the image with Python 3.11 or later:",
    "",
    "```sh",
    "pip install -r requirements.txt",
    "python3 chart.py --output rebuilt.png   # --help for size, scale, --dry-run",
    "```",
    "",
    ...(p
      ? [
        "## Source",
        "",
        `Dataset **${markdownText(p.dataset)}**, ${p.rowCount} result rows. ` +
        "The query (each `?` a bound parameter) is in `chart.json`, " +
        "`data.xml`, the workbook's *About* sheet and the notebook.",
        "",
      ]
      : []),
    ...(input.interpretation
      ? ["## Interpretation", "", markdownText(input.interpretation), ""]
      : []),
  ].join("\n");
}

/**
 * Returns a ZIP archive of `entries` as a byte stream. An entry is pulled
 * from the iterable (and so rendered) only when the reader wants more bytes;
 * a failing entry errors the stream.
 */
export function zipStream(
  entries: AsyncIterable<ZipEntry>,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  async function* archive(): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    const ready: Uint8Array<ArrayBuffer>[] = [];
    let failure: Error | null = null;
    const zip = new Zip((error, chunk) => {
      if (error) failure = error;
      // fflate may reuse its buffers, so each chunk is copied out.
      else ready.push(new Uint8Array(chunk));
    });
    const drain = function* () {
      if (failure) throw failure;
      while (ready.length) yield ready.shift()!;
    };
    for await (const entry of entries) {
      const file = entry.deflate
        ? new NativeDeflate(entry.path, entry.level)
        : new NativeStored(entry.path);
      zip.add(file);
      const body = entry.body;
      if (typeof body === "string") {
        file.push(encoder.encode(body), true);
      } else if (body instanceof Uint8Array) {
        file.push(body, true);
      } else {
        for await (const chunk of body) {
          file.push(chunk);
          yield* drain();
        }
        file.push(new Uint8Array(0), true);
      }
      yield* drain();
    }
    zip.end();
    yield* drain();
  }
  return ReadableStream.from(archive());
}

/** Returns one chart as a ZIP of every format plus a README. */
export function renderZip(input: ExportInput): ExportResult {
  return {
    body: zipStream(chartEntries(input, titleSlug(input.title))),
    mime: "application/zip",
    extension: "zip",
  };
}

/** The per-chart ZIP exporter. */
export const zipExporter: Exporter<Record<string, never>> = {
  mime: "application/zip",
  extension: "zip",
  options: NoOptions,
  render: renderZip,
};
