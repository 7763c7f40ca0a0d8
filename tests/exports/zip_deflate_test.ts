/**
 * NativeDeflate: entries deflated by zlib in flushed segments, with shared
 * bytes deflated once, read back by Info-ZIP's `unzip` (Debian unzip).
 */
import assert from "node:assert/strict";
import { Zip, ZipPassThrough } from "fflate";
import { deflateOnce, NativeDeflate } from "@/lib/exports/zip_deflate.ts";
import { tempFile } from "./_inputs.ts";
import { runOk, tool } from "./_tools.ts";

const unzip = tool("unzip", "unzip", ["-v"], "unzip");

/** Text that compresses, but not to nothing: numbered lines. */
function lines(from: number, count: number): string {
  let text = "";
  for (let i = from; i < from + count; i++) text += `row ${i},${i * 7 % 13}\n`;
  return text;
}

/** Writes `files` (each a list of pushes) into one archive. */
function archive(files: [string, Uint8Array[]][]): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    out.push(chunk);
  });
  for (const [name, pushes] of files) {
    const entry = new NativeDeflate(name);
    zip.add(entry);
    pushes.forEach((chunk, i) => entry.push(chunk, i === pushes.length - 1));
    if (pushes.length === 0) entry.push(new Uint8Array(0), true);
  }
  const stored = new ZipPassThrough("stored.txt");
  zip.add(stored);
  stored.push(new TextEncoder().encode("kept as is"), true);
  zip.end();
  return new Uint8Array(out.flatMap((c) => [...c]));
}

Deno.test({
  name:
    "zip deflate: segmented entries and a shared chunk read back exactly with unzip",
  ignore: unzip.ignore,
  async fn() {
    const enc = new TextEncoder();
    const runtime = deflateOnce(enc.encode(lines(0, 30_000))); // ~400 KB
    const small = Array.from(
      { length: 50 },
      (_, i) => enc.encode(lines(i * 10, 10)),
    );
    const big = enc.encode(lines(100_000, 20_000)); // > one segment
    const files: [string, Uint8Array[]][] = [
      ["page-1.html", [enc.encode("<head>"), runtime, enc.encode("</html>")]],
      ["page-2.html", [enc.encode("<head>2"), runtime, enc.encode("</html>2")]],
      ["many-small.csv", small],
      ["big.csv", [big]],
      ["shared-last.js", [enc.encode("// x\n"), runtime]],
      ["empty.txt", []],
    ];
    const bytes = archive(files);
    await using file = await tempFile("segments.zip", bytes);
    await runOk("unzip", ["-t", file.path]);
    for (const [name, pushes] of files) {
      const { stdout } = await runOk("unzip", ["-p", file.path, name]);
      const expected = new TextDecoder().decode(
        new Uint8Array(pushes.flatMap((c) => [...c])),
      );
      assert.equal(stdout.length, expected.length, name);
      assert.ok(stdout === expected, `${name} reads back exactly`);
    }
    assert.equal(
      (await runOk("unzip", ["-p", file.path, "stored.txt"])).stdout,
      "kept as is",
    );
    // The shared runtime is deflated, not stored: the archive is far
    // smaller than the three copies of it.
    assert.ok(bytes.length < runtime.length, `${bytes.length} bytes`);
  },
});
