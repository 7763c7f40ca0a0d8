/** A person whose browser speaks Portuguese: the pages and islands in Portuguese, a chart made and exported. */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { launchBrowser, skipBrowser } from "./_browser.ts";
import { uiText } from "@/lib/agent/lang/ui.ts";
import { samplePrompts } from "@/lib/agent/samples.ts";

Deno.test({
  name:
    "browser: a Portuguese session end to end — home, chat, canvas and export menu in Portuguese",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer({ STREAM_WORD_DELAY_MS: "5" });
    await using browser = await launchBrowser();
    const context = await browser.newContext({
      acceptDownloads: true,
      locale: "pt-BR",
      extraHTTPHeaders: { "accept-language": "pt-BR,pt;q=0.9,en;q=0.5" },
      viewport: { width: 1300, height: 900 },
    });
    const pt = uiText("pt");
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));

    // The home page, in Portuguese.
    await page.goto(server.url + "/");
    assert.equal(await page.getAttribute("html", "lang"), "pt");
    assert.equal(await page.locator("h1").textContent(), pt.appTagline);
    await page.getByRole("button", { name: pt.newSession }).click();
    await page.waitForURL(/\/sessions\/[0-9A-Z]{26}$/);
    await page.waitForSelector("html[data-hydrated=true]");

    // The islands' words.
    const message = page.getByLabel(pt.message);
    assert.equal(await message.getAttribute("placeholder"), pt.askPlaceholder);
    assert.equal(
      await page.locator(".composer button[type=submit]").textContent(),
      pt.send,
    );
    assert.equal(
      await page.getByRole("button", { name: pt.chooseFile }).count(),
      1,
    );
    assert.equal(
      await page.getByRole("region", { name: pt.yourData }).count(),
      1,
    );
    assert.equal(
      await page.locator(".canvas.empty").textContent(),
      pt.noCharts,
    );

    // A sample of the empty chat makes a chart.
    const prompt = samplePrompts("pt")[0];
    await page.getByRole("button", { name: prompt }).click();
    await page.waitForSelector(".main-chart[data-rendered=true] canvas", {
      timeout: 20_000,
    });
    await page.waitForSelector(".composer[data-busy=false]");
    const reply = await page.locator(".message.assistant .bubble").last()
      .textContent();
    assert.match(reply ?? "", /^Aqui está um gráfico de linhas/);
    assert.equal(
      await page.locator(".preview").first().getAttribute("title"),
      pt.openInCanvas,
    );
    assert.deepEqual(await page.getByRole("tab").allTextContents(), [
      pt.chart,
      pt.data,
      pt.query,
      pt.interpretation,
    ]);
    assert.equal(
      await page.locator(".history h3").textContent(),
      "Gráficos (1)",
    );
    assert.equal(
      (await page.locator(".history .kind").textContent())?.trim(),
      pt["kind.line"],
    );
    // The heading takes the session's new title at once, not on reload.
    await page.waitForFunction(
      (title) =>
        document.querySelector(".session-title")?.textContent === title,
      prompt,
    );
    // The chat's preview is as wide as its chart, not as the message.
    const card = (await page.locator(".preview").first().boundingBox())!;
    const thumb = (await page.locator(".preview-chart").first().boundingBox())!;
    assert.ok(card.width <= thumb.width + 4, `${card.width} > ${thumb.width}`);
    // Numbers in the Data tab are written with a Portuguese decimal comma.
    await page.getByRole("tab", { name: pt.data }).click();
    assert.equal(
      await page.locator(".data-table td.num").first().textContent(),
      "49,6",
    );
    await page.getByRole("tab", { name: pt.query }).click();
    assert.match(
      await page.locator(".query").textContent() ?? "",
      /^Conjunto de dados air_quality, \d+ linhas de resultado em [\d,]+ ms\./,
    );

    // The export menu, in Portuguese; a file downloads from it.
    await page.getByText(`${pt.export} ▾`).click();
    const panel = page.locator(".export-panel");
    await panel.waitFor();
    const labels = await panel.locator("a[data-export]").allTextContents();
    assert.ok(labels.includes(pt["format.png"]), labels.join(", "));
    assert.ok(labels.includes(pt["format.xlsx"]));
    assert.ok(labels.includes(pt.sessionZip));
    assert.equal(
      await panel.getByRole("button", { name: pt.copyLink }).count(),
      12,
    );
    assert.ok(
      (await panel.locator(".export-options").first().textContent())!
        .includes(pt.size),
    );
    assert.ok(
      (await panel.locator("select").allInnerTexts()).join("\n")
        .includes(pt.comma),
    );
    await panel.locator("li", { hasText: pt["format.csv"] })
      .getByRole("button", { name: pt.copyLink }).click();
    await page.waitForFunction(
      (making) => {
        const text = document.querySelector(".export-status[role=status]")
          ?.textContent;
        return !!text && text !== making;
      },
      pt.makingLink,
    );
    assert.match(
      await panel.locator(".export-status[role=status]").textContent() ?? "",
      /^(Link copiado|Copie este link); funciona até \d\d:\d\d\.$/,
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      panel.getByRole("link", { name: pt["format.csv"] }).click(),
    ]);
    const csv = await Deno.readTextFile((await download.path())!);
    assert.match(csv, /^date,pm25\r?\n2024-01-01,49\.6\r?\n/);

    // Reloaded, the session keeps its language and takes its title from the request.
    await page.reload();
    await page.waitForSelector("html[data-hydrated=true]");
    assert.equal(await page.getAttribute("html", "lang"), "pt");
    assert.equal(await page.locator(".session-title").textContent(), prompt);
    assert.match(
      await page.locator(".datasets summary").textContent() ?? "",
      /^Dados de demonstração/,
    );
    assert.deepEqual(pageErrors, []);
    await context.close();
  },
});
