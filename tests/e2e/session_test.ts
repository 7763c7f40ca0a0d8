/** A person in a browser: new session, a streamed reply, a drawn chart, a PNG download. */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { decodePng } from "@/tests/_png.ts";
import { launchBrowser, openNewSession, skipBrowser } from "./_browser.ts";

Deno.test({
  name:
    "browser: a new session streams a reply, draws the chart and downloads it as PNG",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer({ STREAM_WORD_DELAY_MS: "10" });
    await using browser = await launchBrowser();
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    const pageErrors = await openNewSession(page, server.url);

    // Watch the assistant bubble grow while the reply streams.
    const lengths: number[] = [];
    await page.exposeFunction("recordLength", (n: number) => lengths.push(n));
    await page.evaluate(() => {
      new MutationObserver(() => {
        const bubbles = document.querySelectorAll(".message.assistant .bubble");
        const last = bubbles[bubbles.length - 1];
        const page = globalThis as unknown as {
          recordLength(n: number): void;
        };
        if (last) page.recordLength(last.textContent?.length ?? 0);
      }).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });

    await page.getByLabel("Message").fill(
      "line chart of pm25 by date for Kampala",
    );
    await page.getByLabel("Message").press("Enter");
    await page.waitForSelector(
      ".message.assistant[data-role=assistant] .preview-card canvas",
    );
    await page.waitForSelector(".composer[data-busy=false]");

    const reply = await page.locator(".message.assistant .bubble").last()
      .textContent();
    assert.match(reply ?? "", /pm25/i);
    const distinct = new Set(lengths).size;
    assert.ok(
      distinct > 5,
      `the reply appeared in ${distinct} steps, not word by word`,
    );

    // The canvas opened the chart and ECharts drew on it.
    await page.waitForSelector(".main-chart[data-rendered=true] canvas");
    await page.waitForTimeout(300);
    const painted = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(
        ".main-chart canvas",
      )!;
      const ctx = canvas.getContext("2d")!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4 * 97) {
        if (
          data[i + 3] > 0 &&
          (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)
        ) inked++;
      }
      return { inked, width: canvas.width };
    });
    assert.ok(painted.width > 300, "the chart is full size");
    assert.ok(
      painted.inked > 50,
      `the canvas is blank (${painted.inked} inked samples)`,
    );
    assert.match(
      await page.locator(".canvas-title").textContent() ?? "",
      /pm25/i,
    );

    // The PNG button downloads a valid PNG.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("a[data-format=png]").click(),
    ]);
    const path = await download.path();
    const png = decodePng(await Deno.readFile(path!));
    assert.ok(
      png.width >= 800 && png.height >= 400,
      `${png.width}×${png.height}`,
    );
    assert.ok(png.distinctColours > 10);
    assert.match(download.suggestedFilename(), /\.png$/);

    // Reloading shows the same conversation and chart.
    await page.reload();
    await page.waitForSelector("html[data-hydrated=true]");
    assert.equal(await page.locator(".message").count(), 2);
    await page.waitForSelector(".main-chart[data-rendered=true] canvas");
    await page.screenshot({
      path: Deno.env.get("SCREENSHOT") ?? "/tmp/chartroom-session.png",
    });
    assert.deepEqual(pageErrors, []);
    await context.close();
  },
});

Deno.test({
  name:
    "browser: deleting a session from its page asks first, then removes it from the list",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(server.url + "/");
    await page.getByRole("button", { name: "New session" }).click();
    await page.waitForURL(/\/sessions\/[0-9A-Z]{26}$/);
    const sessionUrl = page.url();
    await page.getByRole("link", { name: "Delete" }).click();
    await page.waitForURL(/\/delete$/);
    assert.match(await page.locator("h1").textContent() ?? "", /Delete/);
    await page.getByRole("button", { name: "Delete session" }).click();
    await page.waitForURL(server.url + "/");
    assert.match(
      await page.locator(".sessions").textContent() ?? "",
      /No sessions yet/,
    );
    const gone = await page.goto(sessionUrl);
    assert.equal(gone?.status(), 404);
  },
});
