/** Route helpers that load a record the caller owns, or answer 404. */
import { getOwnedSession, type Session } from "../kv/sessions.ts";
import { type Artifact, getOwnedArtifact } from "../kv/artifacts.ts";
import { type Dataset, getOwnedDataset } from "../kv/datasets.ts";
import { isId } from "../ids.ts";
import { notFound } from "../errors.ts";
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

/** Returns the dataset named by `:id` when the caller owns it; throws 404 otherwise. */
export async function ownedDataset(c: AppContext): Promise<Dataset> {
  const id = c.req.param("id") ?? "";
  const dataset = isId(id)
    ? await getOwnedDataset(c.var.kv, id, c.var.ownerId)
    : null;
  if (!dataset) throw notFound("dataset");
  return dataset;
}
