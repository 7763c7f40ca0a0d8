import { z } from "zod";
import type { Handlers } from "../../../../lib/http/types.ts";
import { queryOf } from "../../../../lib/http/validate.ts";
import { ownedArtifact } from "../../../../lib/http/owned.ts";
import {
  deleteArtifact,
  getArtifactVersion,
  listArtifactVersions,
  readArtifactSnapshot,
} from "../../../../lib/kv/artifacts.ts";
import { artifactView } from "../../../../lib/http/views.ts";
import { publicOrigin } from "../../../../lib/http/urls.ts";
import { compileOption } from "../../../../lib/charts/compile.ts";
import { notFound } from "../../../../lib/errors.ts";

const GetQuery = z.object({
  version: z.coerce.number().int().min(1).optional(),
}).strict();

export const handler: Handlers = {
  /** Returns the artifact with its data snapshot and the compiled ECharts option. */
  async GET(c) {
    const current = await ownedArtifact(c);
    const { version } = queryOf(c, GetQuery);
    const artifact = version && version !== current.version
      ? await getArtifactVersion(c.var.kv, current.id, version)
      : current;
    if (!artifact) throw notFound("artifact version");
    const snapshot = await readArtifactSnapshot(c.var.kv, artifact);
    return c.json({
      ...artifactView(artifact, publicOrigin(c)),
      versions: await listArtifactVersions(c.var.kv, current),
      data: snapshot,
      option: compileOption(artifact.spec, snapshot, { interactive: true }),
    });
  },
  async DELETE(c) {
    const artifact = await ownedArtifact(c);
    await deleteArtifact(c.var.kv, artifact);
    return c.body(null, 204);
  },
};
