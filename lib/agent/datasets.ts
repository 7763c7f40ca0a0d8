/** The datasets a session's chat can draw from: the built-in demos (uploads come later). */
import { getDemoDatasets } from "../data/demo.ts";
import {
  type DatasetProfile,
  profileTable,
  type Table,
} from "../data/table.ts";

export interface ChatDataset {
  id: string;
  name: string;
  description: string;
  synthetic: boolean;
  table: Table;
  profile: DatasetProfile;
}

let demoCache: ChatDataset[] | null = null;

/** Returns the built-in demo datasets with their profiles, built once per process. */
export function demoChatDatasets(): ChatDataset[] {
  demoCache ??= getDemoDatasets().map((d) => ({
    id: d.id,
    name: d.name,
    description: d.description,
    synthetic: true,
    table: d.table,
    profile: profileTable(d.id, d.name, d.table),
  }));
  return demoCache;
}

/** Returns every dataset the chat of a session can use. */
export function listChatDatasets(
  _kv: Deno.Kv,
  _sessionId: string,
): Promise<ChatDataset[]> {
  return Promise.resolve(demoChatDatasets());
}
