/** What a cold browser downloads to open a session with a chart: compressed JavaScript, under budget. */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { launchBrowser, openNewSession, skipBrowser } from "./_browser.ts";

/** The budget for a session page's JavaScript on the wire, cold cache. */
const JS_BUDGET_BYTES = 250 * 1000;

Deno.test({
  name:
    "browser: a session page with a chart, cold cache, loads its JavaScript compressed and under 250 KB",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const first = await browser.newContext();
    const page = await first.newPage();
    await openNewSession(page, server.url);
    await page.getByLabel("Message").fill("bar chart of average no2 per city");
    await page.getByLabel("Message").press("Enter");
    await page.waitForSelector(".main-chart[data-rendered=true] canvas");
    const sessionUrl = page.url();

    // The same person on a browser with an empty cache.
    const cold = await browser.newContext();
    await cold.addCookies(await first.cookies());
    const again = await cold.newPage();
    const scripts: { url: string; encoding: string | null; bytes: number }[] =
      [];
    const pending: Promise<void>[] = [];
    again.on("requestfinished", (request) => {
      if (request.resourceType() !== "script") return;
      pending.push((async () => {
        const sizes = await request.sizes();
        const response = await request.response();
        scripts.push({
          url: request.url(),
          encoding: (await response?.allHeaders())?.["content-encoding"] ??
            null,
          bytes: sizes.responseBodySize + sizes.responseHeadersSize,
        });
      })());
    });
    await again.goto(sessionUrl);
    await again.waitForSelector(".main-chart[data-rendered=true] canvas");
    await Promise.all(pending);

    const total = scripts.reduce((n, s) => n + s.bytes, 0);
    const listing = scripts.map((s) =>
      `${s.bytes} ${s.encoding ?? "identity"} ${new URL(s.url).pathname}`
    ).join("\n");
    assert.ok(
      scripts.some((s) => /\/echarts-/.test(s.url)),
      `ECharts was loaded:\n${listing}`,
    );
    assert.ok(
      scripts.every((s) => s.encoding === "br"),
      `every script compressed:\n${listing}`,
    );
    assert.ok(
      total <= JS_BUDGET_BYTES,
      `${total} bytes of JavaScript:\n${listing}`,
    );
    console.log(`session page, cold cache: ${total} bytes of JavaScript`);
  },
});
