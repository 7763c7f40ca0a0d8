/**
 * The session's own data: a drop zone and file picker that upload with a
 * progress bar, and the list of the session's datasets (uploads and workflow
 * outputs) with preview, download and delete. Files dropped on the chat
 * arrive here through `uploadRequest`.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { useSignalEffect } from "@preact/signals";
import {
  datasetsChanged,
  datasetsVersion,
  openDataset,
  openedDataset,
  uploadRequest,
} from "@/lib/client/session_state.ts";
import {
  type DatasetView,
  deleteDatasetRequest,
  fetchDatasets,
  formatBytes,
  uploadFile,
} from "@/lib/client/datasets.ts";
import {
  errorText,
  t,
  tn,
  tParts,
  type UiKey,
  type UiText,
} from "@/lib/client/ui.ts";

/** The page words this island shows (the page passes them as `ui`). */
export const UPLOADER_WORDS = [
  "yourData",
  "dropHint",
  "chooseFile",
  "upTo",
  "uploadFile",
  "uploading",
  "reading",
  "checking",
  "uploadProgress",
  "tooBig",
  "couldNotUpload",
  "repairedWith",
  "confirmDeleteDataset",
  "couldNotDelete",
  "previewInCanvas",
  "rowCount_one",
  "rowCount_other",
  "columnCount_one",
  "columnCount_other",
  "delete",
  "serverAnswered",
  "noAnswer",
] as const satisfies readonly UiKey[];

interface Props {
  sessionId: string;
  datasets: DatasetView[];
  maxBytes: number;
  ui: UiText<typeof UPLOADER_WORDS[number]>;
}

interface Upload {
  name: string;
  fraction: number;
  /** Sent; the server is reading it. */
  parsing: boolean;
}

const ACCEPT = ".csv,.tsv,.tab,.txt,.xlsx,.xlsm,.json,.ndjson,.jsonl";

export default function Uploader(props: Props) {
  const { ui } = props;
  const bytes = (n: number) => formatBytes(n, ui.locale);
  const [datasets, setDatasets] = useState<DatasetView[]>(props.datasets);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<
    { name: string; repairs: string[] } | null
  >(null);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const seen = useRef(0);

  const refresh = async () => {
    try {
      setDatasets(await fetchDatasets(props.sessionId));
    } catch {
      // The list stays as it was; the next change refreshes it.
    }
  };

  async function send(file: File) {
    if (upload) return;
    setError(null);
    setNotes(null);
    if (file.size > props.maxBytes) {
      setError(
        t(ui, "tooBig", {
          name: file.name,
          size: bytes(file.size),
          limit: bytes(props.maxBytes),
        }),
      );
      return;
    }
    setUpload({ name: file.name, fraction: 0, parsing: false });
    try {
      const dataset = await uploadFile(
        props.sessionId,
        file,
        (fraction) =>
          setUpload({ name: file.name, fraction, parsing: fraction >= 1 }),
      );
      setDatasets((
        all,
      ) => [...all.filter((d) => d.id !== dataset.id), dataset]);
      if (dataset.repairs.length) {
        setNotes({ name: dataset.name, repairs: dataset.repairs });
      }
      datasetsChanged();
      openDataset(dataset.id);
    } catch (e) {
      setError(
        t(ui, "couldNotUpload", {
          name: file.name,
          message: errorText(ui, e),
        }),
      );
    } finally {
      setUpload(null);
      if (input.current) input.current.value = "";
    }
  }

  useSignalEffect(() => {
    const request = uploadRequest.value;
    if (request && request.at !== seen.current) {
      seen.current = request.at;
      send(request.file);
    }
  });
  useSignalEffect(() => {
    if (datasetsVersion.value > 0) refresh();
  });
  useEffect(() => {
    if (props.datasets.length === 0) refresh();
  }, []);

  const remove = async (d: DatasetView) => {
    if (!confirm(t(ui, "confirmDeleteDataset", { name: d.name }))) {
      return;
    }
    try {
      await deleteDatasetRequest(d.id);
      setDatasets((all) => all.filter((x) => x.id !== d.id));
    } catch (e) {
      setError(
        t(ui, "couldNotDelete", {
          name: d.name,
          message: errorText(ui, e),
        }),
      );
    }
  };

  const percent = upload ? Math.round(upload.fraction * 100) : 0;
  return (
    <section class="uploader" aria-label={ui.yourData}>
      <div
        class={`dropzone${over ? " over" : ""}${upload ? " busy" : ""}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer?.files?.[0];
          if (file) send(file);
        }}
      >
        {upload
          ? (
            <div class="upload-progress" role="status">
              <span>
                {t(ui, upload.parsing ? "reading" : "uploading", {
                  name: upload.name,
                })}
              </span>
              <progress
                max={100}
                value={percent}
                aria-label={ui.uploadProgress}
              >
                {percent}%
              </progress>
              <span class="muted">
                {upload.parsing ? ui.checking : `${percent}%`}
              </span>
            </div>
          )
          : (
            <p>
              {ui.dropHint}{" "}
              <button
                type="button"
                class="link"
                onClick={() => input.current?.click()}
              >
                {ui.chooseFile}
              </button>{" "}
              <span class="muted">
                {t(ui, "upTo", { size: bytes(props.maxBytes) })}
              </span>
            </p>
          )}
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          hidden
          aria-label={ui.uploadFile}
          onChange={(e) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) send(file);
          }}
        />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {notes && (
        <div class="repairs" role="status">
          <p>
            {tParts(ui, "repairedWith", {
              name: <strong>{notes.name}</strong>,
            })}
          </p>
          <ul>
            {notes.repairs.map((r) => <li key={r}>{r}</li>)}
          </ul>
        </div>
      )}
      {datasets.length > 0 && (
        <ul class="dataset-list">
          {datasets.map((d) => (
            <li
              key={d.id}
              class={openedDataset.value === d.id ? "current" : ""}
              data-dataset-id={d.id}
            >
              <div class="dataset-line">
                <button
                  type="button"
                  class="link dataset-name"
                  title={ui.previewInCanvas}
                  onClick={() => openDataset(d.id)}
                >
                  {d.name}
                </button>
                <span class="muted">
                  {tn(ui, "rowCount", d.rows)} ×{" "}
                  {tn(ui, "columnCount", d.columns.length)}
                  {d.format ? ` · ${d.format.toUpperCase()}` : ""}
                </span>
              </div>
              <div class="dataset-actions">
                <a href={`/api/datasets/${d.id}/export?format=csv`} download>
                  CSV
                </a>
                <a href={`/api/datasets/${d.id}/export?format=xlsx`} download>
                  XLSX
                </a>
                <a href={`/api/datasets/${d.id}/export?format=json`} download>
                  JSON
                </a>
                <button
                  type="button"
                  class="link danger-link"
                  onClick={() => remove(d)}
                >
                  {ui.delete}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
