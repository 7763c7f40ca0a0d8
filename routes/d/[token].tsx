import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { readDownloadToken } from "@/lib/links/download.ts";
import { streamBlob } from "@/lib/kv/blobs.ts";
import { blobResponse } from "@/lib/http/blob_response.ts";

interface LinkProblem {
  status: 404 | 410;
  title: "linkInvalid" | "linkExpired";
  text: "linkInvalidText" | "linkExpiredText";
}

export const handler: Handlers = {
  /** Streams the file a signed link names; a clear page when forged or expired. */
  async GET(c) {
    const token = await readDownloadToken(
      c.var.signingKey,
      c.req.param("token") ?? "",
    );
    if (token.status === "ok") {
      const found = await streamBlob(c.var.kv, token.blobId);
      if (found) return blobResponse(found.meta, found.stream);
    }
    const problem: LinkProblem = token.status === "invalid"
      ? { status: 404, title: "linkInvalid", text: "linkInvalidText" }
      : { status: 410, title: "linkExpired", text: "linkExpiredText" };
    c.status(problem.status);
    return c.render(problem);
  },
};

export default function DownloadProblem(
  { data, ui }: PageProps<LinkProblem>,
) {
  return (
    <main class="narrow">
      <h1>{ui[data.title]}</h1>
      <p>{ui[data.text]}</p>
      <p>
        <a href="/">{ui.goHome}</a>
      </p>
    </main>
  );
}
