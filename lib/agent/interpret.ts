/**
 * A short, factual reading of a chart computed from its snapshot alone: the
 * range, the highest and lowest points, the change from first to last on a
 * time axis, which series is highest on average, or how two scatter columns
 * move together. No fact that the numbers do not show.
 */
import type { ChartSpec, Snapshot } from "@/lib/charts/spec.ts";
import { withBinLabels } from "@/lib/charts/compile.ts";
import { language } from "@/lib/agent/lang/mod.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";

const textOf = (lang: Lang) => language(lang).text.interpret;
const localeOf = (lang: Lang) => language(lang).locale;

interface Point {
  x: string;
  y: number;
}

function formatter(lang: Lang) {
  const nf = new Intl.NumberFormat(localeOf(lang), {
    maximumFractionDigits: 2,
  });
  return (v: number) => nf.format(v);
}

function pct(lang: Lang, from: number, to: number): string {
  const change = (to - from) / Math.abs(from) * 100;
  const nf = new Intl.NumberFormat(localeOf(lang), {
    maximumFractionDigits: 1,
    signDisplay: "always",
  });
  return `${nf.format(change)}%`;
}

function extremes<P extends Point>(points: P[]): { lo: P; hi: P } {
  let lo = points[0];
  let hi = points[0];
  for (const p of points) {
    if (p.y < lo.y) lo = p;
    if (p.y > hi.y) hi = p;
  }
  return { lo, hi };
}

function seriesPoints(snapshot: Snapshot, xi: number, yi: number): Point[] {
  const out: Point[] = [];
  for (const row of snapshot.rows) {
    const y = row[yi];
    if (typeof y === "number" && Number.isFinite(y)) {
      out.push({ x: String(row[xi]), y });
    }
  }
  return out;
}

function scatterText(spec: ChartSpec, snapshot: Snapshot, lang: Lang): string {
  const t = textOf(lang);
  const f = formatter(lang);
  const xi = snapshot.columns.findIndex((c) => c.name === spec.x);
  const yi = snapshot.columns.findIndex((c) => c.name === spec.series[0]);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const row of snapshot.rows) {
    const x = row[xi];
    const y = row[yi];
    if (typeof x === "number" && typeof y === "number") {
      xs.push(x);
      ys.push(y);
    }
  }
  if (xs.length === 0) return t.empty;
  const range = (v: number[]) =>
    `${f(Math.min(...v))} ${t.to} ${f(Math.max(...v))}`;
  const sentences = [
    t.points(xs.length, spec.x, spec.series[0], range(xs), range(ys)),
  ];
  if (xs.length >= 3) {
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    }
    if (sxx > 0 && syy > 0) {
      const r = sxy / Math.sqrt(sxx * syy);
      const a = Math.abs(r);
      const strength = a >= 0.7 ? t.strong : a >= 0.4 ? t.moderate : t.weak;
      const dir = a < 0.2 ? t.flat : r > 0 ? t.up : t.down;
      const nf = new Intl.NumberFormat(localeOf(lang), {
        maximumFractionDigits: 2,
      });
      sentences.push(
        t.corr(spec.x, spec.series[0], nf.format(r), strength, dir),
      );
    }
  }
  return sentences.join(" ");
}

/** A 1–3 sentence factual reading of a chart's data (English unless `lang` says otherwise). */
export function interpretChart(
  spec: ChartSpec,
  snapshot: Snapshot,
  lang: Lang = "en",
): string {
  const t = textOf(lang);
  const f = formatter(lang);
  if (snapshot.rows.length === 0) return t.empty;
  if (spec.type === "scatter") return scatterText(spec, snapshot, lang);
  const kind = spec.type;
  // A histogram's bins read "10–20", not by their lower edge.
  snapshot = withBinLabels(spec, snapshot);
  const xi = snapshot.columns.findIndex((c) => c.name === spec.x);
  if (xi < 0) return t.empty;
  const isTime = snapshot.columns[xi].type === "date";
  const series = spec.series
    .map((name) => ({
      name,
      points: seriesPoints(
        snapshot,
        xi,
        snapshot.columns.findIndex((c) => c.name === name),
      ),
    }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return t.empty;

  if (series.length === 1) {
    const { name, points } = series[0];
    if (points.length === 1) return t.single(name, f(points[0].y), points[0].x);
    const { lo, hi } = extremes(points);
    if (isTime) {
      const first = points[0];
      const last = points[points.length - 1];
      const sentences = [t.range(name, f(lo.y), lo.x, f(hi.y), hi.x)];
      if (first.y === last.y) {
        sentences.push(t.same(first.x, last.x, f(first.y)));
      } else if (first.y !== 0) {
        sentences.push(
          t.change(
            first.x,
            last.x,
            f(first.y),
            f(last.y),
            pct(lang, first.y, last.y),
          ),
        );
      }
      return sentences.join(" ");
    }
    const sentences = [t.highest(hi.x, f(hi.y), lo.x, f(lo.y))];
    const total = points.reduce((a, p) => a + p.y, 0);
    if (
      (kind === "pie" || kind === "donut") && total > 0 &&
      points.every((p) => p.y >= 0)
    ) {
      const nf = new Intl.NumberFormat(localeOf(lang), {
        style: "percent",
        maximumFractionDigits: 1,
      });
      sentences.push(t.share(hi.x, nf.format(hi.y / total)));
    }
    return sentences.join(" ");
  }

  const means = series.map((s) => ({
    name: s.name,
    mean: s.points.reduce((a, p) => a + p.y, 0) / s.points.length,
  }));
  let top = means[0];
  let bottom = means[0];
  for (const m of means) {
    if (m.mean > top.mean) top = m;
    if (m.mean < bottom.mean) bottom = m;
  }
  const all = series.flatMap((s) =>
    s.points.map((p) => ({ ...p, name: s.name }))
  );
  const { lo, hi } = extremes(all);
  const at = (p: Point & { name: string }) => `${p.name}, ${p.x}`;
  return [
    t.onAverage(
      series.length,
      top.name,
      f(top.mean),
      bottom.name,
      f(bottom.mean),
    ),
    t.overall(f(lo.y), at(lo), f(hi.y), at(hi)),
  ].join(" ");
}
