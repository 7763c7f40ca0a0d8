/**
 * Reading a ZIP archive held in memory, for uploads (XLSX workbooks) and
 * session restores. The central directory is read first and every entry's
 * declared sizes are checked before anything is inflated: an archive that
 * claims too much, or compresses better than real data does (a zip bomb), is
 * refused. An entry is then inflated as a stream (fflate's `Inflate`) a step
 * at a time while its bytes are counted, so one that inflates past the size
 * it declares is stopped too. Entries can be read in any order, each as
 * often as needed, without holding another inflated.
 */
import { Inflate } from "fflate";

/** One entry of the central directory. */
export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** What an archive may hold before it is taken for a zip bomb. */
export interface ZipLimits {
  /** Largest inflated size of one entry. */
  maxEntryBytes: number;
  /** Largest inflated size of all entries together. */
  maxTotalBytes: number;
  /** Compression ratio above which a large entry is a zip bomb. */
  maxRatio: number;
  /** Entries smaller than this are not judged by their ratio. */
  ratioFloorBytes: number;
}

/** Why an archive cannot be read. */
export type ZipProblemKind =
  | "truncated"
  | "damaged"
  | "zip64"
  | "encrypted"
  | "unsupported"
  | "bomb"
  | "too_large";

/** Thrown for an archive (or an entry of it) that cannot be read safely. */
export class ZipReadError extends Error {
  constructor(
    readonly kind: ZipProblemKind,
    message: string,
    /** The entry at fault, when one is. */
    readonly entry: string | null = null,
  ) {
    super(message);
    this.name = "ZipReadError";
  }
}

/** Compressed bytes inflated per step: bounds what one step can produce. */
const INFLATE_STEP = 16 * 1024;

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

/**
 * Returns the archive's entries in directory order after checking every
 * declared size against `limits`; throws ZipReadError otherwise.
 */
export function listZipEntries(
  bytes: Uint8Array,
  limits: ZipLimits,
): ZipEntryInfo[] {
  const min = Math.max(0, bytes.length - 65_557);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) {
    throw new ZipReadError(
      "truncated",
      "no ZIP directory; the file may be cut short",
    );
  }
  const count = u16(bytes, eocd + 10);
  const dirSize = u32(bytes, eocd + 12);
  const dirOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    throw new ZipReadError(
      "zip64",
      "the archive uses ZIP64, which only archives of several gigabytes need",
    );
  }
  if (dirOffset + dirSize > bytes.length) {
    throw new ZipReadError("truncated", "ZIP directory out of range");
  }
  const entries: ZipEntryInfo[] = [];
  let at = dirOffset;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) {
      throw new ZipReadError("damaged", "damaged ZIP directory");
    }
    const nameLength = u16(bytes, at + 28);
    const entry: ZipEntryInfo = {
      flags: u16(bytes, at + 8),
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      localOffset: u32(bytes, at + 42),
      name: new TextDecoder().decode(
        bytes.subarray(at + 46, at + 46 + nameLength),
      ),
    };
    at += 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    if (entry.flags & 1) {
      throw new ZipReadError(
        "encrypted",
        `${entry.name} is encrypted`,
        entry.name,
      );
    }
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) {
      throw new ZipReadError(
        "zip64",
        `${entry.name} is larger than 4 GB`,
        entry.name,
      );
    }
    const ratio = entry.size / Math.max(1, entry.compressedSize);
    if (
      entry.size > limits.maxEntryBytes ||
      (entry.size > limits.ratioFloorBytes && ratio > limits.maxRatio)
    ) {
      throw new ZipReadError(
        "bomb",
        `${entry.name} would inflate to ${entry.size} bytes (${
          Math.round(ratio)
        }× its compressed size)`,
        entry.name,
      );
    }
    total += entry.size;
    entries.push(entry);
  }
  if (total > limits.maxTotalBytes) {
    throw new ZipReadError(
      "bomb",
      `the archive would inflate to ${total} bytes, more than ${limits.maxTotalBytes}`,
    );
  }
  return entries;
}

/**
 * Yields an entry's inflated bytes a step at a time; throws ZipReadError when
 * it is cut short, damaged, or inflates past its declared size or `cap`.
 */
export function* inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntryInfo,
  cap = Infinity,
): Generator<Uint8Array> {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50) {
    throw new ZipReadError(
      "damaged",
      `damaged entry ${entry.name}`,
      entry.name,
    );
  }
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length < entry.compressedSize) {
    throw new ZipReadError(
      "truncated",
      `${entry.name} is cut short`,
      entry.name,
    );
  }
  const limit = Math.min(cap, entry.size);
  if (entry.method === 0) {
    if (data.length > limit) {
      throw new ZipReadError(
        "damaged",
        `${entry.name} is larger than declared`,
        entry.name,
      );
    }
    yield data;
    return;
  }
  if (entry.method !== 8) {
    throw new ZipReadError(
      "unsupported",
      `unsupported compression in ${entry.name}`,
      entry.name,
    );
  }
  let produced = 0;
  const out: Uint8Array[] = [];
  const inflate = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > limit) {
      throw entry.size > limit
        ? new ZipReadError(
          "too_large",
          `${entry.name} is larger than ${limit} bytes`,
          entry.name,
        )
        : new ZipReadError(
          "bomb",
          `${entry.name} inflates beyond the size it declares`,
          entry.name,
        );
    }
    out.push(chunk);
  });
  for (let i = 0; i < data.length; i += INFLATE_STEP) {
    const end = Math.min(data.length, i + INFLATE_STEP);
    try {
      inflate.push(data.subarray(i, end), end === data.length);
    } catch (error) {
      if (error instanceof ZipReadError) throw error;
      throw new ZipReadError(
        "damaged",
        `${entry.name} does not inflate: ${(error as Error).message}`,
        entry.name,
      );
    }
    while (out.length) yield out.shift()!;
  }
}
