/** An ECharts canvas that loads the (code-split) chart library on first use. */
import { useEffect, useRef } from "preact/hooks";
import { loadECharts } from "@/lib/client/echarts_loader.ts";
import { fitTitle } from "@/lib/charts/title_fit.ts";

interface Props {
  option: Record<string, unknown> | null;
  class?: string;
  label: string;
  /** The page's locale, for the numbers of tooltips. */
  locale: string;
}

/** Adds what JSON cannot carry: a tooltip that rounds long decimals. */
function withFormatters(
  option: Record<string, unknown>,
  locale: string,
): Record<string, unknown> {
  const tooltip = option.tooltip as Record<string, unknown> | undefined;
  if (!tooltip) return option;
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  return {
    ...option,
    tooltip: {
      ...tooltip,
      valueFormatter: (v: unknown) =>
        typeof v === "number" ? numbers.format(v) : v == null ? "–" : String(v),
    },
  };
}

type Chart = {
  setOption(option: unknown, notMerge?: boolean): void;
  resize(): void;
  dispose(): void;
};

/** Renders `option` into a div that fills its box; redraws when the option changes. */
export default function EChart(
  { option, class: className, label, locale }: Props,
) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const shown = useRef(option);
  shown.current = option;
  /** The option as drawn now: tooltips formatted, the title cut to the box. */
  const drawn = (o: Record<string, unknown>) =>
    withFormatters(fitTitle(o, host.current?.clientWidth ?? 600), locale);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    loadECharts(option).then((echarts) => {
      if (disposed || !host.current) return;
      chart.current = echarts.init(host.current, null, {
        renderer: "canvas",
      }) as Chart;
      if (option) chart.current.setOption(drawn(option), true);
      observer = new ResizeObserver(() => {
        const now = shown.current;
        // A new width cuts the title afresh (only the title changes).
        if (now?.title) {
          chart.current?.setOption({ title: drawn(now).title });
        }
        chart.current?.resize();
      });
      observer.observe(host.current);
      host.current.dataset.rendered = "true";
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!chart.current || !option) return;
    // A heatmap after a line chart first needs the heatmap chunk.
    let current = true;
    loadECharts(option).then(() => {
      if (current) {
        chart.current?.setOption(drawn(option), true);
      }
    });
    return () => {
      current = false;
    };
  }, [option]);

  return <div ref={host} class={className} role="img" aria-label={label} />;
}
