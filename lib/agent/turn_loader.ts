/**
 * The chat turn's code (planner, vocabularies, model tools) is loaded on
 * first use, not at start: building the three languages' vocabularies takes
 * the request thread 0.1–0.5 s, which a server that is asked for a chart
 * image first should not spend before it listens. A session page starts
 * loading it, so a person's first message rarely waits for it.
 */
let loading: Promise<typeof import("./turn.ts")> | undefined;

/** Returns the chat turn module, importing it once. */
export function loadChatTurn(): Promise<typeof import("./turn.ts")> {
  if (!loading) {
    loading = import("./turn.ts");
    // A failed import is tried again by the next caller.
    loading.catch(() => (loading = undefined));
  }
  return loading;
}
