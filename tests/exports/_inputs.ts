/**
 * Export fixtures: a small line chart with two series whose title, series
 * names and cells carry every kind of hostile text, plus helpers to read an
 * export's bytes and to write it where an outside program can open it.
 */
import type { ChartType, Snapshot } from "@/lib/charts/spec.ts";
import type { ExportInput, ExportResult } from "@/lib/exports/types.ts";

/** Text that must come out escaped and intact in every format. */
export const HOSTILE = {
  title: `Sales <b>"Q1"</b> </script><script>alert(1)</script> & 📈 Ελλάδα`,
  seriesA: `North "<x>" =cmd|' /C calc'!A0`,
  seriesB: "South\nline two 🎉",
  category: `</script><!-- & "quoted" 'single'`,
  formula: "=cmd|' /C calc'!A0",
  newline: "line one\nline two",
  emoji: "emoji 📈🎉",
  query: `SELECT "x" FROM data WHERE a < 3 AND b > 'y' -- </script>`,
  interpretation: `Up <b>12%</b> & "rising"\nSecond line </script> 🎉`,
} as const;

/** A line chart with two series, a date x axis and hostile text everywhere. */
export function hostileInput(): ExportInput {
  const snapshot: Snapshot = {
    columns: [
      { name: "date", type: "date" },
      { name: "north", type: "number", label: HOSTILE.seriesA },
      { name: "south", type: "number", label: HOSTILE.seriesB },
      { name: "note", type: "string" },
    ],
    rows: [
      ["2024-01-01", 12.5, 3, HOSTILE.category],
      ["2024-01-02", -4, null, HOSTILE.formula],
      ["2024-01-03", 0, 7.25, HOSTILE.newline],
      ["2024-01-04", 1e-7, 1234567.875, HOSTILE.emoji],
      ["2024-01-05", null, 9, null],
      ["2024-01-06", 18, -2.5, ""],
    ],
  };
  return {
    title: HOSTILE.title,
    spec: {
      type: "line",
      title: HOSTILE.title,
      subtitle: "Daily <units> & more",
      x: "date",
      series: ["north", "south"],
      xLabel: "Day",
      yLabel: "Units <sold>",
    },
    snapshot,
    provenance: {
      query: HOSTILE.query,
      dataset: "sales <demo>",
      rowCount: 6,
      executionMs: 1.25,
    },
    interpretation: HOSTILE.interpretation,
  };
}

/** A plain chart of each type over a small table, for per-type checks. */
export function simpleInput(type: ChartType): ExportInput {
  const snapshot: Snapshot = type === "histogram"
    ? {
      columns: [
        { name: "edge", type: "number", label: "Weight (kg)" },
        { name: "count", type: "number", label: "People" },
      ],
      // The 0.75 bin is empty (missing), as a GROUP BY leaves it out.
      rows: [[0, 3], [0.25, 9], [0.5, 14], [1, 6], [1.25, 2]],
    }
    : type === "scatter"
    ? {
      columns: [
        { name: "height", type: "number" },
        { name: "weight", type: "number" },
        { name: "group", type: "string" },
      ],
      rows: [
        [150, 50, "a"],
        [160, 58, "b"],
        [170, 66, "a"],
        [180, 80, "b"],
        [175, 70, null],
      ],
    }
    : {
      columns: [
        { name: "month", type: "date" },
        { name: "revenue", type: "number", label: "Revenue" },
        { name: "cost", type: "number", label: "Cost" },
      ],
      rows: [
        ["2024-01", 120, 80],
        ["2024-02", 150, 90],
        ["2024-03", 90, 95],
        ["2024-04", 200, 110],
      ],
    };
  const title = `${type} chart`;
  return {
    title,
    spec: type === "scatter"
      ? { type, title, x: "height", series: ["weight"], group: "group" }
      : type === "histogram"
      ? { type, title, x: "edge", series: ["count"], binWidth: 0.25 }
      : type === "pie" || type === "donut"
      ? { type, title, x: "month", series: ["revenue"] }
      : {
        type,
        title,
        x: "month",
        series: ["revenue", "cost"],
        stacked: type === "area" ? true : undefined,
      },
    snapshot,
  };
}

/** Returns an export's whole body as bytes. */
export async function bytesOf(
  result: Pick<ExportResult, "body">,
): Promise<Uint8Array> {
  return new Uint8Array(await new Response(result.body).arrayBuffer());
}

/** Returns an export's whole body as UTF-8 text. */
export async function textOf(
  result: Pick<ExportResult, "body">,
): Promise<string> {
  return await new Response(result.body).text();
}

/** Writes an export into a fresh temp dir and returns the file's path; the dir goes on dispose. */
export async function tempFile(
  name: string,
  bytes: Uint8Array,
): Promise<{ path: string; dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-export-" });
  const path = `${dir}/${name}`;
  await Deno.writeFile(path, bytes);
  return {
    path,
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
