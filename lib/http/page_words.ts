/** Small helpers for the words of server-rendered pages. */
import { type Session, UNTITLED } from "@/lib/kv/sessions.ts";
import type { UiText } from "@/lib/agent/lang/types.ts";

/** Returns a session's title, or "Untitled session" in the page's language. */
export function sessionTitle(
  session: Pick<Session, "title">,
  ui: UiText<"untitled">,
): string {
  return session.title === UNTITLED ? ui.untitled : session.title;
}
