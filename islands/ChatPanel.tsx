/** The chat: message history, a composer, and the streamed reply of each turn. */
import { useEffect, useRef, useState } from "preact/hooks";
import { readSse } from "@/lib/client/sse_client.ts";
import type { EventData, SessionEventPayload } from "@/lib/api/events.ts";
import { readEventFrame } from "@/lib/api/event_frame.ts";
import {
  announceChart,
  datasetsChanged,
  refreshSessionTitle,
  requestUpload,
} from "@/lib/client/session_state.ts";
import type { MessageView } from "@/lib/api/views.ts";
import ChartPreview, { PREVIEW_WORDS } from "@/components/ChartPreview.tsx";
import { errorText, t, type UiKey, type UiText } from "@/lib/client/ui.ts";
import { requestError } from "@/lib/client/errors.ts";
import { renderMarkdown } from "@/lib/client/markdown.ts";

/** The page words this island shows (the page passes them as `ui`). */
export const CHAT_WORDS = [
  ...PREVIEW_WORDS,
  "chat",
  "chatEmpty",
  "message",
  "send",
  "askPlaceholder",
  "thinking",
  "error",
  "couldNotSend",
  "serverAnswered",
  "noAnswer",
  "openInCanvas",
  "stepProgress",
  "op.select_columns",
  "op.rename_columns",
  "op.drop_duplicates",
  "op.filter",
  "op.sort",
  "op.normalize",
  "op.fill_missing",
  "op.sql",
  "op.join",
  "op.convert",
] as const satisfies readonly UiKey[];

interface Props {
  sessionId: string;
  messages: MessageView[];
  samplePrompts: string[];
  initialPrompt?: string;
  ui: UiText<typeof CHAT_WORDS[number]>;
}

type Download = Pick<EventData<"download">, "url" | "filename" | "size">;

interface ChatItem {
  key: string;
  role: "user" | "assistant";
  content: string;
  artifactIds: string[];
  options?: string[];
  downloads: Download[];
  error?: string;
  streaming?: boolean;
  /** A running workflow's latest progress line. */
  progress?: string;
}

const fromView = (m: MessageView): ChatItem => ({
  key: m.id,
  role: m.role,
  content: m.content,
  artifactIds: m.artifact_ids,
  options: m.options,
  downloads: [],
});

