/**
 * Built-in demo datasets, generated in code from a seeded PRNG so every
 * process builds the same rows. The numbers are synthetic: plausible in shape
 * (seasons, trends, noise), not measurements of anything.
 */
import type { Table } from "./table.ts";

export interface DemoDataset {
  id: string;
  name: string;
  description: string;
  table: Table;
}

/** mulberry32: a tiny, fast, seedable 32-bit PRNG returning values in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from a uniform source. */
function gaussian(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthStart(year: number, monthIndex: number): string {
  const d = new Date(Date.UTC(year, monthIndex, 1));
  return d.toISOString().slice(0, 10);
}

const DAY = 86_400_000;

function buildAirQuality(): Table {
  const rand = mulberry32(20240101);
  const cities = [
    { city: "Kampala", pm25: 50, no2: 28, amp: 0.22, phase: 0 },
    { city: "Nairobi", pm25: 33, no2: 19, amp: 0.18, phase: 15 },
    { city: "Lagos", pm25: 66, no2: 37, amp: 0.2, phase: -10 },
    { city: "Accra", pm25: 42, no2: 24, amp: 0.25, phase: 5 },
    { city: "Kigali", pm25: 29, no2: 16, amp: 0.16, phase: 20 },
  ];
  const rows: Table["rows"] = [];
  const start = Date.UTC(2024, 0, 1);
  const end = Date.UTC(2025, 5, 30);
  for (let t = start; t <= end; t += DAY) {
    const day = (t - start) / DAY;
    const trend = 1 + 0.08 * (day / 365);
    for (const c of cities) {
      const season = 1 +
        c.amp * Math.cos(2 * Math.PI * (day - 75 - c.phase) / 365);
      const pm25 = Math.max(
        2,
        c.pm25 * season * trend * (1 + 0.07 * gaussian(rand)),
      );
      const pm10 = Math.max(pm25, pm25 * (1.75 + 0.06 * gaussian(rand)));
      const no2 = Math.max(1, c.no2 * (1 + 0.06 * gaussian(rand)));
      rows.push([
        isoDay(t),
        c.city,
        round(pm25, 1),
        round(pm10, 1),
        round(no2, 1),
      ]);
    }
  }
  return {
    columns: [
      { name: "date", type: "date" },
      { name: "city", type: "text" },
      { name: "pm25", type: "number" },
      { name: "pm10", type: "number" },
      { name: "no2", type: "number" },
    ],
    rows,
  };
}

function buildBankRatios(): Table {
  const rand = mulberry32(20220101);
  const banks = [
    { bank: "INVEX", imor: 2.2, icor: 115, roe: 14 },
    { bank: "Sistema", imor: 2.4, icor: 140, roe: 15 },
    { bank: "BBVA", imor: 1.8, icor: 150, roe: 21 },
    { bank: "Banorte", imor: 1.25, icor: 170, roe: 19 },
    { bank: "Santander", imor: 2.6, icor: 120, roe: 16 },
  ];
  const state = banks.map((b) => ({ ...b }));
  const rows: Table["rows"] = [];
  for (let m = 0; m < 42; m++) {
    const month = monthStart(2022, m);
    state.forEach((s, i) => {
      const b = banks[i];
      s.imor = Math.max(
        0.3,
        s.imor + 0.08 * gaussian(rand) + 0.05 * (b.imor - s.imor),
      );
      s.icor = Math.max(
        50,
        s.icor + 3 * gaussian(rand) + 0.1 * (b.icor - s.icor),
      );
      const roe = b.roe + 0.5 * gaussian(rand);
      rows.push([
        month,
        s.bank,
        round(s.imor, 2),
        round(s.icor, 1),
        round(roe, 2),
      ]);
    });
  }
  return {
    columns: [
      { name: "month", type: "date" },
      { name: "bank", type: "text" },
      { name: "imor", type: "number" },
      { name: "icor", type: "number" },
      { name: "roe", type: "number" },
    ],
    rows,
  };
}

function buildSales(): Table {
  const rand = mulberry32(20230101);
  const regions = [
    { region: "North", weight: 1.1 },
    { region: "South", weight: 0.9 },
    { region: "East", weight: 1.25 },
    { region: "West", weight: 0.8 },
  ];
  const products = [
    { product: "Widget", price: 12.5, base: 320 },
    { product: "Gadget", price: 48, base: 110 },
    { product: "Gizmo", price: 22, base: 180 },
    { product: "Doohickey", price: 7.25, base: 450 },
    { product: "Sprocket", price: 95, base: 40 },
  ];
  const rows: Table["rows"] = [];
  for (let m = 0; m < 36; m++) {
    const month = monthStart(2023, m);
    const season = 1 + 0.25 * Math.sin(2 * Math.PI * ((m % 12) - 2) / 12);
    const growth = 1 + 0.012 * m;
    for (const r of regions) {
      for (const p of products) {
        const units = Math.max(
          0,
          Math.round(
            p.base * r.weight * season * growth * (1 + 0.12 * gaussian(rand)),
          ),
        );
        const price = p.price * (1 + 0.03 * gaussian(rand));
        rows.push([month, r.region, p.product, units, round(units * price, 2)]);
      }
    }
  }
  return {
    columns: [
      { name: "month", type: "date" },
      { name: "region", type: "text" },
      { name: "product", type: "text" },
      { name: "units", type: "integer" },
      { name: "revenue", type: "number" },
    ],
    rows,
  };
}

const BUILDERS: Record<string, () => Table> = {
  "demo:air_quality": buildAirQuality,
  "demo:bank_ratios": buildBankRatios,
  "demo:sales": buildSales,
};

/** Generates a demo table afresh (no cache): the same rows on every call and machine. */
export function buildDemoTable(id: string): Table {
  const build = BUILDERS[id];
  if (!build) throw new Error(`unknown demo dataset ${id}`);
  return build();
}

function lazyDataset(
  id: string,
  name: string,
  description: string,
  build: () => Table,
): DemoDataset {
  let table: Table | undefined;
  return {
    id,
    name,
    description,
    get table(): Table {
      table ??= build();
      return table;
    },
  };
}

/** The demo datasets; each table is generated on first access and kept. */
export const DEMO_DATASETS: readonly DemoDataset[] = [
  lazyDataset(
    "demo:air_quality",
    "air_quality",
    "Synthetic daily air quality (pm25, pm10, no2 in µg/m³) for five African cities, 2024-01-01 to 2025-06-30.",
    buildAirQuality,
  ),
  lazyDataset(
    "demo:bank_ratios",
    "bank_ratios",
    "Synthetic monthly bank ratios (imor = non-performing loan ratio %, icor = coverage %, roe %) for five Mexican banks, 2022-01 to 2025-06.",
    buildBankRatios,
  ),
  lazyDataset(
    "demo:sales",
    "sales",
    "Synthetic monthly sales (units, revenue) by region and product, 2023-01 to 2025-12.",
    buildSales,
  ),
];

/** Returns the demo datasets with their tables built (once per process). */
export function getDemoDatasets(): readonly DemoDataset[] {
  for (const d of DEMO_DATASETS) void d.table;
  return DEMO_DATASETS;
}

/** Returns one demo dataset by id (e.g. "demo:sales"), or undefined. */
export function getDemoDataset(id: string): DemoDataset | undefined {
  return DEMO_DATASETS.find((d) => d.id === id);
}
