/**
 * Dataset export as a byte stream, batch by batch, in CSV, TSV, XLSX, JSON
 * (an array of objects) or NDJSON. Memory holds one batch of rows (and, for
 * XLSX, the deflate window), whatever the dataset's size.
 *
 * CSV and TSV: UTF-8, CRLF, a header row, written by the chart export's CSV
 * writer (quoted where needed, formula-like text neutralised). XLSX: one sheet streamed by xlsx_writer.ts, the
 * chart export's writer, with numbers as numbers and dates as real dates.
 */
import type { ColumnType, TableCell, TableColumn } from "@/lib/data/table.ts";
import { csvRecordWriter } from "./csv.ts";
import { excelSerial, type XlsxCell, xlsxStream } from "./xlsx_writer.ts";

/** Formats a dataset exports to. */
export const DATASET_EXPORT_FORMATS = [
  "csv",
  "tsv",
  "xlsx",
  "json",
  "ndjson",
] as const;
export type DatasetExportFormat = typeof DATASET_EXPORT_FORMATS[number];

/** Returns whether a string names a dataset export format. */
export function isDatasetExportFormat(v: string): v is DatasetExportFormat {
  return (DATASET_EXPORT_FORMATS as readonly string[]).includes(v);
}

export const EXPORT_MIME: Record<DatasetExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  tsv: "text/tab-separated-values; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

const encoder = new TextEncoder();

/** Returns a file name for a dataset in a format: its name without extension, made safe. */
export function exportFilename(
  name: string,
  format: DatasetExportFormat,
): string {
  const stem = name.replace(/\s*\(.*\)$/, "").replace(
    /\.(csv|tsv|tab|txt|xlsx|xlsm|json|ndjson|jsonl)$/i,
    "",
  )
    .replace(/[^\p{L}\p{N}._ -]+/gu, "_").trim().slice(0, 100) || "dataset";
  return `${stem}.${format}`;
}

type Batches = AsyncIterable<TableCell[][]>;

function streamOf(
  produce: (push: (bytes: Uint8Array) => void) => AsyncGenerator<void>,
): ReadableStream<Uint8Array> {
  const queue: Uint8Array[] = [];
  let steps: AsyncGenerator<void> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      steps ??= produce((bytes) => queue.push(bytes));
      while (queue.length === 0) {
        const next = await steps.next();
        if (next.done) {
          while (queue.length) controller.enqueue(queue.shift()!);
          controller.close();
          return;
        }
      }
      while (queue.length) controller.enqueue(queue.shift()!);
    },
    async cancel() {
      await steps?.return(undefined);
    },
  }, { highWaterMark: 2 });
}

function delimited(
  columns: TableColumn[],
  batches: Batches,
  delimiter: string,
) {
  const record = csvRecordWriter(delimiter);
  const width = columns.length;
  return streamOf(async function* (push) {
    push(encoder.encode(record(columns.map((c) => c.name))));
    yield;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      let text = "";
      for (const row of batch) {
        text += record(
          row.length === width ? row : columns.map((_, i) => row[i]),
        );
      }
      push(encoder.encode(text));
      yield;
    }
  });
}

function objectsOf(columns: TableColumn[], batch: TableCell[][]): string[] {
  const keys = columns.map((c) => JSON.stringify(c.name) + ":");
  return batch.map((row) => {
    let s = "{";
    for (let i = 0; i < keys.length; i++) {
      if (i) s += ",";
      s += keys[i] + JSON.stringify(row[i] ?? null);
    }
    return s + "}";
  });
}

function json(columns: TableColumn[], batches: Batches) {
  return streamOf(async function* (push) {
    push(encoder.encode("["));
    let first = true;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const text = objectsOf(columns, batch).join(",\n");
      push(encoder.encode((first ? "\n" : ",\n") + text));
      first = false;
      yield;
    }
    push(encoder.encode(first ? "]\n" : "\n]\n"));
  });
}

function ndjson(columns: TableColumn[], batches: Batches) {
  return streamOf(async function* (push) {
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      push(encoder.encode(objectsOf(columns, batch).join("\n") + "\n"));
      yield;
    }
  });
}

/** Returns the Excel serial day of an ISO date or date-time (wall time), or null. */
export function isoToExcelSerial(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(
    iso,
  );
  if (!m) return null;
  const ms = Date.UTC(
    +m[1],
    +m[2] - 1,
    +m[3],
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0),
  );
  return Number.isFinite(ms) ? excelSerial(ms) : null;
}

function xlsxCell(type: ColumnType, v: TableCell): XlsxCell {
  if ((type === "date" || type === "datetime") && typeof v === "string") {
    const serial = isoToExcelSerial(v);
    if (serial !== null) {
      return {
        serial,
        format: type === "date" ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm:ss",
      };
    }
  }
  return v;
}

function xlsx(columns: TableColumn[], batches: Batches, sheetName: string) {
  async function* rows(): AsyncGenerator<XlsxCell[][]> {
    for await (const batch of batches) {
      yield batch.map((row) => columns.map((c, i) => xlsxCell(c.type, row[i])));
    }
  }
  return xlsxStream({
    creator: "Chartroom",
    sheets: [{
      name: sheetName,
      header: columns.map((c) => c.name),
      widths: columns.map((c) => Math.min(60, Math.max(10, c.name.length + 2))),
      rows: rows(),
    }],
  }, { level: 1 });
}

/** Returns the dataset's rows as a stream of bytes in `format`. */
export function exportDataset(
  format: DatasetExportFormat,
  columns: TableColumn[],
  batches: Batches,
  sheetName = "Data",
): ReadableStream<Uint8Array> {
  switch (format) {
    case "csv":
      return delimited(columns, batches, ",");
    case "tsv":
      return delimited(columns, batches, "\t");
    case "json":
      return json(columns, batches);
    case "ndjson":
      return ndjson(columns, batches);
    case "xlsx":
      return xlsx(columns, batches, sheetName);
  }
}
