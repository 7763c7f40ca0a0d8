/**
 * The datasets a session's chat can draw from: the session's own datasets
 * (uploads and workflow outputs, their profiles read from KV and their rows
 * streamed into SQLite on first query) and the built-in demos.
 */
import { getDemoDatasets } from "@/lib/data/demo.ts";
import {
  type DatasetProfile,
  profileTable,
  type TableColumn,
} from "@/lib/data/table.ts";
import {
  type QueryParam,
  type QueryResult,
  runQuery,
  runStoredQuery,
} from "@/lib/data/query.ts";
import {
  type Dataset,
  listSessionDatasets,
  readDatasetDetail,
  storedSourceOf,
} from "@/lib/kv/datasets.ts";

export interface ChatDataset {
  id: string;
  name: string;
  description: string;
  synthetic: boolean;
  columns: TableColumn[];
  rowCount: number;
  profile: DatasetProfile;
  /** The stored dataset; null for the built-in demos. */
  dataset: Dataset | null;
  /** Runs one of the planner's read-only statements against the dataset's table `data`. */
  query(sql: string, params: QueryParam[]): Promise<QueryResult>;
}

let demoCache: ChatDataset[] | null = null;

/** Returns the built-in demo datasets with their profiles, built once per process. */
export function demoChatDatasets(): ChatDataset[] {
  demoCache ??= getDemoDatasets().map((d) => ({
    id: d.id,
    name: d.name,
    description: d.description,
    synthetic: true,
    columns: d.table.columns,
    rowCount: d.table.rows.length,
    profile: profileTable(d.id, d.name, d.table),
    dataset: null,
    query: (sql, params) =>
      Promise.resolve(runQuery({ id: d.id, table: d.table }, sql, params)),
  }));
  return demoCache;
}

function describe(dataset: Dataset): string {
  if (dataset.origin.kind === "workflow") {
    return `Output of step ${dataset.origin.step} (${
      dataset.origin.operation.replace("_", " ")
    }) of a workflow.`;
  }
  const sheet = dataset.sheet ? `, sheet “${dataset.sheet}”` : "";
  return `Uploaded ${dataset.format?.toUpperCase() ?? "file"}${sheet}.`;
}

/** Returns the chat's view of one stored dataset. */
export async function chatDatasetOf(
  kv: Deno.Kv,
  dataset: Dataset,
): Promise<ChatDataset> {
  const detail = await readDatasetDetail(kv, dataset);
  const source = storedSourceOf(kv, dataset, detail);
  return {
    id: dataset.id,
    name: dataset.name,
    description: describe(dataset),
    synthetic: false,
    columns: source.columns,
    rowCount: dataset.rowCount,
    profile: detail.profile,
    dataset,
    query: (sql, params) => runStoredQuery(source, sql, params),
  };
}

/** Returns every dataset the chat of a session can use: its own (oldest first), then the demos. */
export async function listChatDatasets(
  kv: Deno.Kv,
  sessionId: string,
): Promise<ChatDataset[]> {
  const own = await listSessionDatasets(kv, sessionId);
  const views = await Promise.all(own.map((d) => chatDatasetOf(kv, d)));
  return [...views, ...demoChatDatasets()];
}
