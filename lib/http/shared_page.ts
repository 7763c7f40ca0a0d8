/** What a share link's page shows: built from the share, never from the visitor. */
import { listMessages } from "@/lib/kv/messages.ts";
import { listArtifactsBySession } from "@/lib/kv/artifacts.ts";
import { artifactDetail } from "./artifact_detail.ts";
import { artifactView, messageView } from "@/lib/api/build.ts";
import { publicOrigin } from "./urls.ts";
import { type Shared, sharedChart } from "./shared.ts";
import type { AppContext } from "./types.ts";
import type {
  ArtifactDetail,
  ArtifactView,
  MessageView,
} from "@/lib/api/views.ts";

/** The data of a shared page: a session (conversation and canvas) or one chart. */
export interface SharedPageData {
  kind: "session" | "chart";
  title: string;
  /** One or two sentences for link previews (Open Graph). */
  description: string;
  /** The page's absolute URL. */
  url: string;
  /** The absolute URL of the chart's PNG for link previews; null without a chart. */
  image: string | null;
  messages: MessageView[];
  artifacts: ArtifactView[];
  initial: ArtifactDetail | null;
  /** Where the page's charts and files come from: `/s/<token>`. */
  base: string;
  /** The session's ZIP; null for a chart share. */
  zipHref: string | null;
}

/** Open Graph's preferred image size. */
export const PREVIEW_SIZE = { width: 1200, height: 630 } as const;

function sentence(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Returns the page data of a share that can be opened. */
export async function sharedPageData(
  c: AppContext,
  shared: Shared,
): Promise<SharedPageData> {
  const { kv } = c.var;
  const { share, session } = shared;
  const origin = publicOrigin(c);
  const base = `/s/${share.token}`;
  const url = `${origin}${base}`;
  const image =
    `${url}.png?width=${PREVIEW_SIZE.width}&height=${PREVIEW_SIZE.height}`;
  if (share.artifactId !== null) {
    const chart = await sharedChart(kv, shared, share.artifactId);
    const detail = await artifactDetail(
      kv,
      chart.artifact,
      chart.current,
      origin,
      chart.versions,
    );
    return {
      kind: "chart",
      title: chart.artifact.title,
      description: sentence(chart.artifact.interpretation),
      url,
      image,
      messages: [],
      artifacts: [artifactView(chart.artifact, origin)],
      initial: detail,
      base,
      zipHref: null,
    };
  }
  const [messages, artifacts] = await Promise.all([
    listMessages(kv, session.id),
    listArtifactsBySession(kv, session.id, { limit: 100 }),
  ]);
  const newest = artifacts.values[0];
  const charts = artifacts.values.length;
  return {
    kind: "session",
    title: session.title,
    description: newest
      ? sentence(
        `${charts} chart${
          charts === 1 ? "" : "s"
        }, the newest “${newest.title}”: ${newest.interpretation}`,
      )
      : `A Chartroom conversation of ${messages.length} messages.`,
    url,
    image: newest ? image : null,
    messages: messages.map(messageView),
    artifacts: artifacts.values.map((a) => artifactView(a, origin)),
    initial: newest ? await artifactDetail(kv, newest, newest, origin) : null,
    base,
    zipHref: `${base}/export?format=zip`,
  };
}
