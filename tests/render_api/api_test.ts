/** The stateless render API: PNG/SVG/PDF at the requested size, the cache, and refusals. */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { Resvg } from "@resvg/resvg-wasm";
import { allKeys, startTestServer } from "@/tests/_fixtures.ts";
import { readyRaster } from "@/lib/drawing/raster.ts";
import { RENDER_LIMITS } from "@/lib/render_api/validate.ts";
import { barOption, pieOption } from "@/tests/charts/_chart_options.ts";
import { runOk, tool } from "@/tests/exports/_tools.ts";

const poppler = tool("poppler", "pdfinfo", ["-v"], "poppler-utils");

function post(url: string, body: unknown, headers: HeadersInit = {}) {
  return fetch(`${url}/api/render`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

Deno.test("render api: a PNG and an SVG decode at the requested size", async () => {
  await using server = await startTestServer();
  const png = await post(server.url, {
    option: barOption(),
    width: 640,
    height: 360,
    scale: 2,
  });
  assert.equal(png.status, 200);
  assert.equal(png.headers.get("content-type"), "image/png");
  assert.equal(png.headers.get("set-cookie"), null);
  const image = decode(new Uint8Array(await png.arrayBuffer()));
  assert.deepEqual([image.width, image.height], [1280, 720]);

  const svg = await post(server.url, {
    option: pieOption(),
    width: 500,
    height: 300,
    format: "svg",
    background: "transparent",
  });
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get("content-type"), "image/svg+xml");
  assert.match(
    svg.headers.get("content-security-policy")!,
    /default-src 'none'/,
  );
  const text = await svg.text();
  assert.match(text, /^<svg width="500" height="300"/);
  assert.ok(!text.includes("<text"), "text is drawn as outlines");
  await readyRaster();
  const resvg = new Resvg(text, { font: { loadSystemFonts: false } });
  assert.deepEqual([resvg.width, resvg.height], [500, 300]);
  resvg.free();
});

Deno.test({
  name:
    "render api: a PDF (POST and GET f=pdf) is one page of the chart's size",
  ignore: poppler.ignore,
  async fn() {
    await using server = await startTestServer();
    const option = { ...barOption(), title: { text: "Units <by> region" } };
    const posted = await post(server.url, {
      option,
      width: 800,
      height: 400,
      format: "pdf",
    });
    assert.equal(posted.status, 200);
    assert.equal(posted.headers.get("content-type"), "application/pdf");
    assert.equal(posted.headers.get("set-cookie"), null);
    const bytes = new Uint8Array(await posted.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "%PDF-");
    await using file = await tempFile(bytes);
    const info = (await runOk("pdfinfo", [file.path])).stdout;
    assert.match(info, /^Pages:\s+1$/m);
    assert.match(info, /^Page size:\s+600 x 300 pts/m);
    assert.match(info, /^Title:\s+Units <by> region$/m);

    const query = new URLSearchParams({
      c: JSON.stringify(pieOption()),
      w: "400",
      h: "300",
      f: "pdf",
    });
    const got = await fetch(`${server.url}/api/render?${query}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-type"), "application/pdf");
    await using second = await tempFile(
      new Uint8Array(await got.arrayBuffer()),
    );
    const page = (await runOk("pdfinfo", [second.path])).stdout;
    assert.match(page, /^Pages:\s+1$/m);
    assert.match(page, /^Page size:\s+300 x 225 pts/m);
  },
});

async function tempFile(bytes: Uint8Array) {
  const path = await Deno.makeTempFile({ suffix: ".pdf" });
  await Deno.writeFile(path, bytes);
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path).catch(() => {}),
  };
}

Deno.test("render api: GET with short parameters draws the same image as POST", async () => {
  await using server = await startTestServer();
  const option = pieOption();
  const query = new URLSearchParams({
    c: JSON.stringify(option),
    w: "400",
    h: "300",
    s: "1",
    f: "png",
    bg: "#fafafa",
  });
  const get = await fetch(`${server.url}/api/render?${query}`);
  assert.equal(get.status, 200);
  const got = new Uint8Array(await get.arrayBuffer());
  assert.deepEqual(
    [decode(got).width, decode(got).height],
    [400, 300],
  );
  // Same request as JSON (keys in another order): the same cached image.
  const posted = await post(server.url, {
    background: "#FAFAFA",
    height: 300,
    width: 400,
    option: Object.fromEntries(Object.entries(option).reverse()),
  });
  assert.equal(posted.headers.get("etag"), get.headers.get("etag"));
  assert.equal(posted.headers.get("x-render-cache"), "hit");
  assert.deepEqual(new Uint8Array(await posted.arrayBuffer()), got);
});

Deno.test("render api: a repeat is a cache hit with the same ETag, and If-None-Match gets a 304", async () => {
  await using server = await startTestServer();
  const body = { option: barOption(), width: 300, height: 200 };
  const first = await post(server.url, body);
  assert.equal(first.headers.get("x-render-cache"), "miss");
  const bytes = new Uint8Array(await first.arrayBuffer());
  const etag = first.headers.get("etag")!;
  assert.match(etag, /^"r\d+-[0-9a-f]{32}"$/);
  assert.match(first.headers.get("cache-control")!, /^public, max-age=\d+$/);

  const second = await post(server.url, body);
  assert.equal(second.headers.get("x-render-cache"), "hit");
  assert.equal(second.headers.get("etag"), etag);
  assert.deepEqual(new Uint8Array(await second.arrayBuffer()), bytes);

  const cached = await post(server.url, body, { "if-none-match": etag });
  assert.equal(cached.status, 304);
  assert.equal(cached.headers.get("etag"), etag);
  assert.equal(await cached.text(), "");
  const other = await post(server.url, { ...body, width: 301 });
  assert.notEqual(other.headers.get("etag"), etag);
  await other.body?.cancel();
});

Deno.test("render api: bad requests are a 400 naming the problem, and nothing is stored", async () => {
  await using server = await startTestServer({ MAX_BODY_BYTES: "64KiB" });
  const warm = await post(server.url, {
    option: pieOption(),
    width: 200,
    height: 200,
  });
  await warm.body?.cancel();
  const before = await allKeys(server.kv);
  const cases: [unknown, string, RegExp][] = [
    [
      {
        option: {
          series: [{
            type: "bar",
            label: { formatter: "function (p) { return p.name; }" },
          }],
        },
      },
      "function_not_allowed",
      /option\.series\.0\.label\.formatter: functions are not accepted/,
    ],
    [
      {
        option: {
          series: [{
            type: "scatter",
            symbol: "image://https://example.com/a.png",
            data: [[1, 2]],
          }],
        },
      },
      "external_resource",
      /option\.series\.0\.symbol: image:\/\//,
    ],
    [
      { option: { backgroundColor: { image: "https://example.com/bg.png" } } },
      "external_resource",
      /option\.backgroundColor\.image: images are not accepted/,
    ],
    [
      { option: { graphic: [{ type: "image", style: { image: "x.png" } }] } },
      "external_resource",
      /option\.graphic\.0: image graphics/,
    ],
    [
      {
        option: {
          title: {
            text: "t",
            textStyle: { rich: { a: { backgroundColor: { image: "x.png" } } } },
          },
        },
      },
      "external_resource",
      /rich\.a\.backgroundColor\.image/,
    ],
    [
      {
        option: {
          series: [{
            type: "bar",
            itemStyle: { color: "url(https://example.com/x)" },
          }],
        },
      },
      "external_resource",
      /itemStyle\.color: url\(\.\.\.\) is not accepted/,
    ],
    [
      { option: { legend: { icon: "https://example.com/icon.png" } } },
      "external_resource",
      /option\.legend\.icon: URLs are not accepted/,
    ],
    [
      { option: { toolbox: { feature: { saveAsImage: {} } } } },
      "unsupported_option",
      /option\.toolbox/,
    ],
    [
      { option: { series: [{ type: "custom", renderItem: "x" }] } },
      "function_not_allowed",
      /custom series/,
    ],
    [
      { option: { series: [{ type: "nonsense" }] } },
      "invalid_option",
      /option\.series\.0\.type: unknown series type "nonsense"/,
    ],
    [
      {
        option: {
          series: [{
            type: "line",
            data: new Array(RENDER_LIMITS.maxPoints + 1).fill(0),
          }],
        },
      },
      "option_too_large",
      /larger than 65536 bytes/,
    ],
    [
      { option: { series: [{ type: "line", data: [1, 2, 3] }] } },
      "invalid_option",
      /option\.series\.0: a line series needs an xAxis and a yAxis/,
    ],
    [
      {
        option: {
          xAxis: { type: "nonsense" },
          yAxis: {},
          series: [{ type: "bar", data: [1] }],
        },
      },
      "render_failed",
      /the option could not be drawn: .*xAxis\.nonsense/,
    ],
    [
      { option: {}, width: 4000, height: 4000, scale: 1 },
      "image_too_large",
      /16000000 pixels; at most 8388608/,
    ],
    [
      { option: {}, width: 50 },
      "invalid_input",
      /width must be an integer from 100 to 4000/,
    ],
    [
      { option: {}, scale: 5 },
      "invalid_input",
      /scale must be an integer from 1 to 4/,
    ],
    [
      { option: {}, format: "gif" },
      "invalid_input",
      /format must be one of png, svg/,
    ],
    [
      { option: {}, background: "red;x" },
      "invalid_input",
      /background must be a CSS colour/,
    ],
    [{ option: {}, colour: "red" }, "invalid_input", /unknown field: colour/],
    [
      { width: 300 },
      "invalid_input",
      /option \(an ECharts option\) is required/,
    ],
    [{ option: [1, 2] }, "invalid_option", /option must be a JSON object/],
    ['{"option": {', "malformed_json", /not valid JSON/],
  ];
  for (const [body, code, message] of cases) {
    const response = await post(server.url, body);
    const label = typeof body === "string"
      ? body
      : JSON.stringify(body).slice(0, 120);
    assert.equal(response.status, 400, label);
    const { error } = await response.json();
    assert.equal(error.code, code, label);
    assert.match(error.message, message, label);
  }
  const get = await fetch(
    `${server.url}/api/render?c=${
      encodeURIComponent('{"title":{"text":"x"}}')
    }&width=300`,
  );
  assert.equal(get.status, 400);
  assert.match((await get.json()).error.message, /unknown parameter: width/);
  const missing = await fetch(`${server.url}/api/render?w=300`);
  assert.equal(missing.status, 400);
  assert.match(
    (await missing.json()).error.message,
    /c \(the option as JSON\) is required/,
  );

  assert.deepEqual(await allKeys(server.kv), before);
});

Deno.test("render api: a request from another site is refused like any state change", async () => {
  await using server = await startTestServer();
  const response = await post(server.url, { option: pieOption() }, {
    origin: "https://evil.example",
  });
  assert.equal(response.status, 403);
  await response.body?.cancel();
});
