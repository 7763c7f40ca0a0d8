/**
 * Reading an SSE frame in the browser as a typed session event, without
 * shipping zod: the name is checked against the contract's names and the data
 * is taken as the server's contract types it (the server side is checked
 * against the schemas by tests/api/events_test.ts).
 */
import { SESSION_EVENT_NAMES } from "./event_names.ts";
import type { SessionEventPayload } from "./events.ts";

const NAMES = new Set<string>(SESSION_EVENT_NAMES);

/** Returns a frame as a typed event, or null for a name the contract lacks (a newer server's). */
export function readEventFrame(
  event: string,
  data: string,
): SessionEventPayload | null {
  if (!NAMES.has(event)) return null;
  const parsed: unknown = JSON.parse(data);
  if (typeof parsed !== "object" || parsed === null) return null;
  return { event, data: parsed } as SessionEventPayload;
}
