import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { Head } from "@/lib/http/head.ts";
import {
  lookupShared,
  noteOpened,
  shareProblemStatus,
} from "@/lib/http/shared.ts";
import { type SharedPageData, sharedPageData } from "@/lib/http/shared_page.ts";
import { embedImage } from "@/lib/http/embed.ts";
import { shareProblemText } from "@/lib/http/share_texts.ts";
import { pickUi } from "@/lib/agent/lang/ui.ts";
import type { MessageView } from "@/lib/api/views.ts";
import ChartCanvas, { CANVAS_WORDS } from "@/islands/ChartCanvas.tsx";

interface Problem {
  kind: "problem";
  title: string;
  text: string;
  home: string;
}

type Data = Problem | SharedPageData;

const IMAGE = /^(.+)\.(png|svg)$/;

export const handler: Handlers = {
  /**
   * A share link: the read-only page (no cookie read or set, not indexed),
   * or with `.png` / `.svg` the shared chart as an image; a page in the
   * visitor's language when the link is not valid, revoked or expired.
   */
  async GET(c) {
    const param = c.req.param("token") ?? "";
    const image = IMAGE.exec(param);
    const token = image ? image[1] : param;
    c.header("x-robots-tag", "noindex");
    const found = await lookupShared(c.var.kv, token);
    if ("problem" in found) {
      c.status(shareProblemStatus(found.problem));
      c.header("cache-control", "no-store");
      return c.render(
        {
          kind: "problem",
          ...shareProblemText(found.problem, c.var.lang),
        } satisfies Problem,
      );
    }
    noteOpened(c, found);
    if (image) return await embedImage(c, found, image[2] as "png" | "svg");
    c.header("cache-control", "no-store");
    return c.render(await sharedPageData(c, found));
  },
};

export default function SharedPage({ data, lang }: PageProps<Data>) {
  if (data.kind === "problem") {
    return (
      <main class="narrow shared-problem">
        <Head>
          <title>{data.title}</title>
          <meta name="robots" content="noindex" />
        </Head>
        <h1>{data.title}</h1>
        <p>{data.text}</p>
        <p>
          <a href="/">{data.home}</a>
        </p>
      </main>
    );
  }
  return (
    <main
      class={data.kind === "session" ? "workspace shared" : "shared-chart"}
    >
      <Head>
        <title>{`${data.title} · Chartroom`}</title>
        <meta name="robots" content="noindex" />
        <meta name="description" content={data.description} />
        <meta property="og:type" content="website" />
        <meta property="og:site_name" content="Chartroom" />
        <meta property="og:title" content={data.title} />
        <meta property="og:description" content={data.description} />
        <meta property="og:url" content={data.url} />
        {data.image && <meta property="og:image" content={data.image} />}
        {data.image && <meta property="og:image:width" content="1200" />}
        {data.image && <meta property="og:image:height" content="630" />}
        <meta
          name="twitter:card"
          content={data.image ? "summary_large_image" : "summary"}
        />
      </Head>
      {data.kind === "session" && (
        <div class="left">
          <div class="session-head">
            <h1 class="session-title">{data.title}</h1>
            <span class="badge">shared, read-only</span>
          </div>
          <Conversation messages={data.messages} />
        </div>
      )}
      <ChartCanvas
        sessionId=""
        artifacts={data.artifacts}
        initial={data.initial}
        shared={{ base: data.base, zipHref: data.zipHref }}
        ui={pickUi(lang, CANVAS_WORDS)}
      />
    </main>
  );
}

/** The session's messages as they were, without a composer. */
function Conversation({ messages }: { messages: MessageView[] }) {
  return (
    <section class="chat" aria-label="Conversation">
      <ol class="messages">
        {messages.map((m) => (
          <li key={m.id} class={`message ${m.role}`} data-role={m.role}>
            <div class="bubble">{m.content}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
