/**
 * Headless Chromium for the browser tests. When Chromium is absent the tests
 * are skipped with a loud message, except under CI=true, where they fail.
 */
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

export const hasChromium = exists(CHROMIUM_PATH);
const inCi = Deno.env.get("CI") === "true";

if (!hasChromium) {
  const banner = "!".repeat(72);
  console.error(
    `\n${banner}\n${
      inCi ? "FAILING" : "SKIPPING"
    } BROWSER TESTS: ${CHROMIUM_PATH} not found (apt-get install chromium)\n${banner}\n`,
  );
}

/** Whether browser tests should be skipped: only outside CI, when Chromium is missing. */
export const skipBrowser = !hasChromium && !inCi;

/** Launches headless Chromium (throws a clear error when it is missing). */
export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  if (!hasChromium) {
    throw new Error(`Chromium is required: ${CHROMIUM_PATH} not found`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return Object.assign(browser, {
    async [Symbol.asyncDispose]() {
      await browser.close();
    },
  });
}
