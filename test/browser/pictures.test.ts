/**
 * The pictures in a real browser, at 1280 and 390 px: every mark present, linked and
 * reachable by keyboard; arrows for the relations; colours that match the legend; labels
 * that never overlap (measured with getBBox); a chart region that scrolls sideways on a
 * phone while the page itself does not; the status map coloured by the legend.
 *
 * Needs Chromium at /usr/bin/chromium; without it the suite is reported as skipped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server';
import { type BrowserProblem, describeBrowserSuite, launchBrowser, step } from '../helpers/browser';
import { openTestDb, testConfig, type TestDb } from '../helpers/testDb';
import { createTestUser } from '../helpers/users';

const VENDORS = ['kaspersky-lab', 'nso-group', 'positive-technologies', 'coseinc', 'huawei'];
const WIDTHS = [1280, 390];

interface ChartFacts {
  marks: Array<{ id: string; href: string; fill: string }>;
  listed: number;
  arrows: Array<{ from: string; to: string; relation: string }>;
  legendFills: string[];
  overlaps: string[];
  regionFocusable: boolean;
  regionScrolls: boolean;
  pageScrollsSideways: boolean;
}

/** Reads the first timeline chart of the page. Runs in the page, so it is written as a string-free function over the DOM. */
async function chartFacts(page: Page): Promise<ChartFacts> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: any; innerWidth: number }).document;
    const win = globalThis as unknown as { innerWidth: number; getComputedStyle(e: unknown): { fill: string } };
    const svg = doc.querySelector('svg.timeline-chart');
    const region = doc.querySelector('.chart-scroll');
    const marks = [...svg.querySelectorAll('a.mark')].map((a: any) => ({
      id: a.getAttribute('data-event'),
      href: a.getAttribute('href'),
      fill: win.getComputedStyle(a.querySelector('.mark-shape')).fill,
    }));
    const legendFills = [...doc.querySelectorAll('.chart-legend li[data-key^="type:"] .swatch rect')].map(
      (r: any) => win.getComputedStyle(r).fill,
    );
    const boxes = [...svg.querySelectorAll('text.chart-label')].map((t: any) => ({ text: t.textContent, box: t.getBBox() }));
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box;
        const b = boxes[j].box;
        // A tenth of a pixel of slack for rounding.
        if (a.x < b.x + b.width - 0.1 && b.x < a.x + a.width - 0.1 && a.y < b.y + b.height - 0.1 && b.y < a.y + a.height - 0.1)
          overlaps.push(`${boxes[i].text} / ${boxes[j].text}`);
      }
    }
    return {
      marks,
      listed: doc.querySelectorAll('details.event-line').length,
      arrows: [...svg.querySelectorAll('path.arrow')].map((p: any) => ({
        from: p.getAttribute('data-from'),
        to: p.getAttribute('data-to'),
        relation: p.getAttribute('data-relation'),
      })),
      legendFills,
      overlaps,
      regionFocusable: region.tabIndex === 0,
      regionScrolls: region.scrollWidth > region.clientWidth,
      pageScrollsSideways: doc.documentElement.scrollWidth > win.innerWidth,
    };
  });
}

