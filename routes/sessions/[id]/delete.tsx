import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { ownedSession } from "@/lib/http/owned.ts";
import { listArtifactsBySession } from "@/lib/kv/artifacts.ts";
import { deleteSession } from "@/lib/kv/session_delete.ts";
import { sessionTitle } from "@/lib/http/page_words.ts";
import { t, tn } from "@/lib/client/ui.ts";

interface ConfirmData {
  id: string;
  title: string;
  charts: number;
}

export const handler: Handlers = {
  /** Asks for confirmation before anything is deleted. */
  async GET(c) {
    const session = await ownedSession(c);
    if (session.lang) c.set("lang", session.lang);
    const { values } = await listArtifactsBySession(c.var.kv, session.id, {
      limit: 100,
    });
    return c.render(
      {
        id: session.id,
        title: session.title,
        charts: values.length,
      } satisfies ConfirmData,
    );
  },
  /** Deletes the session with everything it owns, then goes home. */
  async POST(c) {
    const session = await ownedSession(c);
    await deleteSession(c.var.jobs, session);
    return c.redirect("/", 303);
  },
};

export default function ConfirmDelete({ data, ui }: PageProps<ConfirmData>) {
  return (
    <main class="narrow">
      <h1>{t(ui, "deleteTitle", { title: sessionTitle(data, ui) })}</h1>
      <p>{tn(ui, "deleteText", data.charts)}</p>
      <form method="post" class="actions">
        <button type="submit" class="danger">{ui.deleteSession}</button>{" "}
        <a class="button" href={`/sessions/${data.id}`}>{ui.cancel}</a>
      </form>
    </main>
  );
}
