/** An ECharts canvas that loads the (code-split) chart library on first use. */
import { useEffect, useRef } from "preact/hooks";

interface Props {
  option: Record<string, unknown> | null;
  class?: string;
  label: string;
}

type Chart = {
  setOption(option: unknown, notMerge?: boolean): void;
  resize(): void;
  dispose(): void;
};

/** Renders `option` into a div that fills its box; redraws when the option changes. */
export default function EChart({ option, class: className, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    import("../echarts.ts").then(({ echarts }) => {
      if (disposed || !host.current) return;
      chart.current = echarts.init(host.current, null, {
        renderer: "canvas",
      }) as Chart;
      if (option) chart.current.setOption(option, true);
      observer = new ResizeObserver(() => chart.current?.resize());
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
    if (chart.current && option) chart.current.setOption(option, true);
  }, [option]);

  return <div ref={host} class={className} role="img" aria-label={label} />;
}
