/** A shared chart alone, interactive, filling its frame (the `<iframe>` embed). */
import EChart from "@/components/EChart.tsx";

interface Props {
  option: Record<string, unknown>;
  title: string;
  /** The visitor's locale, for the numbers of tooltips. */
  locale: string;
}

export default function EmbedChart({ option, title, locale }: Props) {
  return (
    <EChart
      option={option}
      class="embed-chart"
      label={title}
      locale={locale}
    />
  );
}
