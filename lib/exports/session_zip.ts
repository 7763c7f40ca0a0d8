/**
 * The ZIP of a whole session: one folder per chart (oldest first, each the
 * same as the chart's own ZIP), a README index, the pinned requirements, and
 * a Dockerfile + .dockerignore + rebuild.sh that re-draw every chart from its
 * script. Streamed like the per-chart ZIP: one chart is rendered at a time,
 * only as fast as the reader takes the bytes.
 */
import type { Session } from "@/lib/kv/sessions.ts";
import { type Artifact, listArtifactsBySession } from "@/lib/kv/artifacts.ts";
import { log } from "@/lib/log.ts";
import { exportInputOf } from "./downloads.ts";
import { titleSlug } from "./filename.ts";
import { markdownText } from "./notebook.ts";
import { requirementsTxt } from "./python_chart.ts";
import { chartEntries, chartroomXsd, type ZipEntry, zipStream } from "./zip.ts";

/** Most charts one session ZIP holds; older ones beyond it are left out. */
export const SESSION_ZIP_MAX_CHARTS = 500;

/** The files at the root of a session ZIP besides the chart folders. */
export const SESSION_ROOT_FILES = [
  "README.md",
  "requirements.txt",
  "rebuild.sh",
  "Dockerfile",
  ".dockerignore",
  "chartroom.xsd",
] as const;

const DOCKERFILE =
  `# Rebuilds every chart of this Chartroom session from its script.
#   docker build -t chartroom-charts .
#   docker run --rm -v "$PWD/out:/charts/out" chartroom-charts
# The images land in ./out, one PNG per chart folder.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 MPLBACKEND=Agg
WORKDIR /charts
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["sh", "rebuild.sh", "out"]
`;

const DOCKERIGNORE =
  `# Only the scripts, their README and the requirements are needed to rebuild.
out/
**/*.png
**/*.svg
**/*.pdf
**/*.xlsx
**/*.html
**/*.ipynb
`;

const REBUILD = `#!/bin/sh
# Runs every chart's script: sh rebuild.sh [output folder, default out].
# Exits non-zero if any chart failed, after trying them all.
out="\${1:-out}"
mkdir -p "$out"
status=0
for script in */chart.py; do
  [ -f "$script" ] || continue
  name="\${script%/chart.py}"
  if python3 "$script" --output "$out/$name.png"; then
    :
  else
    echo "failed: $name" >&2
    status=1
  fi
done
exit "$status"
`;

/** Returns the session's live charts, oldest first, at most `SESSION_ZIP_MAX_CHARTS`. */
async function sessionArtifacts(
  kv: Deno.Kv,
  sessionId: string,
): Promise<Artifact[]> {
  const all: Artifact[] = [];
  let cursor: string | undefined;
  do {
    const page = await listArtifactsBySession(kv, sessionId, {
      limit: 100,
      cursor,
    });
    all.push(...page.values);
    cursor = page.cursor ?? undefined;
  } while (cursor && all.length < SESSION_ZIP_MAX_CHARTS);
  return all.slice(0, SESSION_ZIP_MAX_CHARTS).reverse();
}

function folderOf(index: number, artifact: Artifact): string {
  return `${String(index + 1).padStart(2, "0")}-${titleSlug(artifact.title)}`;
}

function cell(text: string): string {
  return markdownText(text.replace(/\s+/g, " ").trim());
}

function sessionReadme(session: Session, artifacts: Artifact[]): string {
  const rows = artifacts.map((a, i) =>
    `| ${i + 1} | [\`${folderOf(i, a)}/\`](${folderOf(i, a)}/README.md) | ${
      cell(a.title)
    } | ${a.spec.type} | ${
      new Date(a.createdAt).toISOString().slice(0, 16).replace("T", " ")
    } |`
  );
  return [
    `# ${cell(session.title)}`,
    "",
    `Exported from Chartroom: ${artifacts.length} chart${
      artifacts.length === 1 ? "" : "s"
    }, oldest first. Each folder holds one chart in every format (PNG, SVG, ` +
    "PDF, CSV, XLSX, XML, JSON, HTML, notebook, script) and its own README.",
    "",
    "| # | folder | title | type | created (UTC) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "## Rebuild every chart",
    "",
    "With Python 3.11 or later:",
    "",
    "```sh",
    "pip install -r requirements.txt",
    "sh rebuild.sh out        # writes out/<folder>.png for each chart",
    "```",
    "",
    "Or with Docker:",
    "",
    "```sh",
    "docker build -t chartroom-charts .",
    'docker run --rm -v "$PWD/out:/charts/out" chartroom-charts',
    "```",
    "",
  ].join("\n");
}

/**
 * Returns the session's ZIP as a byte stream. A chart whose files cannot be
 * made gets an `ERROR.txt` in its folder for the rest, and the archive goes
 * on. The chart list is read up front; each chart's data only when its turn
 * comes.
 */
export async function sessionZip(
  kv: Deno.Kv,
  session: Session,
): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
  const artifacts = await sessionArtifacts(kv, session.id);
  async function* entries(): AsyncGenerator<ZipEntry> {
    yield {
      path: "README.md",
      body: sessionReadme(session, artifacts),
      deflate: true,
    };
    yield { path: "requirements.txt", body: requirementsTxt(), deflate: true };
    yield { path: "rebuild.sh", body: REBUILD, deflate: true };
    yield { path: "Dockerfile", body: DOCKERFILE, deflate: true };
    yield { path: ".dockerignore", body: DOCKERIGNORE, deflate: true };
    yield { path: "chartroom.xsd", body: await chartroomXsd(), deflate: true };
    for (const [i, artifact] of artifacts.entries()) {
      const folder = folderOf(i, artifact);
      try {
        yield* chartEntries(await exportInputOf(kv, artifact), folder);
      } catch (error) {
        // Files are rendered whole between entries, so the ones already
        // written are complete; the rest of this chart is replaced by a note.
        log.warn("session zip: chart skipped", {
          artifactId: artifact.id,
          error: String(error),
        });
        yield {
          path: `${folder}/ERROR.txt`,
          body: `This chart could not be exported: ${String(error)}\n`,
          deflate: true,
        };
      }
    }
  }
  return zipStream(entries());
}
