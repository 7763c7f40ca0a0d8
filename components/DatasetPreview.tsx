/**
 * The canvas's Data panel for a dataset: its columns with types, a page of
 * rows sortable by any column (click a header; again to reverse), paging,
 * per-column statistics on hover and the repairs made while reading it.
 */
import { useEffect, useState } from "preact/hooks";
import {
  type DatasetPage,
  fetchDatasetPage,
  formatBytes,
} from "@/lib/client/datasets.ts";
import {
  errorText,
  formatCell,
  formatNumber,
  t,
  tn,
  type UiKey,
  type UiText,
} from "@/lib/client/ui.ts";

const PAGE = 50;

/** The page words the dataset view shows. */
export const DATASET_WORDS = [
  "data",
  "dataset",
  "backToCharts",
  "sheet",
  "rowCount_one",
  "rowCount_other",
  "columnCount_one",
  "columnCount_other",
  "repairs_one",
  "repairs_other",
  "type.integer",
  "type.number",
  "type.boolean",
  "type.date",
  "type.datetime",
  "type.text",
  "statValues",
  "statEmpty",
  "statInvalid",
  "statDistinct",
  "statMin",
  "statMax",
  "statMean",
  "statTop",
  "previous",
  "next",
  "rowsRange",
  "serverAnswered",
  "noAnswer",
] as const satisfies readonly UiKey[];

type Ui = UiText<typeof DATASET_WORDS[number]>;

interface Props {
  datasetId: string;
  onClose: () => void;
  ui: Ui;
}

/** Returns a column type in the page's words. */
function typeName(ui: Ui, type: string): string {
  return (ui as Record<string, string>)[`type.${type}`] ?? type;
}

function statLine(ui: Ui, page: DatasetPage, name: string): string {
  const s = page.stats.find((x) => x.name === name);
  if (!s) return "";
  const type = typeName(ui, s.type);
  const parts = [type, t(ui, "statValues", { n: s.count })];
  if (s.nulls) parts.push(t(ui, "statEmpty", { n: s.nulls }));
  if (s.invalid) parts.push(t(ui, "statInvalid", { n: s.invalid, type }));
  parts.push(
    (s.distinct_exact ? "" : "≥ ") +
      t(ui, "statDistinct", { n: s.distinct }),
  );
  if (s.min !== undefined) {
    parts.push(
      t(ui, "statMin", { value: String(s.min) }),
      t(ui, "statMax", { value: String(s.max) }),
    );
  }
  if (s.mean !== undefined) {
    parts.push(t(ui, "statMean", { value: formatNumber(ui, s.mean) }));
  }
  if (s.top?.length) {
    parts.push(
      t(ui, "statTop", {
        values: s.top.slice(0, 3).map((x) => x.value).join(", "),
      }),
    );
  }
  return parts.join(" · ");
}

export default function DatasetPreview({ datasetId, onClose, ui }: Props) {
  const [page, setPage] = useState<DatasetPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<string | null>(null);
  const [dir, setDir] = useState<"asc" | "desc">("asc");
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setOffset(0);
    setSort(null);
    setDir("asc");
    setPage(null);
  }, [datasetId]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    fetchDatasetPage(datasetId, { offset, limit: PAGE, sort, dir })
      .then((p) => {
        if (current) {
          setPage(p);
          setError(null);
        }
      })
      .catch((e) => current && setError(errorText(ui, e)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [datasetId, offset, sort, dir]);

  const sortBy = (name: string) => {
    if (sort === name) setDir(dir === "asc" ? "desc" : "asc");
    else {
      setSort(name);
      setDir("asc");
    }
    setOffset(0);
  };

  const total = page?.preview.total ?? 0;
  const last = Math.min(total, offset + PAGE);
  return (
    <div class="dataset-preview" data-loading={loading ? "true" : "false"}>
      <header class="canvas-head">
        <h2 class="canvas-title">{page?.name ?? ui.dataset}</h2>
        <div class="canvas-actions">
          {page && (
            <>
              <a
                class="button"
                href={`/api/datasets/${datasetId}/export?format=csv`}
                download
              >
                CSV
              </a>
              <a
                class="button"
                href={`/api/datasets/${datasetId}/export?format=xlsx`}
                download
              >
                XLSX
              </a>
            </>
          )}
          <button type="button" onClick={onClose}>{ui.backToCharts}</button>
        </div>
      </header>
      <nav class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected>{ui.data}</button>
      </nav>
      {error && <p class="error" role="alert">{error}</p>}
      {page && (
        <div class="tab-body">
          <p class="muted dataset-summary">
            {tn(ui, "rowCount", total)} ×{" "}
            {tn(ui, "columnCount", page.columns.length)}
            {page.format ? ` · ${page.format.toUpperCase()}` : ""}
            {page.encoding ? ` · ${page.encoding}` : ""}
            {page.sheet ? ` · ${t(ui, "sheet", { name: page.sheet })}` : ""}
            {` · ${formatBytes(page.byte_size, ui.locale)}`}
          </p>
          {page.repairs.length > 0 && (
            <details class="repairs">
              <summary>{tn(ui, "repairs", page.repairs.length)}</summary>
              <ul>
                {page.repairs.map((r) => <li key={r}>{r}</li>)}
              </ul>
            </details>
          )}
          <div class="data-table">
            <table>
              <thead>
                <tr>
                  {page.preview.columns.map((c) => (
                    <th
                      key={c.name}
                      title={statLine(ui, page, c.name)}
                      aria-sort={sort === c.name
                        ? (dir === "asc" ? "ascending" : "descending")
                        : "none"}
                    >
                      <button
                        type="button"
                        class="sort"
                        onClick={() => sortBy(c.name)}
                      >
                        {c.name}
                        {sort === c.name ? (dir === "asc" ? " ▲" : " ▼") : ""}
                      </button>
                      <span class="col-type">{typeName(ui, c.type)}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.preview.rows.map((row, i) => (
                  <tr key={offset + i}>
                    {row.map((cell, j) => (
                      <td key={j} class={typeof cell === "number" ? "num" : ""}>
                        {cell === null
                          ? <span class="muted">—</span>
                          : typeof cell === "number"
                          ? formatCell(ui, cell)
                          : String(cell)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="pager">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {ui.previous}
            </button>
            <span class="muted">
              {t(ui, "rowsRange", {
                from: total === 0 ? 0 : offset + 1,
                to: last,
                total,
              })}
            </span>
            <button
              type="button"
              disabled={last >= total}
              onClick={() => setOffset(offset + PAGE)}
            >
              {ui.next}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
