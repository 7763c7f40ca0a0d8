/** A person in a browser goes back to an earlier version of a chart, downloads it and makes it the newest again. */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { seedChart, startTestServer } from "@/tests/_fixtures.ts";
import { simpleInput } from "@/tests/exports/_inputs.ts";
import { launchBrowser, openNewSession, skipBrowser } from "./_browser.ts";

Deno.test({
  name:
    "browser: open v1 of a two-version chart, export it, restore it, and see v3",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    const pageErrors = await openNewSession(page, server.url);

    // The chart: a line (v1), then refined into a heatmap (v2).
    const sessionId = page.url().split("/").pop()!;
    const artifact = await seedChart(server.kv, sessionId, [
      {
        ...simpleInput("line"),
        spec: { ...simpleInput("line").spec, title: "Revenue and cost" },
      },
      {
        ...simpleInput("heatmap"),
        spec: {
          ...simpleInput("heatmap").spec,
          title: "Revenue and cost by month",
        },
      },
    ]);
    await page.reload();
    await page.waitForSelector("html[data-hydrated=true]");
    await page.waitForSelector(".main-chart[data-rendered=true] canvas");
    const title = page.locator(".canvas-title");
    assert.equal(await title.textContent(), "Revenue and cost by month");
    const versions = page.getByLabel("Version");
    assert.deepEqual(
      await versions.locator("option").allTextContents(),
      ["v1", "v2 (newest)"],
    );

    // Open v1.
    await versions.selectOption("1");
    await page.waitForFunction(() =>
      document.querySelector(".canvas-title")?.textContent ===
        "Revenue and cost"
    );
    const note = page.locator(".version-note");
    assert.match(await note.textContent() ?? "", /version 1 of 2/);

    // The export menu and the PNG button export the version on screen.
    assert.match(
      await page.locator("a[data-format=png]").getAttribute("href") ?? "",
      /[?&]version=1(&|$)/,
    );
    await page.locator(".export-menu summary").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("a[data-export=csv]").click(),
    ]);
    const csv: string[][] = parse(
      await Deno.readTextFile((await download.path())!),
    );
    assert.deepEqual(csv[0], ["month", "revenue", "cost"]);
    assert.deepEqual(csv.slice(1).map((r) => r[1]), [
      "120",
      "150",
      "90",
      "200",
    ]);
    await page.keyboard.press("Escape");

    // Restore it: v3 is the line chart again, and the newest.
    await page.getByRole("button", { name: "Restore as newest" }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".versions option")].some((o) =>
        o.textContent === "v3 (newest)"
      )
    );
    assert.equal(await versions.inputValue(), "3");
    assert.equal(await title.textContent(), "Revenue and cost");
    assert.match(
      await note.textContent() ?? "",
      /Version 1 restored as version 3/,
    );
    assert.equal(
      await page.getByRole("button", { name: "Restore as newest" }).count(),
      0,
    );
    assert.doesNotMatch(
      await page.locator("a[data-format=png]").getAttribute("href") ?? "",
      /version=/,
    );
    await page.waitForSelector(".history .badge");
    assert.equal(await page.locator(".history .badge").textContent(), "v3");
    await page.waitForSelector(".main-chart[data-rendered=true] canvas");
    await page.waitForTimeout(400);
    await page.screenshot({
      path: Deno.env.get("SCREENSHOT") ?? "/tmp/chartroom-versions.png",
    });

    const stored = await (await page.request.get(
      `${server.url}/api/artifacts/${artifact.id}`,
    )).json();
    assert.equal(stored.version, 3);
    assert.equal(stored.spec.type, "line");
    assert.deepEqual(pageErrors, []);
    await context.close();
  },
});
