/** Route helpers that load a record the caller owns, or answer 404. */
import { z } from "zod";
import { getOwnedSession, type Session } from "@/lib/kv/sessions.ts";
import {
  type Artifact,
  getArtifactVersion,
  getOwnedArtifact,
} from "@/lib/kv/artifacts.ts";
import { type Dataset, getOwnedDataset } from "@/lib/kv/datasets.ts";
import { isId } from "@/lib/ids.ts";
import { notFound } from "@/lib/errors.ts";
import type { AppContext } from "./types.ts";

/** Returns the session named by `:id` when the caller owns it; throws 404 otherwise. */
export async function ownedSession(c: AppContext): Promise<Session> {
  const id = c.req.param("id") ?? "";
  const session = isId(id)
    ? await getOwnedSession(c.var.kv, id, c.var.ownerId)
    : null;
  if (!session) throw notFound("session");
  return session;
}

/** Returns the artifact named by `:id` when the caller owns it; throws 404 otherwise. */
export async function ownedArtifact(c: AppContext): Promise<Artifact> {
  const id = c.req.param("id") ?? "";
  const artifact = isId(id)
    ? await getOwnedArtifact(c.var.kv, id, c.var.ownerId)
    : null;
  if (!artifact) throw notFound("artifact");
  return artifact;
}

/** A version number from a query string or a JSON body: a whole number from 1. */
export const VersionNumber = z.coerce.number({
  error: "version must be a number",
}).int({ error: "version must be a whole number" })
  .min(1, { error: "version must be 1 or more" });

/**
 * Returns version `version` of an artifact (the current record when it is
 * omitted or the newest); throws 404 when there is no such version.
 */
export async function artifactAtVersion(
  c: AppContext,
  current: Artifact,
  version: number | undefined,
): Promise<Artifact> {
  if (version === undefined || version === current.version) return current;
  const found = version < current.version
    ? await getArtifactVersion(c.var.kv, current.id, version)
    : null;
  if (!found) throw notFound("artifact version");
  return found;
}

/** Returns the dataset named by `:id` when the caller owns it; throws 404 otherwise. */
export async function ownedDataset(c: AppContext): Promise<Dataset> {
  const id = c.req.param("id") ?? "";
  const dataset = isId(id)
    ? await getOwnedDataset(c.var.kv, id, c.var.ownerId)
    : null;
  if (!dataset) throw notFound("dataset");
  return dataset;
}
