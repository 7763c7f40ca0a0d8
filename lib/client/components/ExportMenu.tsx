/**
 * The canvas's export menu: every format with a one-line description, a
 * direct download link (options in the URL) and "Copy link", which asks the
 * server for a signed, expiring URL that works without a cookie. PNG offers
 * size and scale, CSV its delimiter and a BOM for Excel. With `version`,
 * every file and link is of that version of the chart.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { EXPORT_CATALOG } from "../../exports/catalog.ts";

interface Props {
  artifactId: string;
  sessionId: string;
  /** The version on screen; omitted for the newest. */
  version?: number;
}

const PNG_SIZES = [
  { label: "800 × 450", width: 800, height: 450 },
  { label: "1200 × 675", width: 1200, height: 675 },
  { label: "1920 × 1080", width: 1920, height: 1080 },
  { label: "1080 × 1080", width: 1080, height: 1080 },
  { label: "600 × 600", width: 600, height: 600 },
] as const;

const DELIMITERS = [
  { value: "comma", label: "Comma (,)" },
  { value: "semicolon", label: "Semicolon (;)" },
  { value: "tab", label: "Tab" },
] as const;

type Options = Record<string, string>;

/** Returns the download URL of a chart (or one of its versions) in a format. */
export function exportHref(
  artifactId: string,
  format: string,
  options: Options = {},
  version?: number,
): string {
  return `/api/artifacts/${artifactId}/export?${new URLSearchParams({
    format,
    ...options,
    ...(version ? { version: String(version) } : {}),
  })}`;
}

/** Returns the export menu for one chart. */
export default function ExportMenu(
  { artifactId, sessionId, version }: Props,
) {
  const menu = useRef<HTMLDetailsElement>(null);
  const [pngSize, setPngSize] = useState(0);
  const [pngScale, setPngScale] = useState("2");
  const [delimiter, setDelimiter] = useState("comma");
  const [bom, setBom] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [manualUrl, setManualUrl] = useState<string | null>(null);

  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (
        event instanceof KeyboardEvent
          ? event.key === "Escape"
          : !details.contains(event.target as Node)
      ) {
        details.open = false;
      }
    };
    document.addEventListener("click", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", close);
    };
  }, []);

  const optionsOf = (format: string): Options => {
    if (format === "png") {
      const size = PNG_SIZES[pngSize];
      return {
        width: String(size.width),
        height: String(size.height),
        scale: pngScale,
      };
    }
    if (format === "csv") {
      return { delimiter, ...(bom ? { bom: "true" } : {}) };
    }
    return {};
  };

  const hrefOf = (format: string) =>
    exportHref(artifactId, format, optionsOf(format), version);

  const copyLink = async (format: string) => {
    setStatus("Making a link…");
    setManualUrl(null);
    try {
      const response = await fetch(`/api/artifacts/${artifactId}/links`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          format,
          options: optionsOf(format),
          ...(version ? { version } : {}),
        }),
      });
      const body = await response.json();
      if (!response.ok) {
        throw new Error(body?.error?.message ?? response.statusText);
      }
      const expires = new Date(body.expires_at).toLocaleTimeString([], {
        hour: "2-digit",
        minute: "2-digit",
      });
      try {
        await navigator.clipboard.writeText(body.url);
        setStatus(`Link copied; it works until ${expires}.`);
      } catch {
        // No clipboard (an insecure origin, or permission refused): show it.
        setManualUrl(body.url);
        setStatus(`Copy this link; it works until ${expires}.`);
      }
    } catch (error) {
      setStatus(`Could not make a link: ${(error as Error).message}`);
    }
  };

  return (
    <details class="export-menu" ref={menu}>
      <summary class="button" aria-haspopup="true">Export ▾</summary>
      <div class="export-panel">
        {version && (
          <p class="export-status">
            Files and links below are of version {version}.
          </p>
        )}
        {status && <p class="export-status" role="status">{status}</p>}
        {manualUrl && (
          <input
            class="export-url"
            readOnly
            value={manualUrl}
            onFocus={(e) => (e.target as HTMLInputElement).select()}
          />
        )}
        <ul class="export-list">
          {EXPORT_CATALOG.map((format) => (
            <li key={format.id} class="export-item">
              <div class="export-text">
                <a
                  href={hrefOf(format.id)}
                  download
                  data-export={format.id}
                >
                  {format.label}
                </a>
                <span class="muted">{format.description}</span>
              </div>
              {format.id === "png" && (
                <div class="export-options">
                  <label>
                    Size{" "}
                    <select
                      value={pngSize}
                      onChange={(e) =>
                        setPngSize(
                          Number((e.target as HTMLSelectElement).value),
                        )}
                    >
                      {PNG_SIZES.map((size, i) => (
                        <option key={size.label} value={i}>{size.label}</option>
                      ))}
                    </select>
                  </label>
                  <label>
                    Scale{" "}
                    <select
                      value={pngScale}
                      onChange={(e) =>
                        setPngScale((e.target as HTMLSelectElement).value)}
                    >
                      {["1", "2", "3", "4"].map((s) => (
                        <option key={s} value={s}>{s}×</option>
                      ))}
                    </select>
                  </label>
                </div>
              )}
              {format.id === "csv" && (
                <div class="export-options">
                  <label>
                    Delimiter{" "}
                    <select
                      value={delimiter}
                      onChange={(e) =>
                        setDelimiter((e.target as HTMLSelectElement).value)}
                    >
                      {DELIMITERS.map((d) => (
                        <option key={d.value} value={d.value}>{d.label}</option>
                      ))}
                    </select>
                  </label>
                  <label>
                    <input
                      type="checkbox"
                      checked={bom}
                      onChange={(e) =>
                        setBom((e.target as HTMLInputElement).checked)}
                    />{" "}
                    BOM for Excel
                  </label>
                </div>
              )}
              <button
                type="button"
                class="link copy-link"
                onClick={() =>
                  copyLink(format.id)}
              >
                Copy link
              </button>
            </li>
          ))}
        </ul>
        <p class="export-session">
          <a
            href={`/api/sessions/${sessionId}/export?format=zip`}
            download
            data-export="session-zip"
          >
            Every chart of this session (ZIP)
          </a>{" "}
          <span class="muted">
            with a README and a Dockerfile that rebuilds them.
          </span>
        </p>
      </div>
    </details>
  );
}
