/**
 * A ZIP entry for fflate's streaming `Zip` whose bytes are deflated by zlib
 * (native, node:zlib) in one call when the file's last chunk arrives.
 *
 * fflate's own `ZipDeflate` streams, but allocates ~350 KB of typed arrays
 * per file, which V8 frees late: a 50-chart session ZIP (650 files) left
 * hundreds of MB of it resident. This entry holds its file whole until the
 * end instead, so it is for files of bounded size (a chart's files, a
 * chart's workbook); a dataset's sheet of any length streams through
 * `ZipDeflate`.
 */
import { deflateRawSync } from "node:zlib";
import { ZipPassThrough } from "fflate";

/** A deflated ZIP entry, compressed whole by zlib at its end. */
export class NativeDeflate extends ZipPassThrough {
  #chunks: Uint8Array[] = [];
  readonly #level: number;

  constructor(filename: string, level = 6) {
    super(filename);
    this.compression = 8;
    this.#level = level;
  }

  override process(chunk: Uint8Array, final: boolean): void {
    if (chunk.length) this.#chunks.push(chunk);
    if (!final) return;
    const chunks = this.#chunks;
    this.#chunks = [];
    let whole: Uint8Array;
    if (chunks.length === 1) whole = chunks[0];
    else {
      whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        whole.set(c, at);
        at += c.length;
      }
    }
    // A zlib error throws out of push(), which errors the archive stream.
    const out = deflateRawSync(whole, { level: this.#level }) as Uint8Array<
      ArrayBuffer
    >;
    this.ondata(null, out, true);
  }
}
