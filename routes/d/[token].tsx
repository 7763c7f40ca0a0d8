import type { Handlers, PageProps } from "../../lib/http/types.ts";
import { readDownloadToken } from "../../lib/http/links.ts";
import { streamBlob } from "../../lib/kv/blobs.ts";
import { blobResponse } from "../../lib/http/blob_response.ts";

interface LinkProblem {
  status: 404 | 410;
  title: string;
  text: string;
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
      ? {
        status: 404,
        title: "This download link is not valid",
        text:
          "The link is incomplete or was altered. Ask for a new link from the chart's export menu.",
      }
      : {
        status: 410,
        title: "This download link has expired",
        text:
          "Download links work for a limited time. Open the session and export the chart again for a fresh link.",
      };
    c.status(problem.status);
    return c.render(problem);
  },
};

export default function DownloadProblem({ data }: PageProps<LinkProblem>) {
  return (
    <main class="narrow">
      <h1>{data.title}</h1>
      <p>{data.text}</p>
      <p>
        <a href="/">Go to your sessions</a>
      </p>
    </main>
  );
}
