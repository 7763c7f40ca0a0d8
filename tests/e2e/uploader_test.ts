/** A person brings a file: upload it in the browser, preview it in the Data panel, chart it by chatting. */
import assert from "node:assert/strict";
import { startTestServer } from "@/tests/_fixtures.ts";
import { launchBrowser, openNewSession, skipBrowser } from "./_browser.ts";

const CSV = [
  "customer_id,name,postal_code,region,signup_date,spend",
  "1,Ann,02134,North,2024-01-05,120.5",
  "2,Bob,10001,South,2024-02-11,80",
  "3,Cy,02134,North,2024-02-20,45.25",
  "4,Di,94105,West,2024-03-02,300",
  "5,Ed,10001,South,2024-03-15,99.75",
  "6,Flo,60601,East,2024-04-01,150",
].join("\n") + "\n";

Deno.test({
  name:
    "uploader: a file chosen in the browser uploads, previews sorted, charts by chat; a file dropped on the chat uploads too",
  ignore: skipBrowser,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    const pageErrors = await openNewSession(page, server.url);

    // Choose a real file through the file picker.
    const dir = await Deno.makeTempDir();
    const path = `${dir}/customers.csv`;
    await Deno.writeTextFile(path, CSV);
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      page.getByRole("button", { name: "choose a file" }).click(),
    ]);
    await chooser.setFiles(path);

    // The dataset is listed and the canvas previews it.
    const item = page.locator(".dataset-list li", { hasText: "customers.csv" });
    await item.waitFor();
    assert.match(await item.textContent() ?? "", /6 rows × 6 columns/);
    await page.waitForSelector(".dataset-preview table tbody tr");
    assert.equal(await page.locator(".dataset-preview tbody tr").count(), 6);
    const types = await page.locator(".dataset-preview th .col-type")
      .allTextContents();
    assert.deepEqual(types, [
      "integer",
      "text",
      "text",
      "text",
      "date",
      "number",
    ]);

    // Sorting by spend (twice: descending) puts the largest first.
    await page.locator(".dataset-preview th button.sort", { hasText: "spend" })
      .click();
    await page.locator(".dataset-preview th button.sort", { hasText: "spend" })
      .click();
    await page.waitForFunction(() =>
      document.querySelector(".dataset-preview tbody tr td:last-child")
        ?.textContent === "300"
    );
    await page.screenshot({
      path: Deno.env.get("SCREENSHOT_UPLOAD") ?? "/tmp/chartroom-upload.png",
    });

    // Chat about it: the chart comes from the uploaded data.
    await page.getByLabel("Message").fill("bar chart of total spend by region");
    await page.getByLabel("Message").press("Enter");
    await page.waitForSelector(".main-chart[data-rendered=true] canvas", {
      timeout: 20_000,
    });
    assert.match(
      await page.locator(".canvas-title").textContent() ?? "",
      /spend/i,
    );
    await page.getByRole("tab", { name: "Query" }).click();
    assert.match(
      await page.locator(".query").textContent() ?? "",
      /customers\.csv/,
    );
    await page.screenshot({
      path: Deno.env.get("SCREENSHOT_CHART") ??
        "/tmp/chartroom-upload-chart.png",
    });

    // A file dropped on the chat is uploaded too, and previewed.
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(
        new File(
          ['[{"region":"North","manager":"Nia"},{"region":"South","manager":"Sam"}]'],
          "managers.json",
          {
            type: "application/json",
          },
        ),
      );
      return dt;
    });
    await page.dispatchEvent(".chat", "drop", { dataTransfer });
    await page.locator(".dataset-list li", { hasText: "managers.json" })
      .waitFor();
    await page.waitForFunction(() =>
      document.querySelector(".dataset-preview .canvas-title")?.textContent ===
        "managers.json"
    );
    assert.equal(await page.locator(".dataset-preview tbody tr").count(), 2);

    assert.deepEqual(pageErrors, []);
    await context.close();
    await Deno.remove(dir, { recursive: true });
  },
});
