import assert from "node:assert/strict";
import { h } from "preact";
import { signal } from "@preact/signals";
import { renderDocument } from "@/lib/http/pages.tsx";
import { registerIslands, serializeIslandData } from "@/lib/http/islands.ts";
import type { AppProps } from "@/lib/http/types.ts";
import { uiText } from "@/lib/agent/lang/ui.ts";

function Counter(props: { label: string; count: { value: number } }) {
  return h("button", null, `${props.label}: ${props.count.value}`);
}
registerIslands({ "./islands/Counter.tsx": { default: Counter as never } });

const App = ({ Component }: AppProps) =>
  h("html", null, h("head", null), h("body", null, h(Component, null)));
const assets = {
  runtime: "/static/build/runtime-abc.js",
  css: "/static/build/styles-abc.css",
  islands: { Counter: "/static/build/islands/Counter-abc.js" },
};

function extractIslandJson(html: string) {
  const match =
    /<script type="application\/json" id="__islands">(.*?)<\/script>/s.exec(
      html,
    );
  assert.ok(match, "the page carries its island data");
  return JSON.parse(match[1]);
}

Deno.test("islands: an island renders on the server inside a host, with its props serialised", () => {
  const Page = () =>
    h(
      "main",
      null,
      h(Counter, { label: "</script><b>x</b>", count: signal(3) }),
    );
  const html = renderDocument(App, Page as never, {
    data: null,
    params: {},
    url: new URL("http://x/"),
    lang: "en",
    ui: uiText("en"),
  }, assets);
  assert.match(
    html,
    /<div data-island="Counter" data-island-index="0" style="display:contents"><button>&lt;\/script>&lt;b>x&lt;\/b>: 3<\/button><\/div>/,
  );
  const data = extractIslandJson(html);
  assert.deepEqual(data.bundles, {
    Counter: "/static/build/islands/Counter-abc.js",
  });
  assert.deepEqual(data.instances, [{
    name: "Counter",
    props: { label: "</script><b>x</b>", count: { __signal: 3 } },
  }]);
  assert.ok(
    html.includes(`<script type="module" src="${assets.runtime}"></script>`),
  );
  assert.ok(html.includes(`<link rel="stylesheet" href="${assets.css}">`));
});

Deno.test("islands: a page without islands ships no JavaScript", () => {
  const Page = () => h("main", null, "static");
  const html = renderDocument(App, Page as never, {
    data: null,
    params: {},
    url: new URL("http://x/"),
    lang: "en",
    ui: uiText("en"),
  }, assets);
  assert.ok(!html.includes("<script"));
});

Deno.test("islands: serialised data cannot close its script element", () => {
  const text = serializeIslandData({
    a: "</script><script>alert(1)</script>",
    b: "\u2028&",
  });
  assert.ok(!text.includes("<"));
  assert.ok(!text.includes(">"));
  assert.ok(!text.includes("&"));
  assert.deepEqual(JSON.parse(text), {
    a: "</script><script>alert(1)</script>",
    b: "\u2028&",
  });
});
