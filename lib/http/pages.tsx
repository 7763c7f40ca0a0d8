/** Renders a page component inside `_app`, with the islands' data and bundles. */
import { type ComponentType, Fragment, h } from "preact";
import { withHead } from "./head.ts";
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
  const { result: { result: body, islands }, children } = withHead(
    () =>
      withIslands(() =>
        renderToString(
          h(App, { Component, url: props.url, lang: props.lang, ui: props.ui }),
        )
      ),
  );
  const pageHead = renderToString(h(Fragment, null, ...children));
  // A page's own title replaces the app's.
  const document = pageHead.includes("<title>")
    ? body.replace(/<title>[^<]*<\/title>/, "")
    : body;
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
  const head = `${pageHead}<link rel="stylesheet" href="${assets.css}">`;
  return "<!DOCTYPE html>" +
    document.replace("</head>", `${head}</head>`).replace(
      "</body>",
      `${tail}</body>`,
    );
}

/** The document of a page that skips `_app` (an embed): no header, nothing but the page. */
export function BareApp({ Component, lang }: AppProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Chartroom</title>
      </head>
      <body class="bare">
        <Component />
      </body>
    </html>
  );
}
