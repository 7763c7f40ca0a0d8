/**
 * The pages in the visitor's language: the browser's (Accept-Language) until
 * a session's first request sets the session's own; the home page's sample
 * prompts each make their chart through the API.
 */
import assert from "node:assert/strict";
import { Client, collectFrames, startTestServer } from "@/tests/_fixtures.ts";
import { uiText } from "@/lib/agent/lang/ui.ts";
import type { Lang } from "@/lib/agent/lang/types.ts";
import { samplePrompts } from "@/lib/agent/samples.ts";

const htmlLang = (html: string) => /<html lang="(\w+)"/.exec(html)?.[1];

function page(client: Client, path: string, acceptLanguage?: string) {
  return client.fetch(path, {
    headers: {
      accept: "text/html",
      ...(acceptLanguage ? { "accept-language": acceptLanguage } : {}),
    },
  });
}

/** English page words (of two words or more) that differ in `lang` and appear in `html`. */
function englishLeft(html: string, lang: Lang): string[] {
  const en = uiText("en");
  const other = uiText(lang);
  return Object.entries(en).filter(([key, value]) =>
    key !== "locale" && value !== other[key as keyof typeof other] &&
    value.includes(" ") && !/[<>&"{]/.test(value) && html.includes(value)
  ).map(([key, value]) => `${key}: ${value}`);
}

Deno.test("pages: the home page speaks the browser's language, else English", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const cases: [string | undefined, Lang][] = [
    ["es-MX,es;q=0.9,en;q=0.5", "es"],
    ["pt-BR", "pt"],
    ["fr-FR, pt;q=0.3", "pt"],
    ["de-DE", "en"],
    [undefined, "en"],
  ];
  for (const [header, lang] of cases) {
    const response = await page(client, "/", header);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("vary") ?? "", /Accept-Language/i);
    const html = await response.text();
    const ui = uiText(lang);
    assert.equal(htmlLang(html), lang, header);
    assert.ok(html.includes(`<h1>${ui.appTagline}</h1>`), header);
    assert.ok(html.includes(ui.newSession), header);
    for (const prompt of samplePrompts(lang)) {
      assert.ok(html.includes(`value="${prompt}"`), `${header}: ${prompt}`);
    }
    for (const key of ["featCharts", "featExports", "featWorkflows"] as const) {
      assert.ok(html.includes(ui[key]), `${header}: ${key}`);
    }
    if (lang !== "en") assert.deepEqual(englishLeft(html, lang), []);
  }
  // What the product does, not "downloads as PNG or CSV".
  const english = await (await page(client, "/")).text();
  assert.ok(
    englishLeft(english, "es").length > 10,
    "the check can see English",
  );
  assert.ok(!english.includes("PNG or CSV"));
  for (
    const word of ["heatmap", "histogram", "donut", "XLSX", "Jupyter", "SQL"]
  ) {
    assert.ok(english.includes(word), word);
  }
});

Deno.test("pages: a new session's page and its islands follow Accept-Language", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const html = await (await page(client, `/sessions/${sessionId}`, "es-ES"))
    .text();
  const es = uiText("es");
  assert.equal(htmlLang(html), "es");
  assert.ok(html.includes(`<h1 class="session-title">${es.untitled}</h1>`));
  assert.ok(html.includes(`placeholder="${es.askPlaceholder}"`));
  assert.ok(html.includes(es.dropHint));
  assert.ok(html.includes(es.noCharts));
  assert.ok(html.includes(es["demo.air_quality"]));
  assert.deepEqual(englishLeft(html, "es"), []);
  // Each island gets only its own words, in Spanish, with the locale.
  const islands = JSON.parse(
    /<script type="application\/json" id="__islands">(.*?)<\/script>/s
      .exec(html)![1],
  ).instances as { name: string; props: { ui: Record<string, string> } }[];
  const chat = islands.find((i) => i.name === "ChatPanel")!.props.ui;
  assert.equal(chat.send, "Enviar");
  assert.equal(chat.locale, "es-ES");
  assert.equal(chat["format.png"], undefined, "the chat has no export words");
  const canvas = islands.find((i) => i.name === "ChartCanvas")!.props.ui;
  assert.equal(canvas.copyLink, "Copiar enlace");
});

