/**
 * Headless Chromium for the browser tests. When Chromium is absent the tests
 * are skipped with a loud message, except under CI=true, where they fail.
 */
import { type Browser, chromium, type Page } from "playwright-core";

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

/**
 * Opens the home page of `baseUrl` in `page`, clicks New session and waits
 * for the session page to be hydrated. Returns the page's uncaught errors,
 * collected from now on.
 */
export async function openNewSession(
  page: Page,
  baseUrl: string,
): Promise<string[]> {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(baseUrl + "/");
  await page.getByRole("button", { name: "New session" }).click();
  await page.waitForURL(/\/sessions\/[0-9A-Z]{26}$/);
  await page.waitForSelector("html[data-hydrated=true]");
  return pageErrors;
}
