/**
 * HTML export opened in headless Chromium with every request refused: the
 * chart draws, a tooltip appears on hover, the wheel zooms, a legend click
 * hides a series, and no hostile text runs or breaks the page.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { chartHtml } from "@/lib/exports/html.ts";
import { launchBrowser, skipBrowser } from "@/tests/e2e/_browser.ts";
import { HOSTILE, hostileInput, simpleInput } from "./_inputs.ts";

/**
 * Opens `html` in a fresh page that may fetch nothing (in `shared`, else a
 * browser of its own) and runs `run` with what it tried to fetch.
 */
async function openOffline(
  html: string,
  run: (page: Page, requests: string[], errors: string[]) => Promise<void>,
  shared?: Browser,
) {
  await using own = shared ? null : await launchBrowser();
  const browser = shared ?? own!;
  const context = await browser.newContext({
    viewport: { width: 1000, height: 700 },
  });
  await context.setOffline(true);
  const requests: string[] = [];
  await context.route("**", (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await context.addInitScript(() => {
    const w = globalThis as unknown as { alert: () => void; alerted: boolean };
    w.alerted = false;
    w.alert = () => {
      w.alerted = true;
    };
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.setContent(html);
  await page.waitForSelector("#chart[data-rendered=true]", { timeout: 10_000 });
  await run(page, requests, errors);
  await context.close();
}

/** Non-white pixels in the chart's canvases (a heatmap draws on a layer of its own). */
function inkedPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let inked = 0;
    for (const canvas of document.querySelectorAll("#chart canvas")) {
      const data = (canvas as HTMLCanvasElement).getContext("2d")!
        .getImageData(0, 0, canvas.clientWidth, canvas.clientHeight).data;
      for (let i = 0; i < data.length; i += 4) {
        if (
          data[i + 3] > 0 &&
          (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)
        ) inked++;
      }
    }
    return inked;
  });
}

Deno.test({
  name:
    "html: offline in Chromium the chart draws and a tooltip appears on hover",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const html = await chartHtml(hostileInput());
    await openOffline(html, async (page, requests, errors) => {
      // Let the entry animation finish.
      await page.waitForTimeout(600);
      assert.ok(await inkedPixels(page) > 5_000, "the canvas is blank");
      assert.equal(await page.title(), HOSTILE.title);

      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
      const tooltip = page.locator("#chart > div").filter({
        hasText: "2024-01",
      });
      await tooltip.first().waitFor({ state: "visible", timeout: 5_000 });
      const text = await tooltip.first().innerText();
      // Series names come out as text, not markup.
      assert.ok(text.includes(HOSTILE.seriesA), text);

      assert.deepEqual(requests, [], "the page fetched something");
      assert.deepEqual(errors, []);
      assert.equal(
        await page.evaluate(() =>
          (globalThis as unknown as { alerted: boolean }).alerted
        ),
        false,
      );
      assert.equal(await page.locator("script").count(), 3);
      // The interpretation, source and data table show the hostile text as text.
      const body = await page.locator("main").innerText();
      assert.ok(body.includes("Second line </script> 🎉"), body);
      await page.locator("summary", { hasText: "Source" }).click();
      assert.ok(
        (await page.locator("pre").innerText()).includes(HOSTILE.query),
      );
    });
  },
});

