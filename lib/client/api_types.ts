/** The JSON shapes the islands receive from the API (see lib/http/views.ts). */
import type { ChartSpec, Snapshot } from "../charts/spec.ts";

export interface MessageView {
  id: string;
  role: "user" | "assistant";
  content: string;
  artifact_ids: string[];
  options?: string[];
  created_at: string;
}

export interface ArtifactView {
  id: string;
  session_id: string;
  type: "chart";
  chart_type: ChartSpec["type"];
  title: string;
  version: number;
  spec: ChartSpec;
  provenance: {
    query: string;
    params: (string | number | null)[];
    dataset_id: string;
    dataset_name: string;
    row_count: number;
    execution_ms: number;
  };
  interpretation: string;
  created_at: string;
  updated_at: string;
  url: string;
}

export interface ArtifactDetail extends ArtifactView {
  versions: number[];
  data: Snapshot;
  option: Record<string, unknown>;
}

export interface DatasetSummary {
  id: string;
  name: string;
  description: string;
  synthetic: boolean;
  rows: number;
  columns: { name: string; type: string }[];
}
