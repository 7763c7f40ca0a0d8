import { z } from "zod";
import type { Handlers } from "@/lib/http/types.ts";
import { queryOf } from "@/lib/http/validate.ts";
import { VersionNumber } from "@/lib/http/owned.ts";
import { sharedChart, sharedOrThrow } from "@/lib/http/shared.ts";
import { artifactDetail } from "@/lib/http/artifact_detail.ts";
import { publicOrigin } from "@/lib/http/urls.ts";

const GetQuery = z.strictObject({ version: VersionNumber.optional() });

export const handler: Handlers = {
  /** A chart the share reaches (or `?version=`), as the read-only canvas opens it. */
  async GET(c) {
    const shared = await sharedOrThrow(c);
    const { version } = queryOf(c, GetQuery);
    const chart = await sharedChart(
      c.var.kv,
      shared,
      c.req.param("aid"),
      version,
    );
    const detail = await artifactDetail(
      c.var.kv,
      chart.artifact,
      chart.current,
      publicOrigin(c),
      chart.versions,
    );
    c.header("cache-control", "no-store");
    c.header("x-robots-tag", "noindex");
    return c.json(detail);
  },
};
