/** The API's full view of one artifact version: record, version list, data and ECharts option. */
import {
  type Artifact,
  listArtifactVersions,
  readArtifactSnapshot,
} from "../kv/artifacts.ts";
import { compileOption } from "../charts/compile.ts";
import type { Snapshot } from "../charts/spec.ts";
import { artifactView } from "./views.ts";

/** A version of an artifact as the canvas opens it. */
export type ArtifactDetailView = ReturnType<typeof artifactView> & {
  versions: number[];
  data: Snapshot;
  option: Record<string, unknown>;
};

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
): Promise<ArtifactDetailView> {
  const data = await readArtifactSnapshot(kv, artifact);
  return {
    ...artifactView(artifact, origin),
    versions: await listArtifactVersions(kv, current),
    data,
    option: compileOption(artifact.spec, data, { interactive: true }),
  };
}
