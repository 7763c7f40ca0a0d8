import type { DatasetSummary } from "../lib/client/api_types.ts";

/** The built-in demo datasets the chat can use, with their columns; marked synthetic. */
export default function DatasetList(
  { datasets }: { datasets: DatasetSummary[] },
) {
  return (
    <details class="datasets">
      <summary>
        Demo data you can ask about ({datasets.length} datasets)
      </summary>
      <ul>
        {datasets.map((d) => (
          <li key={d.id}>
            <strong>{d.name}</strong>
            {d.synthetic && (
              <span class="badge" title="Generated, not real data">
                synthetic
              </span>
            )}
            <span class="muted">{d.rows.toLocaleString("en")} rows</span>
            <p class="muted">{d.description}</p>
            <p class="columns">
              {d.columns.map((c) => (
                <code key={c.name} title={c.type}>{c.name}</code>
              ))}
            </p>
          </li>
        ))}
      </ul>
    </details>
  );
}
