/**
 * The canvas's export menu: every format with a one-line description, a
 * direct download link (options in the URL) and "Copy link", which asks the
 * server for a signed, expiring URL that works without a cookie. PNG offers
 * size and scale, CSV its delimiter and a BOM for Excel. With `version`,
 * every file and link is of that version of the chart.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { EXPORT_CATALOG } from "@/lib/exports/catalog.ts";
import { errorText, t, type UiKey, type UiText } from "@/lib/client/ui.ts";
import { sendJson } from "@/lib/api/client.ts";

/** The page words the export menu shows. */
export const EXPORT_WORDS = [
  ...EXPORT_CATALOG.flatMap((id) => [
    `format.${id}` as const,
    `format.${id}.about` as const,
  ]),
  "export",
  "versionFiles",
  "makingLink",
  "linkCopied",
  "copyThisLink",
  "couldNotLink",
  "size",
  "scale",
  "delimiter",
  "comma",
  "semicolon",
  "tab",
  "bom",
  "copyLink",
  "sessionZip",
  "sessionZipAbout",
  "sessionDump",
  "sessionDumpAbout",
  "serverAnswered",
  "noAnswer",
] as const satisfies readonly UiKey[];

interface Props {
  artifactId: string;
  /** The version on screen; omitted for the newest. */
  version?: number;
  ui: UiText<typeof EXPORT_WORDS[number]>;
  /** Where files come from: `/api`, or a share link's `/s/<token>`. */
  base?: string;
  /** The session's ZIP of every chart; null offers none. */
  zipHref: string | null;
  /** Offer "Copy link" (signed links are the owner's to make). */
  links?: boolean;
  /** The session's archive (`/dump`); null offers none. */
  dumpHref?: string | null;
}

const PNG_SIZES = [
  { label: "800 × 450", width: 800, height: 450 },
  { label: "1200 × 675", width: 1200, height: 675 },
  { label: "1920 × 1080", width: 1920, height: 1080 },
  { label: "1080 × 1080", width: 1080, height: 1080 },
  { label: "600 × 600", width: 600, height: 600 },
] as const;

const DELIMITERS = ["comma", "semicolon", "tab"] as const;

type Options = Record<string, string>;

/** Returns the download URL of a chart (or one of its versions) in a format. */
export function exportHref(
  artifactId: string,
  format: string,
  options: Options = {},
  version?: number,
  base = "/api",
): string {
  return `${base}/artifacts/${artifactId}/export?${new URLSearchParams({
    format,
    ...options,
    ...(version ? { version: String(version) } : {}),
  })}`;
}

/** Returns the export menu for one chart. */
export default function ExportMenu(
  {
    artifactId,
    version,
    ui,
    base = "/api",
    zipHref,
    links = true,
    dumpHref = null,
  }: Props,
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
    exportHref(artifactId, format, optionsOf(format), version, base);

  const copyLink = async (format: string) => {
    setStatus(ui.makingLink);
    setManualUrl(null);
    try {
      const body = await sendJson(
        "POST /api/artifacts/:id/links",
        `/api/artifacts/${artifactId}/links`,
        {
          format,
          options: optionsOf(format),
          ...(version ? { version } : {}),
        },
      );
      const expires = new Date(body.expires_at).toLocaleTimeString(ui.locale, {
        hour: "2-digit",
        minute: "2-digit",
      });
      try {
        await navigator.clipboard.writeText(body.url);
        setStatus(t(ui, "linkCopied", { time: expires }));
      } catch {
        // No clipboard (an insecure origin, or permission refused): show it.
        setManualUrl(body.url);
        setStatus(t(ui, "copyThisLink", { time: expires }));
      }
    } catch (error) {
      setStatus(t(ui, "couldNotLink", { message: errorText(ui, error) }));
    }
  };

  return (
    <details class="export-menu" ref={menu}>
      <summary class="button" aria-haspopup="true">{ui.export} ▾</summary>
      <div class="export-panel">
        {version && (
          <p class="export-status">{t(ui, "versionFiles", { version })}</p>
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
          {EXPORT_CATALOG.map((id) => (
            <li key={id} class="export-item">
              <div class="export-text">
                <a href={hrefOf(id)} download data-export={id}>
                  {ui[`format.${id}`]}
                </a>
                <span class="muted">{ui[`format.${id}.about`]}</span>
              </div>
              {id === "png" && (
                <div class="export-options">
                  <label>
                    {ui.size}{" "}
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
                    {ui.scale}{" "}
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
              {id === "csv" && (
                <div class="export-options">
                  <label>
                    {ui.delimiter}{" "}
                    <select
                      value={delimiter}
                      onChange={(e) =>
                        setDelimiter((e.target as HTMLSelectElement).value)}
                    >
                      {DELIMITERS.map((d) => (
                        <option key={d} value={d}>{ui[d]}</option>
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
                    {ui.bom}
                  </label>
                </div>
              )}
              {links && (
                <button
                  type="button"
                  class="link copy-link"
                  onClick={() => copyLink(id)}
                >
                  {ui.copyLink}
                </button>
              )}
            </li>
          ))}
        </ul>
        {zipHref && (
          <p class="export-session">
            <a href={zipHref} download data-export="session-zip">
              {ui.sessionZip}
            </a>{" "}
            <span class="muted">{ui.sessionZipAbout}</span>
          </p>
        )}
        {dumpHref && (
          <p class="export-session">
            <a href={dumpHref} download data-export="session-dump">
              {ui.sessionDump}
            </a>{" "}
            <span class="muted">{ui.sessionDumpAbout}</span>
          </p>
        )}
      </div>
    </details>
  );
}
