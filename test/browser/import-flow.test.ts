/**
 * End to end, in a real browser: an analyst uploads a CSV with one bad row, reads why it
 * is refused, uploads the corrected file, reads the preview, confirms, and finds the new
 * events on the vendor's timeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EVENT_CSV_COLUMNS } from '../../src/events/csv';
import { startServer, type RunningServer } from '../../src/server';
import { createUser } from '../../src/accounts/service';
import { NewUserInput } from '../../src/accounts/schema';
import { parseForm } from '../../src/lib/input';
import { type BrowserProblem, clickAndLoad, describeBrowserSuite, launchBrowser, step } from '../helpers/browser';
import { createTestDb, testConfig, type TestDb } from '../helpers/testDb';

const ANALYST = { email: 'importer@example.org', display_name: 'Imogen Porter', role: 'analyst', password: 'another long pass phrase' };

const ROWS: Array<Record<string, string>> = [
  {
    id: 'browser-import-advisory',
    occurred_on: '2023-05',
    vendors: 'kaspersky-lab',
    jurisdiction: 'FR',
    actor: 'browser-test-agency',
    type: 'advisory',
    title: 'Imported advisory from a made-up agency',
    summary: 'Written for the browser test of the import.',
    source_titles: 'Imported advisory text',
    source_urls: 'https://example.org/imported/advisory',
  },
  {
    id: 'browser-import-statement',
    occurred_on: '2023-06-02',
    vendors: 'kaspersky-lab',
    jurisdiction: 'FR',
    actor: 'kaspersky-lab',
    type: 'vendor-statement',
    title: 'Imported vendor answer to the made-up advisory',
    summary: 'Also written for the browser test.',
    responds_to: 'browser-import-advisory',
    source_titles: 'Imported statement',
    source_urls: 'https://example.org/imported/statement',
  },
];

function csvOf(rows: Array<Record<string, string>>): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [EVENT_CSV_COLUMNS.join(','), ...rows.map((r) => EVENT_CSV_COLUMNS.map((c) => quote(r[c] ?? '')).join(','))].join('\r\n') + '\r\n';
}

describeBrowserSuite('CSV import in Chromium', () => {
  jest.setTimeout(90_000);

  let testDb: TestDb | undefined;
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  const problems: BrowserProblem[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-import-'));
    testDb = await createTestDb('sqlite');
    await createUser(testDb.db, parseForm(NewUserInput, ANALYST));
    running = await startServer(testConfig(testDb.database, { port: 0, loadDemoData: true }));
    ({ browser, page } = await launchBrowser(problems));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await running?.stop();
    await testDb?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad row with its line, then imports the corrected file and shows the events', async () => {
    const base = running!.url;
    const badFile = path.join(dir, 'bad.csv');
    const goodFile = path.join(dir, 'good.csv');
    fs.writeFileSync(badFile, csvOf([ROWS[0], { ...ROWS[1], occurred_on: '2023-02-30' }]));
    fs.writeFileSync(goodFile, csvOf(ROWS));

    await step('sign in and open the import page', async () => {
      await page.goto(`${base}/login?next=/imports`);
      await page.locator('#f-email').fill(ANALYST.email);
      await page.locator('#f-password').fill(ANALYST.password);
      expect(await clickAndLoad(page, page.locator('form[action="/login"] button[type="submit"]'))).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/imports');
      expect(await page.locator('h1').textContent()).toBe('Import events');
    });

    await step('a file with a bad row is refused, naming the line and the reason', async () => {
      await page.locator('input[type="file"][name="file"]').setInputFiles(badFile);
      expect(await clickAndLoad(page, page.locator('form[action="/imports"] button[type="submit"]'))).toBe(422);
      const refused = page.locator('section.conflict');
      expect(await refused.locator('h2').textContent()).toBe('Rows that cannot be imported');
      const row = refused.locator('tbody tr');
      expect(await row.count()).toBe(1);
      expect(await row.locator('td').nth(0).textContent()).toBe('3');
      expect(await row.locator('td').nth(2).textContent()).toContain('2023-02-30 is not a day of the calendar');
      // Nothing to confirm.
      expect(await page.locator('form[action$="/confirm"]').count()).toBe(0);
    });

    await step('the corrected file previews two new events, a new actor and two new sources', async () => {
      await page.goto(`${base}/imports`);
      await page.locator('input[type="file"][name="file"]').setInputFiles(goodFile);
      expect(await clickAndLoad(page, page.locator('form[action="/imports"] button[type="submit"]'))).toBe(200);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain('2 to create, 0 to update, 0 unchanged');
      expect(text).toContain('Actors: browser-test-agency');
      expect(text).toContain(ROWS[0].title);
      expect(text).toContain(ROWS[1].title);
    });

    await step('confirming imports them', async () => {
      expect(await clickAndLoad(page, page.locator('form[action$="/confirm"] button[type="submit"]'))).toBe(200);
      expect(await page.locator('.flash').textContent()).toContain('good.csv: 2 created, 0 updated, 0 unchanged');
    });

    await step('the events are on the timeline, linked to each other', async () => {
      await page.goto(`${base}/vendors/kaspersky-lab?from=2023&to=2023`);
      const articles = page.locator('article.event');
      expect(await articles.count()).toBe(2);
      expect(await page.locator(`article#${ROWS[0].id} h3`).textContent()).toBe(ROWS[0].title);
      expect(await page.locator(`article#${ROWS[1].id} .event-links`).textContent()).toContain(ROWS[0].title);
      await page.screenshot({ path: path.join(dir, 'timeline.png'), fullPage: true });
    });

    expect(problems.filter((p) => !(p.kind === 'console' && /status of 422/.test(p.text)))).toEqual([]);
  });
});
