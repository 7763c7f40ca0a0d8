/**
 * Shared pages and embeds in Chromium, under their Content-Security-Policy:
 * a shared session opens and draws its chart with no cookie and no CSP
 * violation; another site's page frames the embed and shows the PNG, while
 * the shared page itself refuses to be framed.
 */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import { launchBrowser, skipBrowser } from "./_browser.ts";

Deno.test({
  name:
    "share in a browser: a link made from the Share menu; the shared page, the iframe embed and the image work under their CSP",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer();
    const owner = new Client(server.url);
    const { sessionId, artifactId } = await owner.sessionWithChart(
      "bar chart of average no2 per city",
    );
    await owner.chat(sessionId, "make it a line chart");
    const share = (body: unknown) =>
      owner.json(`/api/sessions/${sessionId}/shares`, "POST", body)
        .then((r) => r.json());
    const session = await share({});

    await using browser = await launchBrowser();
    // The owner shares the chart from the canvas's Share menu.
    const own = await browser.newContext();
    const [name, value] = [...owner.cookies][0];
    await own.addCookies([{ name, value, url: server.url }]);
    const ownPage = await own.newPage();
    await ownPage.goto(`${server.url}/sessions/${sessionId}`);
    await ownPage.waitForSelector("html[data-hydrated=true]");
    await ownPage.locator(".share-menu summary").click();
    await ownPage.getByRole("button", { name: "Link to this chart" }).click();
    const made = ownPage.locator(".share-made input").first();
    await made.waitFor();
    const chartUrl = await made.inputValue();
    assert.match(chartUrl, /\/s\/[A-Za-z0-9_-]{22}$/);
    await ownPage.locator(".share-links li").nth(1).waitFor();
    await own.close();
    const chart = (await (await owner.fetch(
      `/api/sessions/${sessionId}/shares`,
    )).json()).shares.find((s: { url: string }) => s.url === chartUrl);
    assert.equal(chart.artifact_id, artifactId);

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) {
        problems.push(m.text());
      }
    });

    await page.goto(session.url);
    await page.waitForSelector("html[data-hydrated=true]");
    await page.waitForSelector(".main-chart[data-rendered=true]");
    assert.equal(await page.locator("textarea").count(), 0);
    // An older version opens from the link, and cannot be restored there.
    await page.locator(".versions select").selectOption("1");
    await page.waitForSelector(".version-note");
    assert.equal(await page.locator(".version-note button.button").count(), 0);
    assert.deepEqual(await context.cookies(), [], "no cookie was set");
    // The export menu downloads from the link, not the owner's API.
    const csvHref = await page.locator("[data-export=csv]").getAttribute(
      "href",
    );
    assert.ok(csvHref?.startsWith(`/s/${session.url.split("/s/")[1]}/`));

    // Another site (another origin: a server of its own) embeds the chart,
    // as an iframe and an image, and tries to frame the shared page.
    const blogPage = `<!doctype html><h1>Post</h1>
      <iframe id="embed" src="${chart.embed.iframe}" width="640" height="360"></iframe>
      <img id="png" src="${chart.embed.png}" alt="chart">
      <iframe id="page" src="${session.url}" width="640" height="360"></iframe>`;
    await using blog = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response(blogPage, { headers: { "content-type": "text/html" } }),
    );
    await page.goto(`http://127.0.0.1:${blog.addr.port}/post`);
    const frame = page.frameLocator("#embed");
    await frame.locator(".embed-chart[data-rendered=true]").waitFor();
    await page.waitForFunction(() =>
      (document.getElementById("png") as HTMLImageElement).naturalWidth > 0
    );
    assert.equal(
      await page.evaluate(() =>
        (document.getElementById("png") as HTMLImageElement).naturalWidth
      ),
      800,
    );
    // The shared page refuses to be framed: nothing of it renders there.
    await page.waitForTimeout(500);
    assert.equal(
      await page.frameLocator("#page").locator(".canvas").count(),
      0,
    );
    assert.ok(
      problems.some((p) => /frame-ancestors 'none'/.test(p)),
      `the framed page was refused: ${problems}`,
    );
    const others = problems.filter((p) => !/frame-ancestors 'none'/.test(p));
    assert.deepEqual(others, [], "no other CSP violation or page error");
  },
});
