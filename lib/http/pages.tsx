/** Renders a page component inside `_app`, with the islands' data and bundles. */
import { type ComponentType, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { serializeIslandData, withIslands } from "./islands.ts";
import type { AssetManifest } from "./assets.ts";
import type { AppProps, PageProps } from "./types.ts";

/** Returns the full HTML document for a page. */
export function renderDocument(
  App: ComponentType<AppProps>,
  Page: ComponentType<PageProps<unknown>>,
  props: PageProps<unknown>,
  assets: AssetManifest,
): string {
  const Component = () => h(Page, props);
  const { result: body, islands } = withIslands(() =>
    renderToString(
      h(App, { Component, url: props.url, lang: props.lang, ui: props.ui }),
    )
  );
  const usedBundles = Object.fromEntries(
    [...new Set(islands.map((i) => i.name))].map((name) => [
      name,
      assets.islands[name],
    ]),
  );
  const tail = islands.length === 0
    ? ""
    : `<script type="application/json" id="__islands">${
      serializeIslandData({ bundles: usedBundles, instances: islands })
    }</script><script type="module" src="${assets.runtime}"></script>`;
  const head = `<link rel="stylesheet" href="${assets.css}">`;
  return "<!DOCTYPE html>" +
    body.replace("</head>", `${head}</head>`).replace(
      "</body>",
      `${tail}</body>`,
    );
}
