import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { listSessionsByOwner, type Session } from "@/lib/kv/sessions.ts";
import { samplePrompts } from "@/lib/agent/samples.ts";
import { relativeTime, t, tParts } from "@/lib/client/ui.ts";
import { sessionTitle } from "@/lib/http/page_words.ts";

interface HomeData {
  sessions: Session[];
  now: number;
}

export const handler: Handlers = {
  async GET(c) {
    const { values } = await listSessionsByOwner(c.var.kv, c.var.ownerId, {
      limit: 50,
    });
    return c.render({ sessions: values, now: Date.now() } satisfies HomeData);
  },
};

const FEATURES = [
  ["featCharts", "featChartsText"],
  ["featData", "featDataText"],
  ["featExports", "featExportsText"],
  ["featWorkflows", "featWorkflowsText"],
  ["featVersions", "featVersionsText"],
] as const;

export default function Home({ data, lang, ui }: PageProps<HomeData>) {
  return (
    <main class="home">
      <section class="start">
        <h1>{ui.appTagline}</h1>
        <p class="intro">{ui.homeIntro}</p>
        <form method="post" action="/sessions">
          <button type="submit" class="primary">{ui.newSession}</button>
        </form>
        <h2>{ui.tryOne}</h2>
        <ul class="samples">
          {samplePrompts(lang).map((prompt) => (
            <li key={prompt}>
              <form method="post" action="/sessions">
                <input type="hidden" name="prompt" value={prompt} />
                <button type="submit" class="link">{prompt}</button>
              </form>
            </li>
          ))}
        </ul>
      </section>
      <section class="sessions">
        <h2>{ui.yourSessions}</h2>
        {data.sessions.length === 0
          ? <p class="muted">{ui.noSessions}</p>
          : (
            <ul>
              {data.sessions.map((s) => {
                const title = sessionTitle(s, ui);
                return (
                  <li key={s.id}>
                    <a href={`/sessions/${s.id}`}>{title}</a>{" "}
                    <time
                      class="muted"
                      dateTime={new Date(s.updatedAt).toISOString()}
                      title={new Date(s.updatedAt).toLocaleString(ui.locale, {
                        dateStyle: "long",
                        timeStyle: "long",
                        timeZone: "UTC",
                      })}
                    >
                      {relativeTime(s.updatedAt, data.now, ui.locale)}
                    </time>{" "}
                    <a
                      class="muted"
                      href={`/sessions/${s.id}/delete`}
                      aria-label={t(ui, "deleteNamed", { title })}
                    >
                      {ui.delete}
                    </a>
                  </li>
                );
              })}
            </ul>
          )}
        <form
          class="restore"
          method="post"
          action="/sessions/restore"
          enctype="multipart/form-data"
        >
          <h3>{ui.restoreTitle}</h3>
          <p class="muted">{ui.restoreAbout}</p>
          <input type="file" name="file" accept=".zip" required />{" "}
          <button type="submit">{ui.restoreButton}</button>
        </form>
        <p class="muted">
          {tParts(ui, "apiTokensHint", {
            link: <a href="/tokens">{ui.apiToken}</a>,
          })}
        </p>
      </section>
      <section class="features">
        <h2>{ui.featuresTitle}</h2>
        <ul>
          {FEATURES.map(([title, text]) => (
            <li key={title}>
              <h3>{ui[title]}</h3>
              <p>{ui[text]}</p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
