/** Failed API requests as the islands see them, so each can say why in the page's words. */

/**
 * An API request that failed: `message` is the server's own (empty when it
 * sent none); `status` is 0 when no answer came.
 */
export class RequestError extends Error {
  constructor(readonly status: number, serverMessage?: string) {
    super(serverMessage ?? "");
    this.name = "RequestError";
  }
}

/** Reads a failed response's `{"error": {"message"}}` into a RequestError. */
export async function requestError(response: Response): Promise<RequestError> {
  const body = await response.json().catch(() => null);
  return new RequestError(response.status, body?.error?.message);
}
