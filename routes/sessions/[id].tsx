import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { listMessages } from "@/lib/kv/messages.ts";
import { listArtifactsBySession } from "@/lib/kv/artifacts.ts";
import { artifactDetail } from "@/lib/http/artifact_detail.ts";
import {
  artifactView,
  datasetView,
  messageView,
  sessionView,
} from "@/lib/api/build.ts";
import { publicOrigin } from "@/lib/http/urls.ts";
import { demoChatDatasets } from "@/lib/agent/datasets.ts";
import { listSessionDatasets, readDatasetDetail } from "@/lib/kv/datasets.ts";
import { samplePrompts } from "@/lib/agent/samples.ts";
import { loadChatTurn } from "@/lib/agent/turn_loader.ts";
import { pickUi } from "@/lib/agent/lang/ui.ts";
import { sessionTitle } from "@/lib/http/page_words.ts";
import type {
  ArtifactDetail,
  ArtifactView,
  DatasetView,
  MessageView,
  SessionView,
} from "@/lib/api/views.ts";
import ChatPanel, { CHAT_WORDS } from "@/islands/ChatPanel.tsx";
import ChartCanvas, { CANVAS_WORDS } from "@/islands/ChartCanvas.tsx";
import DatasetList, { type DatasetSummary } from "@/components/DatasetList.tsx";
import Uploader, { UPLOADER_WORDS } from "@/islands/Uploader.tsx";
import SessionTitle from "@/islands/SessionTitle.tsx";

interface SessionPageData {
  session: SessionView;
  messages: MessageView[];
  artifacts: ArtifactView[];
  initial: ArtifactDetail | null;
  datasets: DatasetSummary[];
  uploads: DatasetView[];
  maxUploadBytes: number;
  prompt?: string;
}

export const handler: Handlers = {
  async GET(c) {
    const session = await ownedSession(c);
    // Whoever opens a session may send a message next: its code loads now.
    loadChatTurn().catch(() => {});
    // The session's language once its first request set it, else the browser's.
    if (session.lang) c.set("lang", session.lang);
    const kv = c.var.kv;
    const origin = publicOrigin(c);
    const [messages, artifacts, stored] = await Promise.all([
      listMessages(kv, session.id),
      listArtifactsBySession(kv, session.id, { limit: 100 }),
      listSessionDatasets(kv, session.id),
    ]);
    const uploads = await Promise.all(
      stored.map(async (d) =>
        datasetView(d, await readDatasetDetail(kv, d), origin)
      ),
    );
    const datasets = demoChatDatasets();
    const newest = artifacts.values[0];
    let initial: ArtifactDetail | null = null;
    if (newest) initial = await artifactDetail(kv, newest, newest, origin);
    const prompt = c.req.query("prompt")?.slice(0, 2000);
    return c.render(
      {
        session: sessionView(session),
        messages: messages.map(messageView),
        artifacts: artifacts.values.map((a) => artifactView(a, origin)),
        initial,
        datasets: datasets.map((d) => ({
          id: d.id,
          name: d.name,
          description: d.description,
          synthetic: d.synthetic,
          rows: d.rowCount,
          columns: d.columns.map((col) => ({
            name: col.name,
            type: col.type,
          })),
        })),
        uploads,
        maxUploadBytes: c.var.config.MAX_UPLOAD_BYTES,
        prompt: prompt || undefined,
      } satisfies SessionPageData,
    );
  },
};

export default function SessionPage(
  { data, lang, ui }: PageProps<SessionPageData>,
) {
  return (
    <main class="workspace" data-session-id={data.session.id}>
      <div class="left">
        <div class="session-head">
          <SessionTitle title={sessionTitle(data.session, ui)} />
          <a class="muted" href={`/sessions/${data.session.id}/delete`}>
            {ui.delete}
          </a>
        </div>
        <ChatPanel
          sessionId={data.session.id}
          messages={data.messages}
          samplePrompts={samplePrompts(lang)}
          initialPrompt={data.prompt}
          ui={pickUi(lang, CHAT_WORDS)}
        />
        <Uploader
          sessionId={data.session.id}
          datasets={data.uploads}
          maxBytes={data.maxUploadBytes}
          ui={pickUi(lang, UPLOADER_WORDS)}
        />
        <DatasetList datasets={data.datasets} ui={ui} />
      </div>
      <ChartCanvas
        sessionId={data.session.id}
        artifacts={data.artifacts}
        initial={data.initial}
        ui={pickUi(lang, CANVAS_WORDS)}
      />
    </main>
  );
}
