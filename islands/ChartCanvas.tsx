/**
 * The canvas: the session's charts (newest first), the open chart at full
 * size with tooltips and zoom, its versions (any can be opened, exported or
 * restored as the newest), tabs for its data, query and interpretation, a
 * PNG download and the export menu for the version on screen.
 */
import { useEffect, useState } from "preact/hooks";
import { useSignalEffect } from "@preact/signals";
import {
  announcedChart,
  closeDataset,
  openedDataset,
} from "@/lib/client/session_state.ts";
import DatasetPreview from "@/components/DatasetPreview.tsx";
import { fetchArtifact, forgetLatest } from "@/lib/client/artifacts.ts";
import type { ArtifactDetail, ArtifactView } from "@/lib/api/views.ts";
import { callApi } from "@/lib/api/client.ts";
import EChart from "@/components/EChart.tsx";
import ShareMenu, { SHARE_WORDS } from "@/components/ShareMenu.tsx";
import ExportMenu, {
  EXPORT_WORDS,
  exportHref,
} from "@/components/ExportMenu.tsx";
import { DATASET_WORDS } from "@/components/DatasetPreview.tsx";
import {
  errorText,
  formatCell,
  t,
  tParts,
  type UiKey,
  type UiText,
} from "@/lib/client/ui.ts";

/** The page words this island shows (the page passes them as `ui`). */
export const CANVAS_WORDS = [
  ...EXPORT_WORDS,
  ...SHARE_WORDS,
  ...DATASET_WORDS,
  "canvas",
  "charts",
  "chartsCount",
  "noCharts",
  "chart",
  "data",
  "query",
  "interpretation",
  "kind.line",
  "kind.bar",
  "kind.area",
  "kind.pie",
  "kind.donut",
  "kind.scatter",
  "kind.histogram",
  "kind.heatmap",
  "couldNotOpen",
  "version",
  "newestMark",
  "lookingAt",
  "restore",
  "showNewest",
  "restored",
  "couldNotRestore",
  "queryAbout",
  "params",
  "showingOf",
] as const satisfies readonly UiKey[];

type Ui = UiText<typeof CANVAS_WORDS[number]>;

interface Props {
  sessionId: string;
  artifacts: ArtifactView[];
  initial: ArtifactDetail | null;
  ui: Ui;
  /**
   * A share link's read-only canvas: charts and files come from `base`
   * (`/s/<token>`), the session's ZIP from `zipHref` (null: none), and
   * nothing can be changed.
   */
  shared?: { base: string; zipHref: string | null };
}

type Tab = "chart" | "data" | "query" | "notes";
const TABS: {
  id: Tab;
  label: "chart" | "data" | "query" | "interpretation";
}[] = [
  { id: "chart", label: "chart" },
  { id: "data", label: "data" },
  { id: "query", label: "query" },
  { id: "notes", label: "interpretation" },
];

