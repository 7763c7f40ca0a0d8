/**
 * Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy next
 * to each compressible file of the build, so the server sends compressed
 * bytes without compressing at request time. A copy that is not smaller than
 * the file is not written (the server then sends the file as it is).
 */
import { brotliCompress, constants, gzip } from "node:zlib";
import { promisify } from "node:util";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** File names worth compressing: text the browser loads. */
export const COMPRESSIBLE = /\.(js|mjs|css|svg)$/;

/** Compresses every compressible file among `files` (paths relative to `dir`); returns how many. */
export async function precompress(dir: URL, files: string[]): Promise<number> {
  const targets = files.filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(targets.map(async (file) => {
    const url = new URL(file, dir);
    const bytes = await Deno.readFile(url);
    const [br, gzipped] = await Promise.all([
      brotli(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
      gz(bytes, { level: 9 }),
    ]);
    if (br.length < bytes.length) {
      await Deno.writeFile(new URL(`${file}.br`, dir), br);
    }
    if (gzipped.length < bytes.length) {
      await Deno.writeFile(new URL(`${file}.gz`, dir), gzipped);
    }
  }));
  return targets.length;
}
