/**
 * A small typed client of the API for the islands (and scripts), without
 * zod: each call names its route of the contract (`views.ts`, imported for
 * its types only, so no zod reaches the browser bundle) and answers with that
 * route's view. The server side of each answer is checked against the same
 * schemas by the tests (every response a test client gets is parsed).
 */
import type { API_VIEWS, ApiError, ApiRoute } from "./views.ts";
import type { z } from "zod";

/** The view a route of the contract answers with. */
export type ViewOf<R extends ApiRoute> = z.infer<typeof API_VIEWS[R]>;

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

/** Returns the message of an `ApiError` body, or undefined for anything else. */
export function errorMessage(body: unknown): string | undefined {
  const error = (body as Partial<ApiError> | null)?.error;
  return typeof error?.message === "string" ? error.message : undefined;
}

/** Reads a failed response's `{"error": {"message"}}` into a RequestError. */
export async function requestError(response: Response): Promise<RequestError> {
  const body: unknown = await response.json().catch(() => null);
  return new RequestError(response.status, errorMessage(body));
}

/**
 * Sends a request to `url` (the route `route` of the contract) and returns
 * its view; a failure throws a RequestError with the server's message.
 */
export async function callApi<R extends ApiRoute>(
  route: R,
  url: string,
  init: RequestInit = {},
): Promise<ViewOf<R>> {
  const method = route.slice(0, route.indexOf(" "));
  const response = await fetch(url, { ...init, method });
  if (!response.ok) throw await requestError(response);
  return await response.json() as ViewOf<R>;
}

/** Sends `body` as JSON to a route of the contract; see `callApi`. */
export function sendJson<R extends ApiRoute>(
  route: R,
  url: string,
  body: unknown,
): Promise<ViewOf<R>> {
  return callApi(route, url, {
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Sends a request that answers with no body (a DELETE); a failure throws. */
export async function callApiNoContent(
  url: string,
  method = "DELETE",
): Promise<void> {
  const response = await fetch(url, { method });
  if (!response.ok) throw await requestError(response);
}

/**
 * Uploads `file` as the raw body of `url` with XMLHttpRequest (for upload
 * progress; `onProgress` gets the fraction sent); resolves with the dataset.
 */
export function uploadDatasetFile(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ViewOf<"POST /api/sessions/:id/datasets">> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader(
      "content-type",
      file.type || "application/octet-stream",
    );
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) {
        resolve(xhr.response as ViewOf<"POST /api/sessions/:id/datasets">);
      } else reject(new RequestError(xhr.status, errorMessage(xhr.response)));
    };
    xhr.onerror = () => reject(new RequestError(0));
    xhr.send(file);
  });
}
