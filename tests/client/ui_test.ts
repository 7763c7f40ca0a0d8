/** Page words at the point of use: placeholders, counts, numbers, times and failed requests. */
import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { uiText } from "@/lib/agent/lang/ui.ts";
import {
  errorText,
  formatCell,
  relativeTime,
  t,
  tn,
  tParts,
} from "@/lib/client/ui.ts";
import { RequestError } from "@/lib/client/errors.ts";
import { formatBytes } from "@/lib/client/datasets.ts";

const en = uiText("en");
const es = uiText("es");
const pt = uiText("pt");

Deno.test("ui: placeholders are filled, numbers in the page's locale", () => {
  assert.equal(
    t(es, "stepProgress", {
      step: 2,
      total: 3,
      operation: es["op.drop_duplicates"],
      rows: 12345.5,
    }),
    "Paso 2 de 3: quitar duplicados, 12.345,5 filas",
  );
  assert.equal(
    t(en, "rowsRange", { from: 1, to: 50, total: 1234 }),
    "rows 1–50 of 1,234",
  );
  assert.equal(
    t(pt, "rowsRange", { from: 1, to: 50, total: 1234 }),
    "linhas 1–50 de 1.234",
  );
});

Deno.test("ui: one is singular, zero and many are plural in every language", () => {
  assert.equal(tn(en, "rowCount", 1), "1 row");
  assert.equal(tn(en, "rowCount", 0), "0 rows");
  assert.equal(tn(pt, "rowCount", 0), "0 linhas");
  assert.equal(tn(pt, "rowCount", 1), "1 linha");
  assert.equal(tn(es, "rowCount", 1_000_000), "1.000.000 filas");
  assert.equal(
    tn(es, "deleteText", 1),
    "Se borran la conversación, su gráfico y todas las descargas hechas a partir de él. No se puede deshacer.",
  );
  assert.match(tn(pt, "deleteText", 0), /os 0 gráficos/);
});

Deno.test("ui: a placeholder can hold an element", () => {
  const html = renderToString(
    h(
      "p",
      null,
      tParts(es, "repairedWith", { name: h("strong", null, "a.csv") }),
    ),
  );
  assert.equal(
    html,
    "<p><strong>a.csv</strong> se leyó con estas correcciones:</p>",
  );
});

Deno.test("ui: times are relative in the page's language, then a date", () => {
  const now = Date.UTC(2025, 5, 30, 12, 0, 0);
  assert.equal(
    relativeTime(now - 3 * 60_000, now, es.locale),
    "hace 3 minutos",
  );
  assert.equal(relativeTime(now - 2 * 3_600_000, now, pt.locale), "há 2 horas");
  assert.equal(relativeTime(now - 86_400_000, now, en.locale), "yesterday");
  assert.match(
    relativeTime(now - 30 * 86_400_000, now, es.locale),
    /31 may 2025/,
  );
});

Deno.test("ui: a failed request says why, in the page's words when the server said nothing", () => {
  assert.equal(
    errorText(es, new RequestError(502)),
    "el servidor respondió 502",
  );
  assert.equal(
    errorText(pt, new RequestError(0)),
    "o servidor não respondeu; verifique sua conexão",
  );
  assert.equal(errorText(pt, new TypeError("Failed to fetch")), pt.noAnswer);
  assert.equal(
    errorText(es, new RequestError(400, "content: must not be empty")),
    "content: must not be empty",
  );
});

Deno.test("ui: sizes use the locale's decimal mark", () => {
  assert.equal(formatBytes(3_450_000, "es-ES"), "3,5 MB");
  assert.equal(formatBytes(3_450_000), "3.5 MB");
  assert.equal(formatBytes(50_000_000, "pt-BR"), "50 MB");
  assert.equal(formatBytes(12_300), "12 KB");
});

Deno.test("ui: a table's numbers keep every digit, with the locale's decimal mark and no grouping", () => {
  assert.equal(formatCell(es, 24.0572212066), "24,0572212066");
  assert.equal(formatCell(pt, -0.5), "-0,5");
  assert.equal(formatCell(en, 24.0572212066), "24.0572212066");
  assert.equal(formatCell(pt, 2015), "2015");
  assert.equal(formatCell(es, 1234567.25), "1234567,25");
});
