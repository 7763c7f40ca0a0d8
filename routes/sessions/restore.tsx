import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { restoreFromRequest } from "@/lib/http/restore.ts";
import { AppError } from "@/lib/errors.ts";
import { statusOf } from "@/lib/http/errors.ts";

interface RestoreProblem {
  message: string;
}

export const handler: Handlers = {
  /** The home page's form: restores the archive and opens the new session; a page saying why when it cannot. */
  async POST(c) {
    try {
      const { session } = await restoreFromRequest(c);
      return c.redirect(`/sessions/${session.id}`, 303);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      c.status(statusOf(error));
      return c.render({ message: error.message } satisfies RestoreProblem);
    }
  },
};

export default function RestoreFailed(
  { data, ui }: PageProps<RestoreProblem>,
) {
  return (
    <main class="narrow">
      <h1>{ui.restoreTitle}</h1>
      <p class="error" role="alert">{data.message}</p>
      <p>
        <a href="/">{ui.goHome}</a>
      </p>
    </main>
  );
}
