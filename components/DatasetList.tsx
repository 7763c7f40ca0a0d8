import type { DatasetSummary } from "../lib/client/api_types.ts";
import type { UiKey, UiText } from "../lib/agent/lang/types.ts";
import { t, tn } from "../lib/client/ui.ts";

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
