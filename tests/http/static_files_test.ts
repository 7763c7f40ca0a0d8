import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startTestServer } from "@/tests/_fixtures.ts";
import { acceptedEncodings } from "@/lib/http/static_files.ts";
import { loadAssets } from "@/lib/http/assets.ts";

const BUILD = new URL("../../static/build/", import.meta.url);

/** One raw HTTP/1.1 exchange, so nothing decodes the body or fixes its length on the way. */
async function rawRequest(
  url: string,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${hostname}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
  const raw = new Uint8Array(await new Response(conn.readable).arrayBuffer());
  let end = 0;
  while (
    end < raw.length - 3 &&
    !(raw[end] === 13 && raw[end + 1] === 10 && raw[end + 2] === 13 &&
      raw[end + 3] === 10)
  ) end++;
  const head = new TextDecoder().decode(raw.subarray(0, end)).split("\r\n");
  const out = new Headers();
  for (const line of head.slice(1)) {
    const at = line.indexOf(":");
    out.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return {
    status: Number(head[0].split(" ")[1]),
    headers: out,
    body: raw.subarray(end + 4),
  };
}

Deno.test("static: Accept-Encoding is read with its q-values", () => {
  assert.deepEqual([...acceptedEncodings("gzip, deflate, br, zstd")], [
    "gzip",
    "deflate",
    "br",
    "zstd",
  ]);
  assert.deepEqual([...acceptedEncodings("br;q=0, gzip;q=0.5")], ["gzip"]);
  assert.deepEqual([...acceptedEncodings(undefined)], []);
});

Deno.test("static: bundles go out precompressed, with the right Content-Length and Vary", async () => {
  await using server = await startTestServer();
  // The largest chunk the page loads: ECharts itself.
  const echarts = [...Deno.readDirSync(BUILD)]
    .filter((e) => e.name.endsWith(".js") && e.name !== "export-echarts.js")
    .map((e) => ({
      name: e.name,
      size: Deno.statSync(new URL(e.name, BUILD)).size,
    }))
    .sort((a, b) => b.size - a.size)[0].name;
  const original = await Deno.readFile(new URL(echarts, BUILD));
  const path = `/static/build/${echarts}`;

  const br = await rawRequest(server.url, path, {
    "Accept-Encoding": "gzip, deflate, br",
  });
  assert.equal(br.status, 200);
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.match(br.headers.get("content-type")!, /^text\/javascript/);
  assert.equal(Number(br.headers.get("content-length")), br.body.length);
  assert.equal(br.headers.get("transfer-encoding"), null);
  assert.deepEqual(brotliDecompressSync(br.body), Buffer.from(original));
  assert.ok(br.body.length < original.length / 3, `${br.body.length} bytes`);
  assert.match(br.headers.get("cache-control")!, /immutable/);

  const gz = await rawRequest(server.url, path, {
    "Accept-Encoding": "br;q=0, gzip",
  });
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  assert.equal(Number(gz.headers.get("content-length")), gz.body.length);
  assert.deepEqual(gunzipSync(gz.body), Buffer.from(original));

  const plain = await rawRequest(server.url, path);
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(plain.headers.get("vary"), "Accept-Encoding");
  assert.equal(Number(plain.headers.get("content-length")), original.length);
  assert.deepEqual(plain.body, original);

  const head = await rawRequest(server.url, path, {
    "Accept-Encoding": "br",
  }, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(
    head.headers.get("content-length"),
    br.headers.get("content-length"),
  );
  assert.equal(head.body.length, 0);

  const css = (await loadAssets()).css;
  const style = await rawRequest(server.url, css, { "Accept-Encoding": "br" });
  assert.equal(style.headers.get("content-encoding"), "br");
  assert.match(style.headers.get("content-type")!, /^text\/css/);

  for (
    const bad of [
      "/static/build/../../deno.json",
      "/static/%2e%2e/deno.json",
      "/static/build/.stamp",
      "/static/nope.js",
    ]
  ) {
    const response = await rawRequest(server.url, bad);
    assert.equal(response.status, 404, bad);
  }
});