export default function ChartCanvas(props: Props) {
  const { ui } = props;
  const base = props.shared?.base ?? "/api";
  const [list, setList] = useState<ArtifactView[]>(props.artifacts);
  const [open, setOpen] = useState<ArtifactDetail | null>(props.initial);
  const [tab, setTab] = useState<Tab>("chart");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);

  const refreshList = async () => {
    const page = await callApi(
      "GET /api/sessions/:id/artifacts",
      `/api/sessions/${props.sessionId}/artifacts?limit=100`,
    ).catch(() => null);
    if (page) setList(page.artifacts);
  };

  const show = async (id: string, version?: number) => {
    try {
      setError(null);
      setNotice(null);
      setOpen(await fetchArtifact(id, version, base));
    } catch (e) {
      setError(t(ui, "couldNotOpen", { message: errorText(ui, e) }));
    }
  };

  useSignalEffect(() => {
    const announced = announcedChart.value;
    if (!announced) return;
    forgetLatest(announced.artifactId);
    closeDataset();
    setTab("chart");
    show(announced.artifactId);
    refreshList();
  });

  useEffect(() => {
    if (!open && list.length > 0) show(list[0].id);
  }, []);

  // A dataset opened from the data list shows in the canvas's Data panel.
  const previewing = openedDataset.value;
  if (previewing) {
    return (
      <section class="canvas dataset-view" aria-label={ui.canvas}>
        <DatasetPreview
          datasetId={previewing}
          onClose={closeDataset}
          ui={ui}
        />
      </section>
    );
  }

  if (!open) {
    return (
      <section class="canvas empty" aria-label={ui.canvas}>
        <p>{ui.noCharts}</p>
      </section>
    );
  }

  const newest = Math.max(...open.versions);
  const isLatest = open.version === newest;
  // An older version on screen is what its files and links are made of.
  const shownVersion = isLatest ? undefined : open.version;

  const restore = async () => {
    setRestoring(true);
    setError(null);
    try {
      const body = await callApi(
        "POST /api/artifacts/:id/versions/:n/restore",
        `/api/artifacts/${open.id}/versions/${open.version}/restore`,
      );
      forgetLatest(open.id);
      setOpen(body);
      setNotice(t(ui, "restored", { from: open.version, to: body.version }));
      refreshList();
    } catch (e) {
      setError(t(ui, "couldNotRestore", { message: errorText(ui, e) }));
    } finally {
      setRestoring(false);
    }
  };

  return (
    <section class="canvas" aria-label={ui.canvas}>
      <header class="canvas-head">
        <h2 class="canvas-title">{open.title}</h2>
        <div class="canvas-actions">
          {open.versions.length > 1 && (
            <label class="versions">
              {ui.version}{" "}
              <select
                value={open.version}
                onChange={(e) =>
                  show(open.id, Number((e.target as HTMLSelectElement).value))}
              >
                {open.versions.map((v) => (
                  <option key={v} value={v}>
                    v{v}
                    {v === newest ? ` ${ui.newestMark}` : ""}
                  </option>
                ))}
              </select>
            </label>
          )}
          <a
            class="button"
            href={exportHref(open.id, "png", {}, shownVersion, base)}
            download
            data-format="png"
          >
            PNG
          </a>
          {!props.shared && (
            <ShareMenu
              sessionId={props.sessionId}
              artifactId={open.id}
              version={shownVersion}
              title={open.title}
              ui={ui}
            />
          )}
          <ExportMenu
            artifactId={open.id}
            version={shownVersion}
            ui={ui}
            base={base}
            zipHref={props.shared
              ? props.shared.zipHref
              : `/api/sessions/${props.sessionId}/export?format=zip`}
            links={!props.shared}
            dumpHref={props.shared
              ? null
              : `/api/sessions/${props.sessionId}/dump`}
          />
        </div>
        {!isLatest && (
          <p class="version-note" role="status">
            {t(ui, "lookingAt", { version: open.version, newest })}{" "}
            {!props.shared && (
              <button
                type="button"
                class="button"
                disabled={restoring}
                onClick={restore}
              >
                {ui.restore}
              </button>
            )}{" "}
            <button
              type="button"
              class="link"
              onClick={() => show(open.id, newest)}
            >
              {ui.showNewest}
            </button>
          </p>
        )}
        {notice && <p class="version-note" role="status">{notice}</p>}
      </header>
      <nav class="tabs" role="tablist">
        {TABS.map((each) => (
          <button
            type="button"
            role="tab"
            key={each.id}
            aria-selected={tab === each.id}
            onClick={() => setTab(each.id)}
          >
            {ui[each.label]}
          </button>
        ))}
      </nav>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="tab-body">
        {tab === "chart" && (
          <EChart
            option={open.option}
            class="main-chart"
            label={open.title}
            locale={ui.locale}
          />
        )}
        {tab === "data" && <DataTable detail={open} ui={ui} />}
        {tab === "query" && (
          <div class="query">
            <p>
              {tParts(ui, "queryAbout", {
                dataset: <strong>{open.provenance.dataset_name}</strong>,
                rows: open.provenance.row_count,
                ms: open.provenance.execution_ms,
              })}
            </p>
            <pre><code>{open.provenance.query}</code></pre>
            {open.provenance.params.length > 0 && (
              <p class="muted">
                {ui.params}{" "}
                {open.provenance.params.map((p, i) => (
                  <code key={i}>{JSON.stringify(p)}</code>
                ))}
              </p>
            )}
          </div>
        )}
        {tab === "notes" && <p class="interpretation">{open.interpretation}</p>}
      </div>
      <aside class="history" aria-label={ui.charts}>
        <h3>{t(ui, "chartsCount", { n: list.length })}</h3>
        <ol>
          {list.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                class={a.id === open.id ? "current" : ""}
                onClick={() => {
                  forgetLatest(a.id, base);
                  show(a.id);
                }}
              >
                <span class="kind">
                  {ui[`kind.${a.chart_type}`] ?? a.chart_type}
                </span>{" "}
                {a.title}
                {a.version > 1 && <span class="badge">v{a.version}</span>}
              </button>
            </li>
          ))}
        </ol>
      </aside>
    </section>
  );
}

function DataTable({ detail, ui }: { detail: ArtifactDetail; ui: Ui }) {
  const { columns, rows } = detail.data;
  const shown = rows.slice(0, 500);
  return (
    <div class="data-table">
      <table>
        <thead>
          <tr>
            {columns.map((c) => <th key={c.name}>{c.label ?? c.name}</th>)}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} class={typeof cell === "number" ? "num" : ""}>
                  {cell === null
                    ? "—"
                    : typeof cell === "number"
                    ? formatCell(ui, cell)
                    : String(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <p class="muted">
          {t(ui, "showingOf", { shown: shown.length, total: rows.length })}
        </p>
      )}
    </div>
  );
}
