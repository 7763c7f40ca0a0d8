/** A small, static preview of an artifact's chart inside the chat. */
import { useEffect, useState } from "preact/hooks";
import { fetchArtifact } from "@/lib/client/artifacts.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import { errorText, t, type UiKey, type UiText } from "@/lib/client/ui.ts";
import EChart from "./EChart.tsx";

/** The page words a chart preview shows. */
export const PREVIEW_WORDS = [
  "loadingChart",
  "chartUnavailable",
  "previewOf",
  "serverAnswered",
  "noAnswer",
] as const satisfies readonly UiKey[];

/** Renders a thumbnail of the newest version of an artifact, with its title. */
export default function ChartPreview(
  { artifactId, ui }: {
    artifactId: string;
    ui: UiText<typeof PREVIEW_WORDS[number]>;
  },
) {
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
      (error) => setState({ error: errorText(ui, error) }),
    );
  }, [artifactId]);

  if (!state) {
    return <span class="preview-card loading">{ui.loadingChart}</span>;
  }
  if ("error" in state) {
    return (
      <span class="preview-card error">
        {t(ui, "chartUnavailable", { message: state.error })}
      </span>
    );
  }
  return (
    <span class="preview-card">
      <EChart
        option={state.option}
        class="preview-chart"
        label={t(ui, "previewOf", { title: state.title })}
        locale={ui.locale}
      />
      <span class="preview-title">{state.title}</span>
    </span>
  );
}