Deno.test({
  name: "html: the wheel zooms a long axis and a legend click hides a series",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const input = hostileInput();
    input.snapshot = {
      columns: input.snapshot.columns,
      rows: Array.from({ length: 60 }, (_, i) => [
        `2024-03-${String((i % 28) + 1).padStart(2, "0")}`,
        Math.sin(i / 5) * 10,
        i,
        "x",
      ]),
    };
    await openOffline(await chartHtml(input), async (page) => {
      await page.waitForTimeout(600);
      const state = () =>
        page.evaluate(() => {
          const echarts = (globalThis as unknown as {
            echarts: {
              getInstanceByDom(el: Element): {
                getOption(): {
                  dataZoom: { start: number; end: number }[];
                  legend: { selected: Record<string, boolean> }[];
                };
              };
            };
          }).echarts;
          const option = echarts.getInstanceByDom(
            document.getElementById("chart")!,
          ).getOption();
          return {
            zoom: [option.dataZoom[0].start, option.dataZoom[0].end],
            selected: option.legend[0].selected,
          };
        });
      assert.deepEqual((await state()).zoom, [0, 100]);
      const box = (await page.locator("#chart").boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.mouse.wheel(0, -600);
      await page.waitForTimeout(300);
      const [start, end] = (await state()).zoom;
      assert.ok(end - start < 100, `zoom ${start}–${end}`);

      // Click the first legend entry where ECharts drew it.
      const spot = await page.evaluate((name) => {
        const echarts = (globalThis as unknown as {
          echarts: { getInstanceByDom(el: Element): unknown };
        }).echarts;
        const chart = echarts.getInstanceByDom(
          document.getElementById("chart")!,
        ) as {
          getZr(): {
            storage: {
              getDisplayList(): {
                style?: { text?: string };
                getBoundingRect(): {
                  x: number;
                  y: number;
                  width: number;
                  height: number;
                };
                transform?: number[];
              }[];
            };
          };
        };
        const text = chart.getZr().storage.getDisplayList()
          .find((el) => el.style?.text === name)!;
        const r = text.getBoundingRect();
        const t = text.transform ?? [1, 0, 0, 1, 0, 0];
        const x = r.x + r.width / 2;
        const y = r.y + r.height / 2;
        return { x: t[0] * x + t[2] * y + t[4], y: t[1] * x + t[3] * y + t[5] };
      }, HOSTILE.seriesA);
      await page.mouse.click(box.x + spot.x, box.y + spot.y);
      await page.waitForTimeout(300);
      assert.equal((await state()).selected[HOSTILE.seriesA], false);
    });
  },
});

/** Where ECharts drew a point of the chart: a cell, a bin, or a slice's middle. */
function pixelOf(
  page: Page,
  at: readonly unknown[] | { readonly item: number },
) {
  return page.evaluate((at) => {
    type Layout = {
      cx: number;
      cy: number;
      r: number;
      r0: number;
      startAngle: number;
      endAngle: number;
    };
    const chart = (globalThis as unknown as {
      echarts: { getInstanceByDom(el: Element): unknown };
    }).echarts.getInstanceByDom(document.getElementById("chart")!) as {
      convertToPixel(finder: unknown, value: unknown): number[];
      getModel(): {
        getSeriesByIndex(i: number): {
          getData(): { getItemLayout(i: number): Layout };
        };
      };
    };
    if (!("item" in at)) {
      return chart.convertToPixel({ seriesIndex: 0 }, at);
    }
    const l = chart.getModel().getSeriesByIndex(0).getData()
      .getItemLayout(at.item);
    const angle = (l.startAngle + l.endAngle) / 2;
    const r = (l.r + l.r0) / 2;
    return [l.cx + r * Math.cos(angle), l.cy + r * Math.sin(angle)];
  }, at);
}

Deno.test({
  name:
    "html: offline in Chromium a histogram, a donut and a heatmap draw, and hovering shows bin, slice and cell values",
  ignore: skipBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const cases = [
      {
        type: "histogram",
        at: [2, 14],
        expected: ["0.5\u20130.75", "People", "14"],
      },
      { type: "donut", at: { item: 1 }, expected: ["2024-02: 150 (26.79%)"] },
      {
        type: "heatmap",
        at: ["2024-03", "Cost"],
        expected: ["2024-03", "Cost", "95"],
      },
    ] as const;
    await using browser = await launchBrowser();
    for (const { type, at, expected } of cases) {
      await openOffline(
        await chartHtml(simpleInput(type)),
        async (page, requests, errors) => {
          await page.waitForTimeout(600);
          assert.ok(await inkedPixels(page) > 5_000, `${type}: blank`);
          const box = (await page.locator("#chart").boundingBox())!;
          const [x, y] = await pixelOf(page, at);
          await page.mouse.move(box.x + x, box.y + y);
          const tooltip = page.locator("#chart > div").filter({
            hasText: expected[0],
          });
          await tooltip.first().waitFor({ state: "visible", timeout: 5_000 });
          const text = await tooltip.first().innerText();
          for (const part of expected) {
            assert.ok(text.includes(part), `${type}: ${text}`);
          }
          assert.deepEqual(requests, [], `${type} fetched something`);
          assert.deepEqual(errors, [], type);
        },
        browser,
      );
    }
  },
});
