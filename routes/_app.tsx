import type { AppProps } from "@/lib/http/types.ts";

export default function App({ Component, lang, ui }: AppProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Chartroom</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">Chartroom</a>
          <span class="tagline">{ui.brandTagline}</span>
        </header>
        <Component />
      </body>
    </html>
  );
}
