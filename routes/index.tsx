import type { Handlers, PageProps } from "../lib/http/types.ts";
import { listSessionsByOwner, type Session } from "../lib/kv/sessions.ts";
import { SAMPLE_PROMPTS } from "../lib/agent/samples.ts";

interface HomeData {
  sessions: Session[];
}

export const handler: Handlers = {
  async GET(c) {
    const { values } = await listSessionsByOwner(c.var.kv, c.var.ownerId, {
      limit: 50,
    });
    return c.render({ sessions: values } satisfies HomeData);
  },
};

export default function Home({ data }: PageProps<HomeData>) {
  return (
    <main class="home">
      <section class="start">
        <h1>Turn a question about your data into a chart</h1>
        <p>
          Chat with the assistant about the built-in demo datasets (synthetic
          air quality, bank ratios and sales); every chart is kept in your
          session and downloads as PNG or CSV.
        </p>
        <form method="post" action="/sessions">
          <button type="submit" class="primary">New session</button>
        </form>
        <h2>Or start with one of these</h2>
        <ul class="samples">
          {SAMPLE_PROMPTS.map((prompt) => (
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
        <h2>Your sessions</h2>
        {data.sessions.length === 0
          ? <p class="muted">No sessions yet.</p>
          : (
            <ul>
              {data.sessions.map((s) => (
                <li key={s.id}>
                  <a href={`/sessions/${s.id}`}>{s.title}</a>{" "}
                  <time
                    class="muted"
                    dateTime={new Date(s.updatedAt).toISOString()}
                  >
                    {new Date(s.updatedAt).toISOString().slice(0, 16).replace(
                      "T",
                      " ",
                    )} UTC
                  </time>{" "}
                  <a
                    class="muted"
                    href={`/sessions/${s.id}/delete`}
                    aria-label={`Delete ${s.title}`}
                  >
                    delete
                  </a>
                </li>
              ))}
            </ul>
          )}
      </section>
    </main>
  );
}
