/** Content hashes for the build: bundle names and the sources' stamp. */
import { concatBytes } from "@/lib/bytes.ts";

/** Returns the SHA-256 of `bytes` in hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * Returns one hash of the names and contents of `inputs` (paths under
 * `root`; a missing file counts as empty), whatever their size.
 */
export async function sourceStamp(
  root: URL,
  inputs: readonly string[],
): Promise<string> {
  // Joined into one buffer, not spread into an argument list: a spread
  // overflows the stack once a file passes ~120 KB.
  const encoder = new TextEncoder();
  const contents = await Promise.all(
    inputs.map((f) =>
      Deno.readFile(new URL(f, root)).catch(() => new Uint8Array())
    ),
  );
  return await sha256Hex(
    concatBytes(
      contents.flatMap((bytes, i) => [encoder.encode(inputs[i]), bytes]),
    ),
  );
}
