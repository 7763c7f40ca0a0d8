import assert from "node:assert/strict";
import { isBusyError, openKv, storeKind } from "@/lib/kv/open.ts";

Deno.test("open: the store kind follows KV_PATH and Deno Deploy", () => {
  assert.equal(storeKind("./.data/chartroom.kv"), "file");
  assert.equal(storeKind("/tmp/x/chartroom.kv"), "file");
  assert.equal(storeKind(":memory:"), "memory");
  assert.equal(storeKind("https://kv.example.com/db"), "remote");
  assert.equal(storeKind("http://127.0.0.1:4512"), "remote");
  assert.equal(storeKind("./.data/chartroom.kv", true), "deploy");
});

Deno.test("open: connections sharing a file lose no check-and-set while SQLite reports it locked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-open-" });
  const path = `${dir}/nested/folder/shared.kv`;
  const handles = await Promise.all([1, 2, 3, 4].map(() => openKv(path)));
  try {
    // Without the retry most of these commits throw "database is locked".
    let busy = 0;
    const raw = await Deno.openKv(path);
    await Promise.all([raw, ...handles].map(async (kv, i) => {
      for (let n = 0; n < 40; n++) {
        for (;;) {
          const entry = await kv.get<number>(["counter"]);
          try {
            const result = await kv.atomic().check(entry)
              .set(["counter"], (entry.value ?? 0) + 1).commit();
            if (result.ok) break;
          } catch (error) {
            assert.ok(i === 0 && isBusyError(error), String(error));
            busy++;
          }
        }
      }
    }));
    raw.close();
    assert.equal((await handles[0].get(["counter"])).value, 200);
    assert.ok(busy > 0, "the unwrapped connection met a locked database");
  } finally {
    for (const kv of handles) kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: a KV_PATH the process may not write stops start-up with a message, not a stack trace", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chartroom-open-" });
  try {
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        "main.ts",
      ],
      cwd: new URL("../../", import.meta.url),
      env: { KV_PATH: `${dir}/store/chartroom.kv`, PORT: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 1, stderr);
    assert.match(stderr, /KV_PATH=.*may not write .*store\//);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
