/**
 * The session's title above the chat: as the page rendered it ("Untitled
 * session" in the page's words), then the title its first request gave it.
 */
import { sessionTitle } from "@/lib/client/session_state.ts";

export default function SessionTitle({ title }: { title: string }) {
  return <h1 class="session-title">{sessionTitle.value ?? title}</h1>;
}
