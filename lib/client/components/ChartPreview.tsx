/** A small, static preview of an artifact's chart inside the chat. */
import { useEffect, useState } from "preact/hooks";
import { fetchArtifact } from "../artifacts.ts";
import { compileOption } from "../../charts/compile.ts";
import EChart from "./EChart.tsx";

/** Renders a thumbnail of the newest version of an artifact, with its title. */
export default function ChartPreview({ artifactId }: { artifactId: string }) {
  const [state, setState] = useState<
    | { title: string; option: Record<string, unknown> }
    | { error: string }
    | null
  >(null);

  useEffect(() => {
    fetchArtifact(artifactId).then(
      (a) =>
        setState({
          title: a.title,
          option: compileOption(a.spec, a.data, { preview: true }) as Record<
            string,
            unknown
          >,
        }),
      (error) => setState({ error: String(error.message ?? error) }),
    );
  }, [artifactId]);

  if (!state) return <span class="preview-card loading">Loading chart…</span>;
  if ("error" in state) {
    return (
      <span class="preview-card error">Chart unavailable: {state.error}</span>
    );
  }
  return (
    <span class="preview-card">
      <EChart
        option={state.option}
        class="preview-chart"
        label={`Preview: ${state.title}`}
      />
      <span class="preview-title">{state.title}</span>
    </span>
  );
}
