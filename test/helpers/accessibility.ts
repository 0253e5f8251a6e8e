/**
 * Accessibility as a tested property, in a real browser: every page, anonymous and signed in,
 * refused forms included, at a phone's width (390 px) and a desktop's (1280 px), must pass
 * axe-core with no violation, must not scroll sideways, and must make each region that scrolls
 * reachable by keyboard (tabindex="0") with a name. The skip link, the focus ring's contrast and
 * the error summary's focus are checked on their own.
 *
 * The pages are shared out among test/browser/accessibility-*.test.ts, so jest runs them on
 * separate workers side by side; this module holds the lists of pages, the checks and the
 * set-up each of those files uses (a server on a copy of the demo data, Chromium, and a last
 * test of what the browser reported on every page the file visited).
 *
 * Needs Chromium at /usr/bin/chromium (see test/helpers/browser.ts for how a missing browser shows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EVENT_CSV_COLUMNS } from '../../src/events/csv';
import { startServer, type RunningServer } from '../../src/server';
import { createTestUser } from './users';
import { type BrowserProblem, clickAndLoad, describeBrowserSuite, launchBrowser } from './browser';
import { openTestDb, testConfig, type TestDb } from './testDb';

export const ADMIN = { email: 'ada.access@example.org', display_name: 'Ada Access', role: 'admin', password: 'a long enough pass phrase' };
export const WIDTHS = [390, 1280] as const;
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Pages every reader sees. `{event}`, `{actor}` and `{source}` stand for records of the demo
 * data, found on the pages once the server runs. Pages that answer 4xx on purpose say so.
 */
export const READER_PAGES: Array<{ path: string; status?: number }> = [
  { path: '/' },
  { path: '/vendors' },
  { path: '/vendors/kaspersky-lab' },
  { path: '/vendors/kaspersky-lab?type=ban&from=2017&to=2024-07' },
  { path: '/vendors/kaspersky-lab/history' },
  { path: '/events' },
  { path: '/events/{event}' },
  { path: '/events/{event}/history' },
  { path: '/actors' },
  { path: '/actors/{actor}' },
  { path: '/actors/{actor}/history' },
  { path: '/sources/{source}' },
  { path: '/sources/{source}/history' },
  { path: '/jurisdictions' },
  { path: '/jurisdictions/US' },
  { path: '/compare?vendors=kaspersky-lab,nso-group' },
  { path: '/search' },
  { path: '/search?q=europol' },
  { path: '/reports' },
  { path: '/reports/events' },
  { path: '/reports/events?vendor=kaspersky-lab&rows=citations&columns=id,source_title,quote' },
  { path: '/reports/status' },
  { path: '/reports/status?as_of=2018-06-30' },
  { path: '/reports/sources' },
  { path: '/reports/activity' },
  { path: '/login' },
  { path: '/vendors/kaspersky-lab?from=2018-13', status: 400 },
  { path: '/no-such-page', status: 404 },
];

/** Pages only analysts see (the signed-in run also visits every reader page). */
export const ANALYST_PAGES: Array<{ path: string; status?: number }> = [
  { path: '/events/new?vendor=kaspersky-lab' },
  { path: '/events/{event}/edit' },
  { path: '/vendors/new' },
  { path: '/vendors/kaspersky-lab/edit' },
  { path: '/actors/new' },
  { path: '/actors/{actor}/edit' },
  { path: '/sources/new' },
  { path: '/sources/{source}/edit' },
  { path: '/trash' },
  { path: '/imports' },
  { path: '/admin/users' },
];

/** The forms refused when submitted empty, and the field the first summary link must reach. */
export const REFUSED_FORMS = [
  { form: '/events/new?vendor=kaspersky-lab', action: '/events', firstField: 'f-title' },
  { form: '/vendors/new', action: '/vendors', firstField: 'f-name' },
  { form: '/actors/new', action: '/actors', firstField: 'f-name' },
  { form: '/sources/new', action: '/sources', firstField: 'f-title' },
];

