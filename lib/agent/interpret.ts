/**
 * A short, factual reading of a chart computed from its snapshot alone: the
 * range, the highest and lowest points, the change from first to last on a
 * time axis, which series is highest on average, or how two scatter columns
 * move together. No fact that the numbers do not show.
 */
import type { ChartSpec, Snapshot } from "../charts/spec.ts";
import { withBinLabels } from "../charts/compile.ts";
import type { Lang } from "./words.ts";

const LOCALE: Record<Lang, string> = { en: "en-US", es: "es-ES", pt: "pt-BR" };

const TEXT = {
  en: {
    empty: "No data matched this request, so the chart is empty.",
    range: (s: string, lo: string, loAt: string, hi: string, hiAt: string) =>
      `${s} ranges from ${lo} (${loAt}) to ${hi} (${hiAt}).`,
    change: (from: string, to: string, a: string, b: string, pct: string) =>
      `From ${from} to ${to} it went from ${a} to ${b} (${pct}).`,
    same: (from: string, to: string, a: string) =>
      `It is ${a} both at ${from} and at ${to}.`,
    highest: (hi: string, hv: string, lo: string, lv: string) =>
      `${hi} has the highest value (${hv}) and ${lo} the lowest (${lv}).`,
    share: (x: string, pct: string) =>
      `${x} is the largest share (${pct} of the total).`,
    onAverage: (n: number, hi: string, hv: string, lo: string, lv: string) =>
      `Of the ${n} series, ${hi} is highest on average (${hv}) and ${lo} lowest (${lv}).`,
    overall: (lo: string, loAt: string, hi: string, hiAt: string) =>
      `Values range from ${lo} (${loAt}) to ${hi} (${hiAt}).`,
    points: (n: number, x: string, y: string, xr: string, yr: string) =>
      `${n} points: ${x} spans ${xr} and ${y} spans ${yr}.`,
    corr: (x: string, y: string, r: string, strength: string, dir: string) =>
      `${y} ${dir} with ${x} (correlation r = ${r}, ${strength}).`,
    up: "tends to rise",
    down: "tends to fall",
    flat: "shows little linear relation",
    strong: "strong",
    moderate: "moderate",
    weak: "weak",
    single: (s: string, v: string, at: string) => `${s} is ${v} (${at}).`,
    to: "to",
  },
  es: {
    empty:
      "Ningún dato coincide con la petición, así que el gráfico está vacío.",
    range: (s: string, lo: string, loAt: string, hi: string, hiAt: string) =>
      `${s} va de ${lo} (${loAt}) a ${hi} (${hiAt}).`,
    change: (from: string, to: string, a: string, b: string, pct: string) =>
      `De ${from} a ${to} pasó de ${a} a ${b} (${pct}).`,
    same: (from: string, to: string, a: string) =>
      `Vale ${a} tanto en ${from} como en ${to}.`,
    highest: (hi: string, hv: string, lo: string, lv: string) =>
      `${hi} tiene el valor más alto (${hv}) y ${lo} el más bajo (${lv}).`,
    share: (x: string, pct: string) =>
      `${x} es la mayor parte (${pct} del total).`,
    onAverage: (n: number, hi: string, hv: string, lo: string, lv: string) =>
      `De las ${n} series, ${hi} es la más alta en promedio (${hv}) y ${lo} la más baja (${lv}).`,
    overall: (lo: string, loAt: string, hi: string, hiAt: string) =>
      `Los valores van de ${lo} (${loAt}) a ${hi} (${hiAt}).`,
    points: (n: number, x: string, y: string, xr: string, yr: string) =>
      `${n} puntos: ${x} abarca ${xr} y ${y} abarca ${yr}.`,
    corr: (x: string, y: string, r: string, strength: string, dir: string) =>
      `${y} ${dir} con ${x} (correlación r = ${r}, ${strength}).`,
    up: "tiende a subir",
    down: "tiende a bajar",
    flat: "muestra poca relación lineal",
    strong: "fuerte",
    moderate: "moderada",
    weak: "débil",
    single: (s: string, v: string, at: string) => `${s} es ${v} (${at}).`,
    to: "a",
  },
  pt: {
    empty: "Nenhum dado corresponde ao pedido, então o gráfico está vazio.",
    range: (s: string, lo: string, loAt: string, hi: string, hiAt: string) =>
      `${s} vai de ${lo} (${loAt}) a ${hi} (${hiAt}).`,
    change: (from: string, to: string, a: string, b: string, pct: string) =>
      `De ${from} a ${to} passou de ${a} para ${b} (${pct}).`,
    same: (from: string, to: string, a: string) =>
      `Vale ${a} tanto em ${from} quanto em ${to}.`,
    highest: (hi: string, hv: string, lo: string, lv: string) =>
      `${hi} tem o maior valor (${hv}) e ${lo} o menor (${lv}).`,
    share: (x: string, pct: string) =>
      `${x} é a maior fatia (${pct} do total).`,
    onAverage: (n: number, hi: string, hv: string, lo: string, lv: string) =>
      `Das ${n} séries, ${hi} é a mais alta em média (${hv}) e ${lo} a mais baixa (${lv}).`,
    overall: (lo: string, loAt: string, hi: string, hiAt: string) =>
      `Os valores vão de ${lo} (${loAt}) a ${hi} (${hiAt}).`,
    points: (n: number, x: string, y: string, xr: string, yr: string) =>
      `${n} pontos: ${x} abrange ${xr} e ${y} abrange ${yr}.`,
    corr: (x: string, y: string, r: string, strength: string, dir: string) =>
      `${y} ${dir} com ${x} (correlação r = ${r}, ${strength}).`,
    up: "tende a subir",
    down: "tende a cair",
    flat: "mostra pouca relação linear",
    strong: "forte",
    moderate: "moderada",
    weak: "fraca",
    single: (s: string, v: string, at: string) => `${s} é ${v} (${at}).`,
    to: "a",
  },
};

interface Point {
  x: string;
  y: number;
}

function formatter(lang: Lang) {
  const nf = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 2 });
  return (v: number) => nf.format(v);
}

function pct(lang: Lang, from: number, to: number): string {
  const change = (to - from) / Math.abs(from) * 100;
  const nf = new Intl.NumberFormat(LOCALE[lang], {
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
  const t = TEXT[lang];
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
      const nf = new Intl.NumberFormat(LOCALE[lang], {
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
  const t = TEXT[lang];
  const f = formatter(lang);
  if (snapshot.rows.length === 0) return t.empty;
  if (spec.type === "scatter") return scatterText(spec, snapshot, lang);
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
    const share = spec.type === "pie" || spec.type === "donut";
    if (share && total > 0 && points.every((p) => p.y >= 0)) {
      const nf = new Intl.NumberFormat(LOCALE[lang], {
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
