/**
 * Accessibility as a tested property, in a real browser: every page, anonymous and signed in,
 * refused forms included, at a phone's width (390 px) and a desktop's (1280 px), must pass
 * axe-core with no violation, must not scroll sideways, and must make each region that scrolls
 * reachable by keyboard (tabindex="0") with a name. The skip link, the focus ring's contrast and
 * the error summary's focus are checked on their own.
 *
 * Needs Chromium at /usr/bin/chromium (see test/helpers/browser.ts for how a missing browser shows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EVENT_CSV_COLUMNS } from '../../src/events/csv';
import { startServer, type RunningServer } from '../../src/server';
import { createTestUser } from '../helpers/users';
import { type BrowserProblem, clickAndLoad, describeBrowserSuite, launchBrowser } from '../helpers/browser';
import { createTestDb, testConfig, type TestDb } from '../helpers/testDb';

const ADMIN = { email: 'ada.access@example.org', display_name: 'Ada Access', role: 'admin', password: 'a long enough pass phrase' };
const WIDTHS = [390, 1280] as const;
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Pages every reader sees. `{event}`, `{actor}` and `{source}` stand for records of the demo
 * data, found on the pages once the server runs. Pages that answer 4xx on purpose say so.
 */
const READER_PAGES: Array<{ path: string; status?: number }> = [
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
const ANALYST_PAGES: Array<{ path: string; status?: number }> = [
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
const REFUSED_FORMS = [
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

/** Runs axe-core on the page as it is. Evaluated, not added as a <script>, since the CSP allows only the site's own scripts. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  return result.violations;
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
async function problemsOfPage(page: Page, where: string): Promise<string[]> {
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

function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);

describeBrowserSuite('accessibility in Chromium', () => {
  jest.setTimeout(240_000);

  let testDb: TestDb | undefined;
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl: string;
  let dir: string;
  const problems: BrowserProblem[] = [];
  const records: Record<string, string> = {};
  /** Pages meant to answer 4xx, whose console message about it is expected. */
  const refusedUrls = new Set<string>();

  const url = (p: string) => baseUrl + p.replace(/\{(\w+)\}/g, (_m, k: string) => records[k]);

  /** Visits a page and checks it at both widths. */
  async function checkPage(p: string, expectedStatus = 200): Promise<string[]> {
    const out: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const response = await page.goto(url(p));
      const status = response?.status();
      if (status !== expectedStatus) out.push(`${width}px ${p}: answered ${status}, not ${expectedStatus}`);
      if (expectedStatus >= 400) refusedUrls.add(url(p));
      out.push(...(await problemsOfPage(page, `${width}px ${p}`)));
    }
    return out;
  }

  /** The first link to `prefix` on a page, as the part after the prefix. */
  async function firstLink(p: string, prefix: string): Promise<string> {
    await page.goto(url(p));
    const href = await page.locator(`main a[href^="${prefix}"]`).first().getAttribute('href');
    if (!href) throw new Error(`No link to ${prefix} on ${p}`);
    return decodeURIComponent(href.slice(prefix.length).split(/[/?#]/)[0]);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-a11y-'));
    testDb = await createTestDb('sqlite');
    await createTestUser(testDb.db, ADMIN);
    running = await startServer(testConfig(testDb.database, { port: 0, loadDemoData: true }));
    baseUrl = running.url;
    ({ browser, page } = await launchBrowser(problems));
    // Some 150 page loads on a shared machine: give a slow one time rather than fail the page.
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
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('anonymous', () => {
    it.each(READER_PAGES)('$path passes axe, fits the width and lets the keyboard reach what scrolls', async ({ path: p, status }) => {
      expect(await checkPage(p, status)).toEqual([]);
    });

    it('a refused sign-in passes axe at both widths', async () => {
      const out: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(url('/login'));
        await page.locator('#f-email').fill(ADMIN.email);
        await page.locator('#f-password').fill('not the pass phrase at all');
        const status = await clickAndLoad(page, page.locator('form[action^="/login"] button[type="submit"]'));
        expect(status).toBeGreaterThanOrEqual(400);
        refusedUrls.add(page.url());
        out.push(...(await problemsOfPage(page, `${width}px refused sign-in`)));
      }
      expect(out).toEqual([]);
    });

    it('the skip link is the first stop of the keyboard, shows when focused and moves the focus to the content', async () => {
      await page.setViewportSize({ width: 390, height: 900 });
      await page.goto(url('/vendors/kaspersky-lab'));
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      const box = await page.locator('a.skip-link').boundingBox();
      expect(box && box.y >= 0 && box.height > 10).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
      // The next Tab goes to the first link of the content, not back to the navigation.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('!!document.activeElement.closest("main")')).toBe(true);
    });

    it('links and buttons show a focus ring of at least 3:1 against the page', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(url('/search'));
      const seen: Record<string, { width: number; ratio: number }> = {};
      // Tab through the page until a link and a button have had the keyboard's focus.
      for (let i = 0; i < 40 && !(seen.a && seen.button); i++) {
        await page.keyboard.press('Tab');
        const ring = (await page.evaluate(`(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          let bg = 'rgba(0, 0, 0, 0)';
          for (let n = el.parentElement; n; n = n.parentElement) {
            const c = getComputedStyle(n).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
          }
          if (bg === 'rgba(0, 0, 0, 0)') bg = getComputedStyle(document.documentElement).backgroundColor;
          return { tag: el.tagName.toLowerCase(), style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, bg };
        })()`)) as { tag: string; style: string; width: number; color: string; bg: string };
        if ((ring.tag === 'a' || ring.tag === 'button') && !seen[ring.tag]) {
          expect({ tag: ring.tag, style: ring.style }).toEqual({ tag: ring.tag, style: 'solid' });
          seen[ring.tag] = { width: ring.width, ratio: contrast(channels(ring.color), channels(ring.bg)) };
        }
      }
      expect(Object.keys(seen).sort()).toEqual(['a', 'button']);
      for (const [tag, ring] of Object.entries(seen)) {
        expect({ tag, wide: ring.width >= 2, contrasted: ring.ratio >= 3 }).toEqual({ tag, wide: true, contrasted: true });
      }
    });
  });

  describe('signed in', () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(url('/login'));
      await page.locator('#f-email').fill(ADMIN.email);
      await page.locator('#f-password').fill(ADMIN.password);
      const status = await clickAndLoad(page, page.locator('form[action^="/login"] button[type="submit"]'));
      if (status !== 200) throw new Error(`Sign-in answered ${status}`);
    });

    it.each([...READER_PAGES, ...ANALYST_PAGES])(
      '$path passes axe, fits the width and lets the keyboard reach what scrolls',
      async ({ path: p, status }) => {
        expect(await checkPage(p, status)).toEqual([]);
      },
    );

    it.each(REFUSED_FORMS)(
      '$form submitted empty: the error summary has the focus, links to the fields, and the page passes axe',
      async ({ form, action, firstField }) => {
        const out: string[] = [];
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(url(form));
          const status = await clickAndLoad(page, page.locator(`form[action="${action}"] button[type="submit"]`));
          expect(status).toBe(422);
          refusedUrls.add(page.url());
          expect(await page.evaluate('document.activeElement.id')).toBe('error-summary');
          // Every link of the summary names a field that is on the page.
          const targets = (await page.evaluate(
            `[...document.querySelectorAll('#error-summary a')].map((a) => { const el = document.getElementById(a.getAttribute('href').slice(1)); return el ? el.tagName.toLowerCase() : 'missing ' + a.getAttribute('href'); })`,
          )) as string[];
          expect(targets.length).toBeGreaterThan(0);
          for (const t of targets) expect(['input', 'select', 'textarea']).toContain(t);
          out.push(...(await problemsOfPage(page, `${width}px refused ${form}`)));
          await page.locator('#error-summary a').first().click();
          expect(await page.evaluate('document.activeElement.id')).toBe(firstField);
        }
        expect(out).toEqual([]);
      },
    );

    it('the import pages, a refused file and a preview, pass axe at both widths', async () => {
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
      const out: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const [name, file] of Object.entries(files)) {
          await page.goto(url('/imports'));
          await page.locator('input[type="file"][name="file"]').setInputFiles(file);
          const status = await clickAndLoad(page, page.locator('form[action="/imports"] button[type="submit"]'));
          expect({ name, status }).toEqual({ name, status: name === 'refused' ? 422 : 200 });
          if (status >= 400) refusedUrls.add(page.url());
          out.push(...(await problemsOfPage(page, `${width}px import ${name}`)));
        }
      }
      expect(out).toEqual([]);
    });
  });

  // Runs last: what the browser reported on every page above (CSP blocks inline styles and scripts).
  describe('afterwards', () => {
    it('sees no script errors, CSP violations or failed assets, and no console error but the refused pages’ status', () => {
      const expected = (p: BrowserProblem) => p.kind === 'console' && refusedUrls.has(p.source ?? '') && /status of 4\d\d/.test(p.text);
      expect(problems.filter((p) => !expected(p))).toEqual([]);
    });
  });
});