interface AxeNode {
  target: string[];
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * Puts axe-core into every page the browser opens, before the page's own scripts. An init script,
 * not a <script> element: the CSP allows only the site's own scripts. Once per browser context,
 * rather than sending half a megabyte of script with each check.
 */
async function addAxe(page: Page): Promise<void> {
  await page.context().addInitScript({ content: AXE_SOURCE });
}

/**
 * Runs axe-core on the page as it is. Only what a report names comes back (rule, impact, help,
 * the nodes' selectors): axe's full result, every rule's checks and markup, cost more to copy
 * out of the browser than the check itself.
 */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  return (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
}

/** Regions that scroll but cannot be reached by keyboard or have no name. */
async function unreachableScrollers(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      const scrollsX = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const scrollsY = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if (!scrollsX && !scrollsY) continue;
      // Form controls take the focus themselves and are named by their labels.
      if (el.matches('textarea, select, input')) continue;
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (el.tabIndex >= 0 && el.getAttribute('tabindex') !== null && named) continue;
      const id = el.id ? '#' + el.id : '';
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + id + cls + (el.getAttribute('tabindex') === null ? ' has no tabindex' : '') + (named ? '' : ' has no name'));
    }
    return out;
  })()`)) as string[];
}

/** Everything wrong with the page at the current width, one line each. */
export async function problemsOfPage(page: Page, where: string): Promise<string[]> {
  const out: string[] = [];
  for (const v of await axeViolations(page)) {
    out.push(
      `${where}: axe ${v.id} (${v.impact}) ${v.help} at ${v.nodes
        .slice(0, 5)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
    );
  }
  const widths = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  if (widths[0] > widths[1]) out.push(`${where}: scrolls sideways (${widths[0]} px wide in a ${widths[1]} px window)`);
  for (const s of await unreachableScrollers(page)) out.push(`${where}: scrollable ${s}`);
  return out;
}

/** sRGB relative luminance of a CSS rgb()/rgba() colour. */
function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);

/** What a file of accessibility tests works with, once its beforeAll has run. */
export interface AccessibilityRun {
  page: Page;
  /** A temporary directory of the file's own (for files to upload), removed afterwards. */
  dir: string;
  /** Pages meant to answer 4xx, whose console message about it is expected. */
  refusedUrls: Set<string>;
  /** The full address of a path; `{event}`, `{actor}` and `{source}` stand for demo records. */
  url(p: string): string;
  /** Visits a page and checks it at both widths: every problem found, one line each. */
  checkPage(p: string, expectedStatus?: number): Promise<string[]>;
  /** Signs in as ADMIN through the sign-in form. */
  signIn(): Promise<void>;
}

/** The width of the window, waiting for what the page does when it changes. */
async function resizeTo(page: Page, width: number): Promise<void> {
  if (page.viewportSize()?.width === width) return;
  // `void`: evaluate would otherwise wait for the promise the assignment yields.
  await page.evaluate(`void (window.__resized = new Promise((resolve) => addEventListener('resize', () => resolve(), { once: true })))`);
  await page.setViewportSize({ width, height: 900 });
  // public/regions.js marks the regions that scroll 200 ms after the last resize (its own
  // listener, added before this one, has set that timer when this one runs): wait past it.
  await page.evaluate(`window.__resized.then(() => new Promise((resolve) => setTimeout(resolve, 250)))`);
}

/**
 * A file of accessibility tests: a server on a copy of the demo data with ADMIN's account,
 * Chromium with one page, and, after the tests `body` declares, one that checks what the
 * browser reported on every page the file visited (script errors, CSP violations, failed
 * assets, console errors other than the refused pages' status).
 */
