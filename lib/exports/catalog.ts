/**
 * What each export format is, in words: the menu's labels and one-line
 * descriptions. Plain data, shared with the browser (the export menu) and
 * checked against the registry in `mod.ts` by a test, so the two cannot drift.
 */

/** One entry of the export menu. */
export interface ExportFormatInfo {
  /** The `?format=` value. */
  id: string;
  /** Short name shown on the menu item. */
  label: string;
  /** One line saying what the file is for. */
  description: string;
}

/** Every export format in menu order, described for people. */
export const EXPORT_CATALOG: readonly ExportFormatInfo[] = [
  {
    id: "png",
    label: "PNG image",
    description: "Picture of the chart for slides, documents and chat.",
  },
  {
    id: "svg",
    label: "SVG vector",
    description: "Sharp at any size; edit it in Inkscape or Illustrator.",
  },
  {
    id: "pdf",
    label: "PDF",
    description: "One vector page sized to the chart, text selectable.",
  },
  {
    id: "csv",
    label: "CSV data",
    description: "The chart's data as plain text for any spreadsheet.",
  },
  {
    id: "xlsx",
    label: "Excel workbook",
    description: "Typed data with a header row, plus a sheet about the chart.",
  },
  {
    id: "xml",
    label: "XML data",
    description: "Data and chart metadata, valid against chartroom.xsd.",
  },
  {
    id: "json",
    label: "JSON",
    description: "Data, chart spec, ECharts option and provenance in one file.",
  },
  {
    id: "html",
    label: "Interactive HTML",
    description: "One offline web page with tooltips, zoom and legend.",
  },
  {
    id: "ipynb",
    label: "Jupyter notebook",
    description: "Data, the query and a pandas + matplotlib redraw.",
  },
  {
    id: "py",
    label: "Python script",
    description: "Rebuilds the chart image from the command line.",
  },
  {
    id: "requirements",
    label: "requirements.txt",
    description: "Pinned Python packages for the notebook and script.",
  },
  {
    id: "zip",
    label: "ZIP bundle",
    description: "Every format above plus a README, in one archive.",
  },
];
