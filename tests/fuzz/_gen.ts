/**
 * Seeded generators of hostile and mutated requests for the fuzz suite:
 * the same seed always makes the same requests.
 */

/** A seeded pseudo-random source (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A number in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const WEIRD_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "%",
  "%E0%A4%A",
  "%ZZ",
  "%00",
  "../../etc/passwd",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "<script>alert(1)</script>",
  "'; DROP TABLE data; --",
  "=cmd|' /C calc'!A0",
  "\ud800",
  "😀".repeat(50),
  "NaN",
  "-1",
  "1e309",
  "9".repeat(40),
  "null",
  "true",
  "{}",
  "[]",
  "\r\n\r\n",
  "x".repeat(5000),
];

const KEYS = [
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "prototype",
  "type",
  "data",
  "text",
  "name",
  "formatter",
  "color",
  "series",
  "xAxis",
  "yAxis",
  "title",
  "image",
  "symbol",
];

/** Sets an own, enumerable property, even one named `__proto__`. */
function setKey(target: Record<string, unknown>, key: string, v: unknown) {
  Object.defineProperty(target, key, {
    value: v,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A random JSON value, at most `depth` deep. */
export function value(rng: Rng, depth = 3): unknown {
  const kind = depth <= 0 ? rng.int(4) : rng.int(7);
  switch (kind) {
    case 0:
      return rng.pick(WEIRD_STRINGS);
    case 1:
      return rng.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 4000, 100000]);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return rng.pick(["line", "bar", "pie", "scatter", "custom", "map"]);
    case 4:
    case 5: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(4); i >= 0; i--) {
        setKey(out, rng.pick(KEYS), value(rng, depth - 1));
      }
      return out;
    }
    default:
      return Array.from({ length: rng.int(5) }, () => value(rng, depth - 1));
  }
}

/** A text with random bytes flipped, cut or repeated. */
export function mutate(rng: Rng, text: string): string {
  let out = text;
  for (let i = rng.int(4); i >= 0; i--) {
    const at = rng.int(out.length + 1);
    switch (rng.int(4)) {
      case 0:
        out = out.slice(0, at) + rng.pick(WEIRD_STRINGS) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + rng.int(20));
        break;
      case 2:
        out = out.slice(0, at) + String.fromCharCode(rng.int(0x2fff)) +
          out.slice(at + 1);
        break;
      default:
        out = out.slice(0, at) + out.slice(at, at + 50).repeat(rng.int(20)) +
          out.slice(at);
    }
  }
  return out;
}

/** A weird string to put in a header, a query value or a name. */
export function weird(rng: Rng): string {
  return rng.pick(WEIRD_STRINGS);
}

/** A random ECharts-like option: a valid bar chart, mutated. */
export function option(rng: Rng): Record<string, unknown> {
  const base: Record<string, unknown> = {
    title: { text: rng.chance(0.2) ? weird(rng) : "Fuzz" },
    xAxis: { type: "category", data: ["a", "b", "c"] },
    yAxis: {},
    series: [{
      type: rng.pick(["bar", "line", "pie", "scatter"]),
      data: [1, 2, 3],
    }],
  };
  const series = (base.series as Record<string, unknown>[])[0];
  for (let i = rng.int(4); i > 0; i--) {
    setKey(rng.chance(0.5) ? base : series, rng.pick(KEYS), value(rng));
  }
  return base;
}

/** A random workflow step: a valid one with mutated arguments, or nonsense. */
export function step(rng: Rng): unknown {
  const steps = [
    { operation: "select_columns", arguments: { columns: ["region"] } },
    {
      operation: "filter",
      arguments: { conditions: [{ column: "amount", op: "gt", value: 3 }] },
    },
    { operation: "sort", arguments: { by: [{ column: "amount" }] } },
    {
      operation: "sql",
      arguments: { query: "SELECT region, amount FROM data" },
    },
    { operation: "convert", arguments: { format: "xlsx" } },
    {
      operation: "normalize",
      arguments: { columns: ["amount"], method: "z_score" },
    },
    { operation: "join", arguments: { dataset: "data.csv", on: ["region"] } },
  ];
  const picked = structuredClone(rng.pick(steps)) as Record<string, unknown>;
  if (rng.chance(0.5)) {
    const args = picked.arguments as Record<string, unknown>;
    setKey(
      args,
      rng.pick([...KEYS, "query", "columns", "format"]),
      value(rng, 2),
    );
  }
  if (picked.operation === "sql" && rng.chance(0.5)) {
    (picked.arguments as Record<string, unknown>).query = mutate(
      rng,
      "SELECT region, SUM(amount) FROM data GROUP BY region",
    );
  }
  return rng.chance(0.1) ? value(rng) : picked;
}
