/**
 * A HyperLogLog sketch: estimates how many distinct strings it was given in
 * 4 KiB, within about 2% (4,096 registers). Inference feeds it only the
 * columns whose values are too many to count exactly.
 */

const BITS = 12;
const REGISTERS = 1 << BITS;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

/** Mixes UTF-16 units `from`..`to` of a string into a hash, two at a time. */
function mix(h: number, s: string, from: number, to: number): number {
  let i = from;
  for (; i + 1 < to; i += 2) {
    h = Math.imul(
      h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)),
      0x01000193,
    );
  }
  if (i < to) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * A 32-bit FNV-style hash over pairs of UTF-16 units, finished with a
 * murmur3 mix so low and high bits spread. Long strings are hashed by their
 * length and their first and last 24 units, which bounds the cost per value.
 */
function hash(s: string): number {
  const n = s.length;
  let h = 0x811c9dc5 ^ n;
  if (n <= 48) h = mix(h, s, 0, n);
  else h = mix(mix(h, s, 0, 24), s, n - 24, n);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  // Kept a signed 32-bit integer: an unsigned one above 2^31 deoptimises the callers.
  return (h ^ (h >>> 16)) | 0;
}

/** Counts distinct strings approximately. */
export class DistinctSketch {
  #registers = new Uint8Array(REGISTERS);

  /** Adds one value. */
  add(s: string): void {
    const h = hash(s);
    const index = h >>> (32 - BITS);
    const rest = h << BITS;
    const rank = rest === 0 ? 32 - BITS + 1 : Math.clz32(rest) + 1;
    if (rank > this.#registers[index]) this.#registers[index] = rank;
  }

  /** Returns the estimated number of distinct values added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (const r of this.#registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Small counts: linear counting is the better estimate.
    if (raw <= 2.5 * REGISTERS && zeros > 0) {
      return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
    }
    return Math.round(raw);
  }
}
