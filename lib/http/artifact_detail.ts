/** The API's full view of one artifact version: record, version list, data and ECharts option. */
import {
  type Artifact,
  listArtifactVersions,
  readArtifactSnapshot,
} from "@/lib/kv/artifacts.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import { artifactDetailView } from "@/lib/api/build.ts";
import type { ArtifactDetail } from "@/lib/api/views.ts";

/**
 * Returns `artifact` (the current record or one of its versions) with the
 * version numbers `current` has, its data snapshot and its interactive
 * ECharts option.
 */
export async function artifactDetail(
  kv: Deno.Kv,
  artifact: Artifact,
  current: Artifact,
  origin: string,
  versions?: number[],
): Promise<ArtifactDetail> {
  const data = await readArtifactSnapshot(kv, artifact);
  return artifactDetailView(artifact, origin, {
    versions: versions ?? await listArtifactVersions(kv, current),
    data,
    option: compileOption(artifact.spec, data, { interactive: true }),
  });
}
