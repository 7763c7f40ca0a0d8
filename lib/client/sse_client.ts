/** Reads Server-Sent Events from a fetch response body (EventSource cannot POST). */

export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Yields each event of an SSE byte stream; comments and blank events are skipped. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  // A consumer that stops early closes the connection instead of leaking it.
  try {
    yield* frames();
  } finally {
    await reader.cancel().catch(() => {});
  }

  async function* frames(): AsyncGenerator<SseMessage> {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = { id: null, event: "message", data: "" };
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          const raw = colon === -1
            ? ""
            : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") message.id = raw;
          else if (field === "event") message.event = raw;
          else if (field === "data") data.push(raw);
        }
        if (data.length === 0) continue;
        message.data = data.join("\n");
        yield message;
      }
    }
  }
}
