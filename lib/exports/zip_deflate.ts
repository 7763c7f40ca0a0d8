/**
 * A ZIP entry for fflate's streaming `Zip` whose bytes are deflated by zlib
 * (native, node:zlib) in segments of 256 KB.
 *
 * fflate's own `ZipDeflate` allocates ~350 KB of typed arrays per file,
 * which V8 frees late: a 50-chart session ZIP (650 files) left hundreds of
 * MB of it resident. Here each segment is deflated by one zlib call on its
 * own and ends on a byte boundary (Z_SYNC_FLUSH), the last one with the final
 * block (Z_FINISH); raw deflate streams joined that way are one valid stream
 * (RFC 1951 blocks need no back-reference across a flush). A segment only
 * loses the matches it could have found in the one before: on CSV and
 * minified code that makes the file ~1% larger at 256 KB (4% at 64 KB), and
 * a file smaller than a segment is deflated whole.
 *
 * Bytes that many entries share (the ECharts runtime every HTML page
 * inlines) can be marked with `deflateOnce`: they are deflated the first time
 * and the same compressed segment is reused after that.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import { ZipPassThrough } from "fflate";
import { concatBytes } from "@/lib/bytes.ts";

/** Input collected before a segment is deflated (unless the file ends). */
const SEGMENT_BYTES = 256 * 1024;

/** Shared bytes, and their deflated segment once made. */
const shared = new WeakMap<Uint8Array, Uint8Array<ArrayBuffer> | null>();

/**
 * Marks `bytes` as pushed, unchanged, into many deflated entries: they are
 * compressed once per process. Returns `bytes`. They must never be mutated.
 */
export function deflateOnce<T extends Uint8Array>(bytes: T): T {
  if (!shared.has(bytes)) shared.set(bytes, null);
  return bytes;
}

function deflateSegment(data: Uint8Array, level: number, final: boolean) {
  return deflateRawSync(data, {
    level,
    finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
  }) as Uint8Array<ArrayBuffer>;
}

/**
 * fflate's CRC-32 state (`{p(chunk), d()}`) computed by zlib: fflate's own
 * runs in JavaScript at ~200 MB/s, zlib's several times faster.
 */
function nativeCrc() {
  let value = 0;
  return {
    p(chunk: Uint8Array) {
      value = crc32(chunk, value);
    },
    d() {
      return value;
    },
  };
}

/** A stored (not deflated) ZIP entry whose CRC-32 zlib computes. */
export class NativeStored extends ZipPassThrough {
  constructor(filename: string) {
    super(filename);
    (this as unknown as { c: unknown }).c = nativeCrc();
  }
}

/** A deflated ZIP entry, compressed by zlib a segment at a time. */
export class NativeDeflate extends ZipPassThrough {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  readonly #level: number;

  constructor(filename: string, level = 6) {
    super(filename);
    (this as unknown as { c: unknown }).c = nativeCrc();
    this.compression = 8;
    this.#level = level;
  }

  override process(chunk: Uint8Array, final: boolean): void {
    // A zlib error throws out of push(), which errors the archive stream.
    if (shared.has(chunk)) {
      this.#flush(false);
      let segment = shared.get(chunk);
      if (!segment) {
        segment = deflateSegment(chunk, 6, false);
        shared.set(chunk, segment);
      }
      if (segment.length) this.ondata(null, segment, false);
      if (final) this.#flush(true);
      return;
    }
    if (chunk.length) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
    }
    if (final || this.#pendingBytes >= SEGMENT_BYTES) this.#flush(final);
  }

  /** Deflates what is pending (at the end, even nothing: the final block). */
  #flush(final: boolean): void {
    if (!final && this.#pendingBytes === 0) return;
    const chunks = this.#pending;
    const data = chunks.length === 1
      ? chunks[0]
      : concatBytes(chunks, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.ondata(null, deflateSegment(data, this.#level, final), final);
  }
}
