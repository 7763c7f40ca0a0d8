/**
 * The canvas's share menu: read-only links (`/s/<token>`) to the chart on
 * screen (its newest version, or the older version shown), or to the whole
 * session, with an expiry; the link just made with its embed snippets; and
 * the session's links with when each was last opened, each revocable.
 */
import { useState } from "preact/hooks";
import type { UiKey } from "@/lib/agent/lang/types.ts";
import { errorText, relativeTime, t, type UiText } from "@/lib/client/ui.ts";
import { callApi, callApiNoContent, sendJson } from "@/lib/api/client.ts";
import type { ShareView } from "@/lib/api/views.ts";

/** The page words the share menu shows. */
export const SHARE_WORDS = [
  "share",
  "shareChart",
  "shareVersion",
  "shareSession",
  "shareExpires",
  "expires.never",
  "expires.1d",
  "expires.7d",
  "expires.30d",
  "shareMade",
  "shareEmbed",
  "shareLinks",
  "shareOpened",
  "shareNotOpened",
  "shareRevoke",
  "shareKind.session",
  "shareKind.chart",
  "couldNotShare",
  "serverAnswered",
  "noAnswer",
] as const satisfies readonly UiKey[];

interface Props {
  sessionId: string;
  artifactId: string;
  /** The version on screen; omitted for the newest. */
  version?: number;
  title: string;
  ui: UiText<typeof SHARE_WORDS[number]>;
}

const EXPIRIES = ["never", "1d", "7d", "30d"] as const;

/** Returns the share menu of the chart on screen. */
export default function ShareMenu(
  { sessionId, artifactId, version, title, ui }: Props,
) {
  const [expiry, setExpiry] = useState<typeof EXPIRIES[number]>("never");
  const [made, setMade] = useState<ShareView | null>(null);
  const [links, setLinks] = useState<ShareView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/sessions/${sessionId}/shares`;

  const refresh = async () => {
    try {
      const list = await callApi("GET /api/sessions/:id/shares", base);
      setLinks(list.shares);
    } catch (e) {
      setError(t(ui, "couldNotShare", { message: errorText(ui, e) }));
    }
  };

  const share = async (body: Record<string, unknown>) => {
    setError(null);
    try {
      setMade(
        await sendJson("POST /api/sessions/:id/shares", base, {
          ...body,
          ...(expiry === "never" ? {} : { expires_in: expiry }),
        }),
      );
      await refresh();
    } catch (e) {
      setError(t(ui, "couldNotShare", { message: errorText(ui, e) }));
    }
  };

  const revoke = async (id: string) => {
    setError(null);
    try {
      await callApiNoContent(`${base}/${id}`);
      if (made?.id === id) setMade(null);
      await refresh();
    } catch (e) {
      setError(t(ui, "couldNotShare", { message: errorText(ui, e) }));
    }
  };

  const field = (value: string, label: string) => (
    <input
      class="share-url"
      readOnly
      value={value}
      aria-label={label}
      onFocus={(e) => (e.target as HTMLInputElement).select()}
    />
  );

  return (
    <details
      class="share-menu"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open) refresh();
      }}
    >
      <summary class="button" aria-haspopup="true">{ui.share} ▾</summary>
      <div class="share-panel">
        <label>
          {ui.shareExpires}{" "}
          <select
            value={expiry}
            onChange={(e) =>
              setExpiry(
                (e.target as HTMLSelectElement).value as typeof expiry,
              )}
          >
            {EXPIRIES.map((id) => (
              <option key={id} value={id}>{ui[`expires.${id}`]}</option>
            ))}
          </select>
        </label>
        <p class="share-actions">
          <button
            type="button"
            class="button"
            onClick={() =>
              share({
                artifact_id: artifactId,
                ...(version ? { version } : {}),
              })}
          >
            {version ? t(ui, "shareVersion", { version }) : ui.shareChart}
          </button>{" "}
          <button type="button" class="button" onClick={() => share({})}>
            {ui.shareSession}
          </button>
        </p>
        {error && <p class="error" role="alert">{error}</p>}
        {made && (
          <div class="share-made" role="status">
            <p>{ui.shareMade}</p>
            {field(made.url, title)}
            {made.embed && (
              <>
                <p>{ui.shareEmbed}</p>
                {field(made.embed.html, "HTML")}
                {field(made.embed.markdown, "Markdown")}
              </>
            )}
          </div>
        )}
        {links.length > 0 && (
          <>
            <h4>{ui.shareLinks}</h4>
            <ul class="share-links">
              {links.map((link) => (
                <li key={link.id}>
                  <a href={link.url} target="_blank" rel="noopener">
                    {ui[`shareKind.${link.kind}`]}
                    {link.version ? ` v${link.version}` : ""}
                  </a>{" "}
                  <span class="muted">
                    {link.last_opened_at
                      ? t(ui, "shareOpened", {
                        when: relativeTime(
                          Date.parse(link.last_opened_at),
                          Date.now(),
                          ui.locale,
                        ),
                      })
                      : ui.shareNotOpened}
                  </span>{" "}
                  <button
                    type="button"
                    class="link"
                    onClick={() => revoke(link.id)}
                  >
                    {ui.shareRevoke}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </details>
  );
}
