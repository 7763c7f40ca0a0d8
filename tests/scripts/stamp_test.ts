import assert from "node:assert/strict";
import { sourceStamp } from "@/scripts/stamp.ts";

Deno.test("build stamp: a 2 MB source file is hashed, and any byte of it changes the stamp", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-stamp-" });
  try {
    const root = new URL(`file://${dir}/`);
    const big = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
    await Deno.writeFile(`${dir}/big.js`, big);
    await Deno.writeTextFile(`${dir}/small.ts`, "export {};\n");
    const inputs = ["big.js", "small.ts", "missing.css"];
    const first = await sourceStamp(root, inputs);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(await sourceStamp(root, inputs), first);
    big[big.length - 1] ^= 1;
    await Deno.writeFile(`${dir}/big.js`, big);
    assert.notEqual(await sourceStamp(root, inputs), first);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
