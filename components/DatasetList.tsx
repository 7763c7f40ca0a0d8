import type { UiKey, UiText } from "@/lib/agent/lang/types.ts";
import { t, tn } from "@/lib/client/ui.ts";

/** A built-in demo dataset as the page lists it (page data, not an API view). */
export interface DatasetSummary {
  id: string;
  name: string;
  description: string;
  synthetic: boolean;
  rows: number;
  columns: { name: string; type: string }[];
}

/** The built-in demo datasets the chat can use, with their columns; marked synthetic. */
export default function DatasetList(
  { datasets, ui }: { datasets: DatasetSummary[]; ui: UiText },
) {
  return (
    <details class="datasets">
      <summary>{t(ui, "demoData", { n: datasets.length })}</summary>
      <ul>
        {datasets.map((d) => (
          <li key={d.id}>
            <strong>{d.name}</strong>
            {d.synthetic && (
              <span class="badge" title={ui.syntheticTitle}>
                {ui.synthetic}
              </span>
            )}
            <span class="muted">{tn(ui, "rowCount", d.rows)}</span>
            <p class="muted">
              {ui[`demo.${d.name}` as UiKey] ?? d.description}
            </p>
            <p class="columns">
              {d.columns.map((c) => (
                <code
                  key={c.name}
                  title={ui[`type.${c.type}` as UiKey] ?? c.type}
                >
                  {c.name}
                </code>
              ))}
            </p>
          </li>
        ))}
      </ul>
    </details>
  );
}
