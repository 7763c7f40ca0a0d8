/**
 * ECharts options for render tests, shaped like the peer benchmark charts
 * (../shared/bench/peer-charts.json, which tests cannot rely on) plus cases
 * that exercise each fast-path rule and its fallbacks.
 */
type Option = Record<string, unknown>;

/** A deterministic pseudo-random sequence in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const base = (title: string): Option => ({
  animation: false,
  backgroundColor: "#ffffff",
  title: { text: title, left: "center" },
});

/** A 1,000-point line on a category axis (its grid clip is needless). */
export function lineOption(points = 1000): Option {
  return {
    ...base(`Daily value (${points} points)`),
    legend: { data: ["Value"], top: 36 },
    grid: { left: 70, right: 30, top: 80, bottom: 60 },
    xAxis: {
      type: "category",
      data: Array.from(
        { length: points },
        (_, i) => new Date(Date.UTC(2022, 0, 1 + i)).toISOString().slice(0, 10),
      ),
      name: "Date",
      nameLocation: "middle",
      nameGap: 30,
    },
    yAxis: { type: "value", name: "Value", scale: true },
    series: [{
      name: "Value",
      type: "line",
      data: Array.from(
        { length: points },
        (_, i) =>
          Math.round((100 + 10 * Math.sin(i / 25) + (i % 13)) * 100) / 100,
      ),
    }],
  };
}

/** 50 categories × 3 series of bars (plain rectangles). */
export function barOption(): Option {
  const random = seeded(7);
  const series = ["North", "South", "West"].map((name) => ({
    name,
    type: "bar",
    data: Array.from({ length: 50 }, () => 20 + Math.floor(random() * 80)),
  }));
  return {
    ...base("Sales by category (50 x 3)"),
    legend: { data: series.map((s) => s.name), top: 36 },
    grid: { left: 60, right: 30, top: 80, bottom: 50 },
    xAxis: {
      type: "category",
      data: Array.from({ length: 50 }, (_, i) => `C${i + 1}`),
    },
    yAxis: { type: "value", name: "Units" },
    series,
  };
}

/** An 8-slice pie with labels. */
export function pieOption(): Option {
  const names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"];
  return {
    ...base("Share by segment"),
    series: [{
      type: "pie",
      radius: "60%",
      center: ["50%", "55%"],
      label: { show: true, formatter: "{b}: {d}%" },
      data: names.map((name, i) => ({ name, value: 300 - i * 40 })),
    }],
  };
}

/** A scatter of `points` points (stamped from `STAMP_MIN_POINTS` up). */
export function scatterOption(points = 3000, extra: Option = {}): Option {
  const random = seeded(11);
  return {
    ...base(`Scatter (${points} points)`),
    grid: { left: 60, right: 30, top: 50, bottom: 50 },
    xAxis: { type: "value", scale: true },
    yAxis: { type: "value", scale: true },
    series: [{
      name: "Points",
      type: "scatter",
      symbolSize: 6,
      progressive: 0,
      data: Array.from({ length: points }, () => {
        const x = random() * 100;
        return [
          Math.round(x * 100) / 100,
          Math.round((x * 0.8 + random() * 30) * 100) / 100,
        ];
      }),
      ...extra,
    }],
  };
}
