import type { Handlers, PageProps } from "../../../lib/http/types.ts";
import { ownedSession } from "../../../lib/http/owned.ts";
import { listArtifactsBySession } from "../../../lib/kv/artifacts.ts";
import { deleteSession } from "../../../lib/kv/session_delete.ts";

interface ConfirmData {
  id: string;
  title: string;
  charts: number;
}

export const handler: Handlers = {
  /** Asks for confirmation before anything is deleted. */
  async GET(c) {
    const session = await ownedSession(c);
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

export default function ConfirmDelete({ data }: PageProps<ConfirmData>) {
  return (
    <main class="narrow">
      <h1>Delete “{data.title}”?</h1>
      <p>
        This removes the conversation, its {data.charts}{" "}
        chart{data.charts === 1 ? "" : "s"}{" "}
        and every download made from them. It cannot be undone.
      </p>
      <form method="post" class="actions">
        <button type="submit" class="danger">Delete session</button>{" "}
        <a class="button" href={`/sessions/${data.id}`}>Cancel</a>
      </form>
    </main>
  );
}
