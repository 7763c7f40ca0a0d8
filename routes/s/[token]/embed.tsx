import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { Head } from "@/lib/http/head.ts";
import { noteOpened, sharedOrThrow } from "@/lib/http/shared.ts";
import { type EmbedFrame, embedFrameData } from "@/lib/http/embed.ts";
import { EMBED_PAGE_CSP } from "@/lib/http/security_headers.ts";
import EmbedChart from "@/islands/EmbedChart.tsx";

/** The iframe page has no app header. */
export const config = { skipAppWrapper: true };

export const handler: Handlers = {
  /**
   * The shared chart alone, interactive, for an `<iframe>`: the one page any
   * site may frame (`frame-ancestors *`); `?theme=dark` for dark pages.
   */
  async GET(c) {
    const shared = await sharedOrThrow(c);
    noteOpened(c, shared);
    c.header("content-security-policy", EMBED_PAGE_CSP);
    c.header("x-robots-tag", "noindex");
    c.header("cache-control", "no-store");
    return c.render(await embedFrameData(c, shared));
  },
};

export default function EmbedFrame({ data, ui }: PageProps<EmbedFrame>) {
  return (
    <main class={`embed-frame ${data.theme}`}>
      <Head>
        <title>{data.title}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <EmbedChart option={data.option} title={data.title} locale={ui.locale} />
      <a class="embed-link" href={data.pageUrl} target="_blank" rel="noopener">
        {data.title} · Chartroom
      </a>
    </main>
  );
}
