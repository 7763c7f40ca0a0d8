/** A model's Markdown reply in a browser: rendered as it streams, with no HTML of its own run or shown as markup. */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { startModelServer, words } from "@/tests/_model_server.ts";
import { launchBrowser, openNewSession, skipBrowser } from "./_browser.ts";

const REPLY = [
  "Your data has **three** datasets:",
  "",
  "| dataset | rows |",
  "| --- | --- |",
  "| sales | many |",
  "",
  "- see [the docs](https://example.com/docs) or [this](javascript:alert(1))",
  '- <img src=x onerror="window.__hacked=1"> <script>window.__hacked=2</script>',
  "- ![tracker](https://example.com/pixel.png)",
].join("\n");

Deno.test({
  name:
    "browser: a model's Markdown reply renders safely while it streams, and again after a reload",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using model = startModelServer(() => ({
      ...words(REPLY, 7),
      delayMs: 5,
    }));
    await using server = await startTestServer({
      LLM_BASE_URL: model.baseUrl,
      LLM_MODEL: "test-model",
    });
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    const pageErrors = await openNewSession(page, server.url);
    await page.getByLabel("Message").fill("what data do I have?");
    await page.getByLabel("Message").press("Enter");
    await page.waitForSelector(".composer[data-busy=false]");

    for (const pass of ["streamed", "reloaded"]) {
      const bubble = page.locator(".message.assistant .bubble").last();
      assert.equal(
        await bubble.locator("strong").textContent(),
        "three",
        pass,
      );
      assert.equal(
        await bubble.locator("table td").first().textContent(),
        "sales",
      );
      const links = await bubble.locator("a").evaluateAll((as) =>
        as.map((
          a,
        ) => [a.textContent, a.getAttribute("href"), a.getAttribute("rel")])
      );
      assert.deepEqual(links, [
        [
          "the docs",
          "https://example.com/docs",
          "noopener noreferrer nofollow",
        ],
        ["this", "", "noopener noreferrer nofollow"],
        [
          "tracker",
          "https://example.com/pixel.png",
          "noopener noreferrer nofollow",
        ],
      ], pass);
      // The model's HTML is text on the page, never elements.
      assert.equal(await bubble.locator("img, script").count(), 0, pass);
      assert.match(await bubble.textContent() ?? "", /<img src=x onerror=/);
      assert.equal(await page.evaluate(() => "__hacked" in globalThis), false);
      await page.reload();
      await page.waitForSelector("html[data-hydrated=true]");
    }
    assert.deepEqual(pageErrors, []);
  },
});
