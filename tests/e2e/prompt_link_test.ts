/** A link with `?prompt=` (from anywhere, another site too) only fills the message box; the person sends it. */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { launchBrowser, openNewSession, skipBrowser } from "./_browser.ts";

const PROMPT = "bar chart of average no2 per city";

Deno.test({
  name:
    "prompt link: ?prompt= fills the message box and sends nothing until the person does",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    const pageErrors = await openNewSession(page, server.url);
    const sessionUrl = page.url();
    const sessionId = sessionUrl.split("/").pop()!;
    // The victim follows a link another site made.
    await page.goto(`${sessionUrl}?prompt=${encodeURIComponent(PROMPT)}`, {
      referer: "https://evil.example/",
    });
    await page.waitForSelector("html[data-hydrated=true]");
    const box = page.getByLabel("Message");
    assert.equal(await box.inputValue(), PROMPT);
    // Time for a turn to have been sent, had the page sent one.
    await page.waitForTimeout(1500);
    const messages = async () =>
      (await (await page.request.get(
        `${server.url}/api/sessions/${sessionId}/messages`,
      )).json()).messages;
    assert.deepEqual(await messages(), []);
    assert.ok(!page.url().includes("prompt="), "the prompt leaves the address");
    // Sending is the person's act.
    await box.press("Enter");
    await page.waitForSelector(
      ".chat canvas, .chart-preview, [data-artifact-id]",
      {
        timeout: 30_000,
      },
    ).catch(() => {});
    for (let i = 0; i < 100 && (await messages()).length < 2; i++) {
      await page.waitForTimeout(100);
    }
    const sent = await messages();
    assert.equal(sent[0]?.content, PROMPT);
    assert.deepEqual(pageErrors, []);
  },
});