describeBrowserSuite('pictures in Chromium', () => {
  jest.setTimeout(180_000);

  let testDb: TestDb | undefined;
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl: string;
  const problems: BrowserProblem[] = [];

  beforeAll(async () => {
    testDb = await openTestDb('sqlite', 'demo');
    // An account exists, so the server prints no first-admin setup link into the test output.
    await createTestUser(testDb.db, {
      email: 'pictures@example.org',
      display_name: 'Pic Tures',
      role: 'analyst',
      password: 'a long enough pass phrase',
    });
    running = await startServer(testConfig(testDb.database, { port: 0 }));
    baseUrl = running.url;
    ({ browser, page } = await launchBrowser(problems));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await running?.stop();
    await testDb?.cleanup();
  });

  for (const width of WIDTHS) {
    it(`draws every vendor's timeline legibly at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      for (const slug of VENDORS) {
        await step(`${slug} at ${width} px`, async () => {
          const res = await page.goto(`${baseUrl}/vendors/${slug}`);
          expect(res?.status()).toBe(200);
          const facts = await chartFacts(page);
          expect(facts.marks.length).toBe(facts.listed);
          expect(facts.marks.length).toBeGreaterThan(0);
          for (const m of facts.marks) expect(m.href).toBe(`/events/${encodeURIComponent(m.id)}`);
          const legend = new Set(facts.legendFills);
          for (const m of facts.marks) expect({ id: m.id, inLegend: legend.has(m.fill) }).toEqual({ id: m.id, inLegend: true });
          const ids = new Set(facts.marks.map((m) => m.id));
          for (const a of facts.arrows) expect([a.relation, ids.has(a.from), ids.has(a.to)]).toEqual([a.relation, true, true]);
          expect(facts.overlaps).toEqual([]);
          expect(facts.regionFocusable).toBe(true);
          expect(facts.pageScrollsSideways).toBe(false);
          // On a phone the chart keeps its size and scrolls inside its own region.
          if (width < 600) expect(facts.regionScrolls).toBe(true);
        });
      }
    });
  }

  it('draws the arrows of the responses to the European Parliament resolution, and reaches the marks by keyboard', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}/vendors/kaspersky-lab`);
    const facts = await chartFacts(page);
    const responses = facts.arrows.filter((a) => a.relation === 'responds-to');
    expect(responses.length).toBeGreaterThanOrEqual(2);
    await page.focus('.chart-scroll');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = (globalThis as unknown as { document: any }).document.activeElement;
      return {
        tag: el?.tagName,
        cls: el?.getAttribute('class'),
        href: el?.getAttribute('href'),
        title: el?.querySelector('title')?.textContent,
      };
    });
    expect(focused.cls).toBe('mark');
    expect(focused.href).toMatch(/^\/events\//);
    expect(focused.title).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/events\//);
  });

  it('colours the status map by the legend and hatches the EU members for the EU measure', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${baseUrl}/reports/status?as_of=2018-06-30`);
      const map = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: any }).document;
        const win = globalThis as unknown as { innerWidth: number; getComputedStyle(e: unknown): { fill: string } };
        const legend = Object.fromEntries(
          [...doc.querySelectorAll('.chart-legend li')].map((li: any) => [
            li.getAttribute('data-key'),
            win.getComputedStyle(li.querySelector('rect')).fill,
          ]),
        );
        const measures = [...doc.querySelectorAll('svg.status-map path.measure')].map((p: any) => ({
          code: p.getAttribute('data-code'),
          measure: p.getAttribute('data-measure'),
          fill: win.getComputedStyle(p).fill,
        }));
        const mapBox = doc.querySelector('svg.status-map').getBoundingClientRect();
        return {
          legend,
          measures,
          hatched: doc.querySelectorAll('svg.status-map .eu-overlay path').length,
          linked: doc.querySelectorAll('svg.status-map a.country').length,
          fitsWidth: mapBox.width <= win.innerWidth,
          sideways: doc.documentElement.scrollWidth > win.innerWidth,
        };
      });
      expect(map.measures.length).toBeGreaterThanOrEqual(3);
      for (const m of map.measures) expect({ code: m.code, fill: m.fill }).toEqual({ code: m.code, fill: map.legend[m.measure] });
      expect(map.hatched).toBeGreaterThanOrEqual(25);
      expect(map.linked).toBe(map.measures.length);
      expect(map.fitsWidth).toBe(true);
      expect(map.sideways).toBe(false);
    }
  });

  it('shows the chart and the map in an article through the snippets the pages offer', async () => {
    for (const path of ['/vendors/kaspersky-lab', '/reports/status?as_of=2018-06-30']) {
      await page.goto(`${baseUrl}${path}`);
      const snippet = await page.locator('pre.embed-code code').textContent();
      expect(snippet).toMatch(/^<a href="http:\/\/[^"]+"><img src="http:\/\/[^"]+\.svg[^"]*" alt="[^"]+" width="100%"><\/a>$/);
      // An article on another site: a page of another origin holding only the snippet.
      // (Anything else it is asked for, such as a favicon, is an empty answer.)
      const article = http.createServer((req, res) =>
        req.url === '/' ? res.end(`<!doctype html><title>Article</title><main>${snippet}</main>`) : res.writeHead(204).end(),
      );
      await new Promise<void>((resolve) => article.listen(0, '127.0.0.1', resolve));
      let img: { complete: boolean; width: number; height: number };
      try {
        await page.goto(`http://127.0.0.1:${(article.address() as AddressInfo).port}/`, { waitUntil: 'load' });
        img = await page.evaluate(() => {
          const el = (globalThis as unknown as { document: any }).document.querySelector('img');
          return { complete: el.complete, width: el.naturalWidth, height: el.naturalHeight };
        });
        await page.goto('about:blank');
      } finally {
        article.closeAllConnections();
        article.close();
      }
      expect(img.complete).toBe(true);
      expect(img.width).toBeGreaterThan(500);
      expect(img.height).toBeGreaterThan(100);
    }
  });

  it('reported no console errors, CSP violations or failed assets', () => {
    expect(problems).toEqual([]);
  });
});
