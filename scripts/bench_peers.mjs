#!/usr/bin/env node
/**
 * The peer side of `deno task bench:peers` (bench/peers.ts runs it): draws
 * the peer charts with native resvg (`@resvg/resvg-js`, from ECharts SSR SVG)
 * or a warm headless Chromium (`playwright-core`, ECharts' canvas renderer)
 * under Node, from the packages installed in bench/peers/.
 *
 *   node scripts/bench_peers.mjs warm <resvg|chromium> <peer-charts.json>
 *     → one JSON line: warm median ms per chart and the peak resident MB
 *   node scripts/bench_peers.mjs cold <resvg|chromium> <peer-charts.json> <out.png>
 *     → renders the line chart, writes it, prints "written"
 */
import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const require = createRequire(
  new URL("../bench/peers/package.json", import.meta.url),
);
const FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) =>
  new URL(`../static/fonts/${f}`, import.meta.url).pathname
);
const WARM_UP = 10;
const SIZE = { width: 800, height: 400, scale: 2 };

const [mode, renderer, chartsPath, out] = process.argv.slice(2);
const charts = JSON.parse(readFileSync(chartsPath, "utf8")).charts;

/** A renderer: `render(option)` resolves to PNG bytes; `close()` frees it. */
async function open(name) {
  if (name === "resvg") {
    const echarts = require("echarts");
    const { Resvg } = require("@resvg/resvg-js");
    return {
      render(option) {
        const chart = echarts.init(null, null, {
          renderer: "svg",
          ssr: true,
          width: SIZE.width,
          height: SIZE.height,
        });
        chart.setOption({ ...option, animation: false });
        const svg = chart.renderToSVGString();
        chart.dispose();
        const resvg = new Resvg(svg, {
          fitTo: { mode: "zoom", value: SIZE.scale },
          background: "#ffffff",
          font: {
            fontFiles: FONTS,
            loadSystemFonts: false,
            defaultFontFamily: "DejaVu Sans",
            sansSerifFamily: "DejaVu Sans",
          },
        });
        return Promise.resolve(resvg.render().asPng());
      },
      close() {},
    };
  }
  if (name === "chromium") {
    const { chromium } = require("playwright-core");
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox"],
    });
    const page = await browser.newPage();
    await page.setContent(
      `<div id="c" style="width:${SIZE.width}px;height:${SIZE.height}px"></div>`,
    );
    await page.addScriptTag({
      path: require.resolve("echarts/dist/echarts.min.js"),
    });
    await page.evaluate((scale) => {
      globalThis.chart = globalThis.echarts.init(
        document.getElementById("c"),
        null,
        { renderer: "canvas", devicePixelRatio: scale },
      );
    }, SIZE.scale);
    return {
      async render(option) {
        const url = await page.evaluate(([o, scale]) => {
          globalThis.chart.setOption(
            {
              ...o,
              animation: false,
              textStyle: { fontFamily: "DejaVu Sans" },
            },
            true,
          );
          return globalThis.chart.getDataURL({
            type: "png",
            pixelRatio: scale,
            backgroundColor: "#ffffff",
          });
        }, [option, SIZE.scale]);
        return Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
      },
      close: () => browser.close(),
    };
  }
  throw new Error(`unknown renderer ${name}`);
}

/** Resident MB of this process and every process it started (Chromium's). */
function residentMb() {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch { /* gone */ }
  }
  const family = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!family.has(pid) && family.has(ppid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of family) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const engine = await open(renderer);
try {
  if (mode === "cold") {
    writeFileSync(out, await engine.render(charts.line));
    console.log("written");
  } else {
    const warm = {};
    let peak = 0;
    for (const [name, option] of Object.entries(charts)) {
      for (let i = 0; i < WARM_UP; i++) await engine.render(option);
      const times = [];
      for (let i = 0; i < (name === "scatter" ? 15 : 30); i++) {
        const started = performance.now();
        await engine.render(option);
        times.push(performance.now() - started);
        if (i % 5 === 0) peak = Math.max(peak, residentMb());
      }
      warm[name] = median(times);
    }
    console.log(JSON.stringify({ renderer, warm, peak_rss_mb: peak }));
  }
} finally {
  await engine.close();
}
