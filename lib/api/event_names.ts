/**
 * The names of the session events, without zod: the browser reads frames by
 * these (`event_frame.ts`) and the server's contract (`events.ts`) has one
 * schema per name, in this order (a test keeps the two the same).
 */
export const SESSION_EVENT_NAMES = [
  "message",
  "delta",
  "chart",
  "artifact_created",
  "artifact_updated",
  "download",
  "progress",
  "workflow_started",
  "workflow_completed",
  "workflow_failed",
  "error",
  "done",
] as const;
/** The name of a session event. */
export type SessionEventName = typeof SESSION_EVENT_NAMES[number];
