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
} from "../datasets.ts";

const PAGE = 50;

interface Props {
  datasetId: string;
  onClose: () => void;
}

function statLine(page: DatasetPage, name: string): string {
  const s = page.stats.find((x) => x.name === name);
  if (!s) return "";
  const parts = [`${s.type}`, `${s.count.toLocaleString("en")} values`];
  if (s.nulls) parts.push(`${s.nulls.toLocaleString("en")} empty`);
  if (s.invalid) {
    parts.push(
      `${s.invalid.toLocaleString("en")} did not fit ${s.type} (read as empty)`,
    );
  }
  parts.push(
    `${s.distinct_exact ? "" : "≥ "}${
      s.distinct.toLocaleString("en")
    } distinct`,
  );
  if (s.min !== undefined) parts.push(`min ${s.min}`, `max ${s.max}`);
  if (s.mean !== undefined) parts.push(`mean ${Number(s.mean.toPrecision(6))}`);
  if (s.top?.length) {
    parts.push(
      `most common: ${s.top.slice(0, 3).map((t) => t.value).join(", ")}`,
    );
  }
  return parts.join(" · ");
}

export default function DatasetPreview({ datasetId, onClose }: Props) {
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
      .catch((e) => current && setError((e as Error).message))
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
        <h2 class="canvas-title">{page?.name ?? "Dataset"}</h2>
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
          <button type="button" onClick={onClose}>Back to charts</button>
        </div>
      </header>
      <nav class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected>Data</button>
      </nav>
      {error && <p class="error" role="alert">{error}</p>}
      {page && (
        <div class="tab-body">
          <p class="muted dataset-summary">
            {total.toLocaleString("en")} rows × {page.columns.length} columns
            {page.format ? ` · ${page.format.toUpperCase()}` : ""}
            {page.encoding ? ` · ${page.encoding}` : ""}
            {page.sheet ? ` · sheet “${page.sheet}”` : ""}
            {` · ${formatBytes(page.byte_size)}`}
          </p>
          {page.repairs.length > 0 && (
            <details class="repairs">
              <summary>
                {page.repairs.length} repair{page.repairs.length > 1 ? "s" : ""}
                {" "}
                made while reading
              </summary>
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
                      title={statLine(page, c.name)}
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
                      <span class="col-type">{c.type}</span>
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
              ← Previous
            </button>
            <span class="muted">
              rows {total === 0 ? 0 : (offset + 1).toLocaleString("en")}–{last
                .toLocaleString("en")} of {total.toLocaleString("en")}
            </span>
            <button
              type="button"
              disabled={last >= total}
              onClick={() => setOffset(offset + PAGE)}
            >
              Next →
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
