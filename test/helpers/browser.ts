/**
 * Shared set-up for the browser tests: Debian's Chromium driven by playwright-core.
 * Without Chromium a suite is reported as skipped, unless REQUIRE_BROWSER_TESTS=1 is set
 * (as .ci/run does once Chromium is installed), in which case it fails.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
const browserRequired = process.env.REQUIRE_BROWSER_TESTS === '1';

/** A problem the browser reported: a console error, an uncaught exception, a CSP violation or a failed asset. */
export interface BrowserProblem {
  kind: 'console' | 'pageerror' | 'csp' | 'http';
  /** The page open when it happened. */
  page: string;
  text: string;
  /** For console messages: the resource the message is about. */
  source?: string;
}

/** Why the browser suites are skipped here, or null when they run. */
export const browserSkipReason: string | null = haveChromium || browserRequired ? null : `Chromium is not installed at ${CHROMIUM}`;

/**
 * A browser suite. Without Chromium it is declared as skipped, with the reason in its title,
 * so jest counts its tests as skipped; with REQUIRE_BROWSER_TESTS=1 a missing browser fails instead.
 */
export function describeBrowserSuite(name: string, fn: () => void): void {
  if (browserSkipReason) describe.skip(`${name} (skipped: ${browserSkipReason})`, fn);
  else describe(name, fn);
}

/** Runs one step of a flow; a failure names the step it happened in. */
export async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) err.message = `[step: ${name}] ${err.message}`;
    throw err;
  }
}

/**
 * Clicks something that loads a new page in the main frame (a link or a form submit,
 * redirects included) and waits for the new page to load. Returns its HTTP status.
 */
export async function clickAndLoad(page: Page, target: Locator): Promise<number> {
  const finalResponse = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
  );
  const committed = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await target.click();
  const [response] = await Promise.all([finalResponse, committed]);
  await page.waitForLoadState('load');
  return response.status();
}

/** Starts headless Chromium with one page that records every problem the browser reports. */
export async function launchBrowser(problems: BrowserProblem[]): Promise<{ browser: Browser; page: Page }> {
  if (!haveChromium) {
    throw new Error(
      `REQUIRE_BROWSER_TESTS=1 is set but Chromium is not installed at ${CHROMIUM}; install the chromium package or unset REQUIRE_BROWSER_TESTS.`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // CSP violations are reported to the console too, but this catches them whatever the browser logs.
  await context.exposeBinding('__reportCspViolation', ({ page: p }, text: string) => {
    problems.push({ kind: 'csp', page: p?.url() ?? '?', text });
  });
  // A string, since the tests are compiled without the DOM types.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber);
    });`,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push({ kind: 'console', page: page.url(), text: msg.text(), source: msg.location().url });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', page: page.url(), text: err.message }));
  // Stylesheets, scripts and images that fail to load (pages themselves are checked by the steps).
  page.on('response', (r) => {
    if (!r.request().isNavigationRequest() && r.status() >= 400)
      problems.push({ kind: 'http', page: page.url(), text: `${r.status()} ${r.url()}` });
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED is the browser cancelling a fetch because the page moved on (a favicon
    // still loading when the test navigates), not an asset that failed.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    if (!r.isNavigationRequest()) problems.push({ kind: 'http', page: page.url(), text: `failed ${r.url()}: ${r.failure()?.errorText}` });
  });
  return { browser, page };
}