Deno.test("pages: a Spanish first message makes the session's page Spanish, whatever the browser says", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const before = await (await page(client, `/sessions/${sessionId}`, "en-US"))
    .text();
  assert.equal(htmlLang(before), "en");

  const request = "gráfico de barras del no2 promedio por ciudad";
  const frames = await client.chat(sessionId, request);
  assert.ok(frames.some((f) => f.event === "artifact_created"));
  const session = await (await client.fetch(`/api/sessions/${sessionId}`))
    .json();
  assert.equal(session.lang, "es");
  assert.equal(session.title, request);

  // Reloaded in an English browser: the session's language wins.
  const html = await (await page(client, `/sessions/${sessionId}`, "en-US"))
    .text();
  const es = uiText("es");
  assert.equal(htmlLang(html), "es");
  assert.ok(html.includes(`<h1 class="session-title">${request}</h1>`));
  for (const key of ["chart", "data", "query", "interpretation"] as const) {
    assert.ok(html.includes(`>${es[key]}</button>`), key);
  }
  assert.ok(html.includes(`>${es["kind.bar"]}</span>`), "the chart's kind");
  assert.ok(html.includes(`${es.export} ▾`));
  assert.deepEqual(englishLeft(html, "es"), []);

  // The home page lists it, updated moments ago, in the browser's words.
  const home = await (await page(client, "/", "es")).text();
  assert.ok(home.includes(`>${request}</a>`));
  assert.match(
    home,
    /<time class="muted" datetime="[^"]+" title="\d+ de \w+ de 20\d\d, [\d:]+ UTC">(ahora|hace \d+ segundos?)<\/time>/,
  );
  assert.ok(home.includes(`aria-label="Eliminar ${request}"`));

  // A later English request answers in English but keeps the page Spanish.
  const english = await client.chat(
    sessionId,
    "pie chart of total revenue by region",
  );
  assert.match(String(english.at(-2)!.data.content), /^Here is/);
  const again = await (await page(client, `/sessions/${sessionId}`)).text();
  assert.equal(htmlLang(again), "es");

  // The delete confirmation speaks it too, counting the charts.
  const confirm = await (await page(client, `/sessions/${sessionId}/delete`))
    .text();
  assert.equal(htmlLang(confirm), "es");
  assert.ok(confirm.includes(`¿Eliminar «${request}»?`));
  assert.ok(confirm.includes("sus 2 gráficos"));
  assert.ok(confirm.includes(`>${es.deleteSession}</button>`));
});

Deno.test("pages: a first request that shows no language ('pm25 Kampala') keeps the browser's, and later ones the session's", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const sessionId = await client.createSession();
  const send = async (content: string, acceptLanguage: string) => {
    const response = await client.fetch(`/api/sessions/${sessionId}/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-language": acceptLanguage,
      },
      body: JSON.stringify({ content }),
    });
    assert.equal(response.status, 200);
    const frames = await collectFrames(response.body!);
    return String(frames.findLast((f) => f.event === "message")!.data.content);
  };

  assert.match(await send("pm25 Kampala", "es-ES,es;q=0.9"), /^Aquí tienes/);
  const session = await (await client.fetch(`/api/sessions/${sessionId}`))
    .json();
  assert.equal(session.lang, "es");
  const html = await (await page(client, `/sessions/${sessionId}`, "es-ES"))
    .text();
  assert.equal(htmlLang(html), "es");

  // Another browser, another terse request: the session's language still.
  assert.match(
    await send("no2 Lagos", "en-US"),
    /^(Aquí tienes|Actualicé el gráfico)/,
  );
  assert.match(
    await send("bar chart of no2 by city", "es-ES"),
    /^(Here is|Updated the chart)/,
    "a request in words of a language is answered in it",
  );
});

Deno.test("pages: the 404 page and a forged download link answer in the browser's language", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const pt = uiText("pt");
  const missing = await page(client, "/nowhere", "pt-BR,pt;q=0.9");
  assert.equal(missing.status, 404);
  const html = await missing.text();
  assert.equal(htmlLang(html), "pt");
  assert.ok(html.includes(`<h1>${pt.notFound}</h1>`));
  assert.ok(html.includes(pt.goHome));
  const forged = await page(client, "/d/not-a-token", "pt-BR");
  assert.equal(forged.status, 404);
  const text = await forged.text();
  assert.ok(text.includes(`<h1>${pt.linkInvalid}</h1>`));
  assert.ok(text.includes(pt.linkInvalidText));
});

Deno.test("home: every sample prompt in every language makes its chart of the demo data and keeps the page in its language", async () => {
  await using server = await startTestServer();
  const client = new Client(server.url);
  const kinds = ["line", "bar", "line", "pie", "bar", "histogram", "heatmap"];
  for (const lang of ["en", "es", "pt"] as const) {
    for (const [i, prompt] of samplePrompts(lang).entries()) {
      const sessionId = await client.createSession();
      const frames = await client.chat(sessionId, prompt);
      const created = frames.find((f) => f.event === "artifact_created");
      assert.ok(created, `${lang}: "${prompt}" made no chart`);
      assert.equal(created.data.chart_type, kinds[i], `${lang}: "${prompt}"`);
      const session = await (await client.fetch(`/api/sessions/${sessionId}`))
        .json();
      assert.equal(
        session.lang,
        lang,
        `${lang}: "${prompt}" read as ${session.lang}`,
      );
    }
  }
});