export default function ChatPanel(props: Props) {
  const { ui } = props;
  const [items, setItems] = useState<ChatItem[]>(props.messages.map(fromView));
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const lastEventId = useRef<string | null>(null);
  // A new session's first request names it; the heading shows that name.
  const named = useRef(props.messages.length > 0);

  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [items]);

  useEffect(() => {
    // A link may suggest a prompt; only the person sends it (a GET must
    // change nothing, and the link may come from another site).
    if (props.initialPrompt) {
      history.replaceState(null, "", location.pathname);
      setDraft(props.initialPrompt);
    }
  }, []);

  const updateLast = (change: (item: ChatItem) => ChatItem) =>
    setItems((all) => [...all.slice(0, -1), change(all[all.length - 1])]);

  /** Applies one SSE frame of a turn; returns true when the turn is done. */
  const applyFrame = (event: string, data: string): boolean => {
    // A frame the contract does not know (a newer server's) is skipped.
    const parsed = readEventFrame(event, data);
    return parsed ? apply(parsed) : false;
  };

  /** Applies one event of a turn; returns true when the turn is done. */
  const apply = ({ event, data }: SessionEventPayload): boolean => {
    switch (event) {
      case "message":
        if (data.role === "assistant") {
          updateLast((item) => ({
            ...item,
            key: data.id,
            content: data.content,
            artifactIds: data.artifact_ids ?? [],
            options: data.options,
            streaming: false,
          }));
        }
        return false;
      case "delta":
        updateLast((item) => ({ ...item, content: item.content + data.text }));
        return false;
      case "chart":
        updateLast((item) => ({
          ...item,
          artifactIds: [
            ...new Set([...item.artifactIds, data.artifact_id]),
          ],
        }));
        return false;
      case "artifact_created":
      case "artifact_updated":
        announceChart(data.artifact_id, data.version);
        return false;
      case "download":
        updateLast((item) => ({
          ...item,
          downloads: [...item.downloads, data],
        }));
        return false;
      case "error":
        updateLast((item) => ({ ...item, error: data.message }));
        return false;
      case "progress":
        updateLast((item) => ({
          ...item,
          progress: t(ui, "stepProgress", {
            step: data.step,
            total: data.total,
            operation: (ui as Record<string, string>)[`op.${data.operation}`] ??
              data.operation.replace("_", " "),
            rows: data.rows_done,
          }),
        }));
        return false;
      case "workflow_completed":
      case "workflow_failed":
        updateLast((item) => ({ ...item, progress: undefined }));
        datasetsChanged();
        return false;
      case "done":
        return true;
      default:
        return false;
    }
  };

  /** Follows the session's event log after a dropped stream, until the turn is done. */
  const resume = async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const response = await fetch(
          `/api/sessions/${props.sessionId}/events?after=${
            lastEventId.current ?? 0
          }`,
        );
        if (!response.ok || !response.body) {
          throw new Error(String(response.status));
        }
        for await (const message of readSse(response.body)) {
          if (message.id) lastEventId.current = message.id;
          if (applyFrame(message.event, message.data)) {
            await response.body.cancel().catch(() => {});
            return true;
          }
        }
      } catch {
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
    return false;
  };

  async function send(text: string) {
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setNotice(null);
    setDraft("");
    setItems((all) => [
      ...all,
      {
        key: `u${all.length}`,
        role: "user",
        content,
        artifactIds: [],
        downloads: [],
      },
      {
        key: `a${all.length}`,
        role: "assistant",
        content: "",
        artifactIds: [],
        downloads: [],
        streaming: true,
      },
    ]);
    let done = false;
    try {
      const response = await fetch(
        `/api/sessions/${props.sessionId}/messages`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "text/event-stream",
          },
          body: JSON.stringify({ content }),
        },
      );
      if (!response.ok || !response.body) {
        throw await requestError(response);
      }
      for await (const message of readSse(response.body)) {
        if (message.id) lastEventId.current = message.id;
        if (applyFrame(message.event, message.data)) done = true;
      }
      if (!done) done = await resume();
      if (!done) {
        setNotice(ui.error);
      } else if (!named.current) {
        named.current = true;
        await refreshSessionTitle(props.sessionId).catch(() => {});
      }
    } catch (error) {
      setItems((all) => all.slice(0, -2));
      setDraft(content);
      setNotice(t(ui, "couldNotSend", { message: errorText(ui, error) }));
    } finally {
      updateLast((item) =>
        item.role === "assistant" ? { ...item, streaming: false } : item
      );
      setBusy(false);
    }
  }

  return (
    <section
      class="chat"
      aria-label={ui.chat}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        // A file dropped on the chat is uploaded to the session (by the Uploader).
        const file = e.dataTransfer?.files?.[0];
        if (!file) return;
        e.preventDefault();
        requestUpload(file);
      }}
    >
      <ol class="messages" ref={listRef} aria-live="polite">
        {items.length === 0 && (
          <li class="empty">
            <p>{ui.chatEmpty}</p>
            <ul class="samples">
              {props.samplePrompts.map((prompt) => (
                <li key={prompt}>
                  <button
                    type="button"
                    class="link"
                    onClick={() => send(prompt)}
                  >
                    {prompt}
                  </button>
                </li>
              ))}
            </ul>
          </li>
        )}
        {items.map((item) => (
          <li
            key={item.key}
            class={`message ${item.role}`}
            data-role={item.role}
          >
            {item.role === "assistant" && item.content
              ? (
                <div
                  class="bubble markdown"
                  // micromark escapes any HTML in the text (lib/client/markdown.ts).
                  dangerouslySetInnerHTML={{
                    __html: renderMarkdown(item.content),
                  }}
                />
              )
              : (
                <div class="bubble">
                  {item.content ||
                    (item.streaming ? <span class="typing">…</span> : null)}
                </div>
              )}
            {item.options && item.options.length > 0 && (
              <div class="options">
                {item.options.map((option) => (
                  <button
                    type="button"
                    key={option}
                    onClick={() => send(option)}
                    disabled={busy}
                  >
                    {option}
                  </button>
                ))}
              </div>
            )}
            {item.artifactIds.map((id) => (
              <button
                type="button"
                key={id}
                class="preview"
                title={ui.openInCanvas}
                onClick={() => announceChart(id)}
              >
                <ChartPreview artifactId={id} ui={ui} />
              </button>
            ))}
            {item.downloads.map((d) => (
              <a
                class="download"
                key={d.url}
                href={d.url}
                download={d.filename}
              >
                ⬇ {d.filename} ({Math.max(1, Math.round(d.size / 1024))} KB)
              </a>
            ))}
            {item.progress && <p class="progress muted">{item.progress}</p>}
            {item.error && <p class="error" role="alert">{item.error}</p>}
          </li>
        ))}
      </ol>
      {notice && <p class="notice" role="status">{notice}</p>}
      <form
        class="composer"
        data-busy={busy ? "true" : "false"}
        onSubmit={(e) => {
          e.preventDefault();
          send(draft);
        }}
      >
        <textarea
          name="content"
          rows={2}
          maxLength={8000}
          placeholder={ui.askPlaceholder}
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              send(draft);
            }
          }}
          aria-label={ui.message}
        />
        <button type="submit" disabled={busy || !draft.trim()}>
          {busy ? ui.thinking : ui.send}
        </button>
      </form>
    </section>
  );
}
