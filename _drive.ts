import { chromium } from "playwright-core";
const base = Deno.args[0];
const prompts = Deno.args.slice(1);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
page.on("pageerror", (e) => console.log("PAGE ERROR", String(e)));
page.on("console", (m) => { if (m.type() === "error") console.log("CONSOLE", m.text()); });
await page.goto(base + "/");
await page.getByRole("button", { name: "New session" }).click();
await page.waitForSelector("html[data-hydrated=true]");
let i = 0;
for (const p of prompts) {
  await page.getByLabel("Message").fill(p);
  await page.getByLabel("Message").press("Enter");
  await page.waitForTimeout(300);
  await page.waitForSelector(".composer[data-busy=false]");
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/shots/p${i++}.png` });
}
await browser.close();
