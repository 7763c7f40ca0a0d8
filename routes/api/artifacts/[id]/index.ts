import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { queryOf } from "@/lib/http/validate.ts";
import {
  artifactAtVersion,
  ownedArtifact,
  VersionNumber,
} from "@/lib/http/owned.ts";
import { deleteArtifact } from "@/lib/kv/artifacts.ts";
import { artifactDetail } from "@/lib/http/artifact_detail.ts";
import { publicOrigin } from "@/lib/http/urls.ts";

const GetQuery = z.object({
  version: VersionNumber.optional(),
}).strict();

export const handler: Handlers = {
  /** Returns the artifact (or `?version=`) with its data snapshot and the compiled ECharts option. */
  async GET(c) {
    const current = await ownedArtifact(c);
    const { version } = queryOf(c, GetQuery);
    const artifact = await artifactAtVersion(c, current, version);
    return c.json(
      await artifactDetail(c.var.kv, artifact, current, publicOrigin(c)),
    );
  },
  async DELETE(c) {
    const artifact = await ownedArtifact(c);
    await deleteArtifact(c.var.kv, artifact);
    return c.body(null, 204);
  },
};