export function describeAccessibility(name: string, body: (run: AccessibilityRun) => void): void {
  describeBrowserSuite(name, () => {
    jest.setTimeout(240_000);

    let testDb: TestDb | undefined;
    let running: RunningServer | undefined;
    let browser: Browser | undefined;
    let baseUrl = '';
    const problems: BrowserProblem[] = [];
    const records: Record<string, string> = {};

    const run: AccessibilityRun = {
      page: undefined as unknown as Page,
      dir: '',
      refusedUrls: new Set<string>(),
      url: (p) => baseUrl + p.replace(/\{(\w+)\}/g, (_m, k: string) => records[k]),
      async checkPage(p, expectedStatus = 200) {
        const { page } = run;
        const out: string[] = [];
        // One visit: checked at the first width, then at the second once the window is resized.
        await page.setViewportSize({ width: WIDTHS[0], height: 900 });
        const response = await page.goto(run.url(p));
        const status = response?.status();
        if (status !== expectedStatus) out.push(`${p}: answered ${status}, not ${expectedStatus}`);
        if (expectedStatus >= 400) run.refusedUrls.add(run.url(p));
        for (const width of WIDTHS) {
          await resizeTo(page, width);
          out.push(...(await problemsOfPage(page, `${width}px ${p}`)));
        }
        return out;
      },
      async signIn() {
        const { page } = run;
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(run.url('/login'));
        await page.locator('#f-email').fill(ADMIN.email);
        await page.locator('#f-password').fill(ADMIN.password);
        const status = await clickAndLoad(page, page.locator('form[action^="/login"] button[type="submit"]'));
        if (status !== 200) throw new Error(`Sign-in answered ${status}`);
      },
    };

    /** The first link to `prefix` on a page, as the part after the prefix. */
    async function firstLink(p: string, prefix: string): Promise<string> {
      await run.page.goto(run.url(p));
      const href = await run.page.locator(`main a[href^="${prefix}"]`).first().getAttribute('href');
      if (!href) throw new Error(`No link to ${prefix} on ${p}`);
      return decodeURIComponent(href.slice(prefix.length).split(/[/?#]/)[0]);
    }

    beforeAll(async () => {
      run.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-a11y-'));
      // A copy of the run's demo database, so the server has nothing to load at start.
      testDb = await openTestDb('sqlite', 'demo');
      await createTestUser(testDb.db, ADMIN);
      running = await startServer(testConfig(testDb.database, { port: 0 }));
      baseUrl = running.url;
      let page: Page;
      ({ browser, page } = await launchBrowser(problems));
      run.page = page;
      await addAxe(page);
      // Many page loads on a shared machine: give a slow one time rather than fail the page.
      page.setDefaultTimeout(60_000);
      page.setDefaultNavigationTimeout(60_000);
      records.event = await firstLink('/vendors/kaspersky-lab', '/events/');
      records.actor = await firstLink('/actors', '/actors/');
      records.source = await firstLink(`/events/${encodeURIComponent(records.event)}`, '/sources/');
      records.event = encodeURIComponent(records.event);
    });

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await running?.stop();
      await testDb?.cleanup();
      if (run.dir) fs.rmSync(run.dir, { recursive: true, force: true });
    });

    body(run);

    // Runs last: what the browser reported on every page above (CSP blocks inline styles and scripts).
    describe('afterwards', () => {
      it('sees no script errors, CSP violations or failed assets, and no console error but the refused pages’ status', () => {
        const expected = (p: BrowserProblem) =>
          p.kind === 'console' && run.refusedUrls.has(p.source ?? '') && /status of 4\d\d/.test(p.text);
        expect(problems.filter((p) => !expected(p))).toEqual([]);
      });
    });
  });
}

/** Two CSV files for the import pages: one refused (an impossible date), one that previews. */
export function importFiles(dir: string): { refused: string; preview: string } {
  const header = EVENT_CSV_COLUMNS.join(',');
  const row = (date: string) =>
    EVENT_CSV_COLUMNS.map(
      (c) =>
        ({
          id: 'a11y-import-check',
          occurred_on: date,
          vendors: 'kaspersky-lab',
          jurisdiction: 'FR',
          type: 'advisory',
          title: 'An advisory written for the accessibility test',
          source_titles: 'Accessibility test source',
          source_urls: 'https://example.org/a11y',
        })[c as string] ?? '',
    ).join(',');
  const files = { refused: path.join(dir, 'refused.csv'), preview: path.join(dir, 'preview.csv') };
  fs.writeFileSync(files.refused, `${header}\r\n${row('2023-02-30')}\r\n`);
  fs.writeFileSync(files.preview, `${header}\r\n${row('2023-02-03')}\r\n`);
  return files;
}
