/** Chat messages of a session, listed in the order they were written. */
import { keys } from "./keys.ts";
import { type Expiring, liveValue } from "./ttl.ts";
import { newId } from "@/lib/ids.ts";
import type { KvWrite } from "./event_batch.ts";

export interface Message extends Expiring {
  id: string;
  sessionId: string;
  role: "user" | "assistant";
  content: string;
  /** Artifacts this message created or changed. */
  artifactIds: string[];
  /** Choices the assistant offered when it asked which one was meant. */
  options?: string[];
  createdAt: number;
}

/** What a new message is made of. */
export type MessageInput = Pick<Message, "sessionId" | "role" | "content"> & {
  artifactIds?: string[];
  options?: string[];
  ttlMs: number;
};

/** Returns a new message record, not yet stored (see `messageWrite`). */
export function newMessage(input: MessageInput): Message {
  const now = Date.now();
  return {
    id: newId(),
    sessionId: input.sessionId,
    role: input.role,
    content: input.content,
    artifactIds: input.artifactIds ?? [],
    ...(input.options ? { options: input.options } : {}),
    createdAt: now,
    expiresAt: now + input.ttlMs,
  };
}

/** The write that stores `message`, for a commit that also appends its event. */
export function messageWrite(message: Message): KvWrite {
  return {
    key: keys.message(message.sessionId, message.id),
    value: message,
    expireIn: Math.max(1, message.expiresAt - message.createdAt),
  };
}

/** Stores a message and returns it. */
export async function createMessage(
  kv: Deno.Kv,
  input: MessageInput,
): Promise<Message> {
  const message = newMessage(input);
  await kv.set(keys.message(message.sessionId, message.id), message, {
    expireIn: input.ttlMs,
  });
  return message;
}

/**
 * Stores messages as they were (ids, times), in commits of a hundred, for a
 * restored archive; the ids must sort in the order the messages were written.
 */
export async function importMessages(
  kv: Deno.Kv,
  messages: Omit<Message, "expiresAt">[],
  ttlMs: number,
): Promise<void> {
  const expiresAt = Date.now() + ttlMs;
  for (let i = 0; i < messages.length; i += 100) {
    const op = kv.atomic();
    for (const message of messages.slice(i, i + 100)) {
      op.set(keys.message(message.sessionId, message.id), {
        ...message,
        expiresAt,
      }, { expireIn: ttlMs });
    }
    if (!(await op.commit()).ok) throw new Error("messages not stored");
  }
}

/** Lists a session's messages, oldest first (newest first with `reverse`). */
export async function listMessages(
  kv: Deno.Kv,
  sessionId: string,
  options: { limit?: number; reverse?: boolean } = {},
): Promise<Message[]> {
  const out: Message[] = [];
  const now = Date.now();
  for await (
    const entry of kv.list<Message>(
      { prefix: keys.messagesPrefix(sessionId) },
      { limit: options.limit ?? 500, reverse: options.reverse },
    )
  ) {
    const value = liveValue(entry, now);
    if (value) out.push(value);
  }
  return out;
}
