/**
 * End to end, in a real browser: an analyst signs in, adds an event to the Kaspersky Lab
 * timeline (after one refused attempt), edits it, reads its history and signs out.
 *
 * Needs Chromium at /usr/bin/chromium. Without it the suite only prints a note, unless
 * REQUIRE_BROWSER_TESTS=1 is set, in which case a missing browser is a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server';
import { createTestUser } from '../helpers/users';
import { type BrowserProblem, clickAndLoad, describeBrowserSuite, launchBrowser, step } from '../helpers/browser';
import { openTestDb, testConfig, type TestDb } from '../helpers/testDb';

const ANALYST = { email: 'ana.lyst@example.org', display_name: 'Ana Lyst', role: 'analyst', password: 'correct horse battery staple' };

const VENDOR = { slug: 'kaspersky-lab', name: 'Kaspersky Lab' };
const NEW_EVENT = {
  title: 'Browser test agency warns against Kaspersky Lab products',
  editedTitle: 'Browser test agency withdraws its warning about Kaspersky Lab products',
  summary: 'A made-up agency, invented for the end-to-end test, advises its staff to stop using Kaspersky Lab products.',
  type: 'advisory',
  jurisdiction: 'US',
  invalidDate: '2021-02-29',
  date: '2023-04',
  source: {
    url: 'https://example.org/advisories/2023-04-kaspersky',
    title: 'Advisory on Kaspersky Lab products',
    publisher: 'Example Agency',
    quote: 'Staff should remove Kaspersky Lab products from agency computers by the end of the month.',
  },
};

/** The values of the boxes ticked in a group of checkboxes. */
async function checkedValues(boxes: Locator): Promise<Array<string | null>> {
  return Promise.all((await boxes.locator(':scope:checked').all()).map((o) => o.getAttribute('value')));
}

describeBrowserSuite('analyst flow in Chromium', () => {
  jest.setTimeout(90_000);

  let testDb: TestDb | undefined;
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl: string;
  let screenshotDir: string;
  const problems: BrowserProblem[] = [];

  beforeAll(async () => {
    // Screenshots go to a temporary directory of their own, never into the repository.
    screenshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-browser-'));
    // A copy of the run's demo database; the analyst is created before the server starts,
    // so the server finds a user and prints no first-admin setup link.
    testDb = await openTestDb('sqlite', 'demo');
    await createTestUser(testDb.db, ANALYST);
    running = await startServer(testConfig(testDb.database, { port: 0 }));
    baseUrl = running.url;

    ({ browser, page } = await launchBrowser(problems));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await running?.stop();
    await testDb?.cleanup();
  });

  it('signs in, adds an event with a new source, edits it, reads its history and signs out', async () => {
    const timelineUrl = `${baseUrl}/vendors/${VENDOR.slug}`;
    const eventForm = page.locator('form.event-form');
    const field = (name: string) => eventForm.locator(`[name="${name}"]`).first();
    const boxes = (name: string) => eventForm.locator(`input[type="checkbox"][name="${name}"]`);
    // A link styled as a button (role="button"), so found by its text rather than its role.
    const addEventLink = () => page.locator('a', { hasText: /^\s*Add event\s*$/ });
    let eventPath = '';

    await step('the timeline offers no "Add event" before sign-in', async () => {
      const response = await page.goto(timelineUrl);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').first().textContent()).resolves.toBe(VENDOR.name);
      expect(await addEventLink().count()).toBe(0);
      expect(await page.locator('header.site-header a[href^="/login"]').textContent()).toBe('Sign in');
    });

    await step('sign in', async () => {
      expect((await page.goto(`${baseUrl}/login`))?.status()).toBe(200);
      await page.locator('#f-email').fill(ANALYST.email);
      await page.locator('#f-password').fill(ANALYST.password);
      const status = await clickAndLoad(page, page.locator('form[action="/login"] button[type="submit"]'));
      expect(status).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/');
      const signOut = page.locator('form.nav-logout button[type="submit"]');
      expect(await signOut.textContent()).toContain(`Sign out ${ANALYST.display_name}`);
      expect(await page.locator('header.site-header a[href^="/login"]').count()).toBe(0);
    });

    await step('open the new-event form from the timeline', async () => {
      await page.goto(timelineUrl);
      const addEvent = addEventLink();
      expect(await addEvent.count()).toBe(1);
      expect(await clickAndLoad(page, addEvent)).toBe(200);
      const url = new URL(page.url());
      expect(url.pathname).toBe('/events/new');
      expect(url.searchParams.get('vendor')).toBe(VENDOR.slug);
      expect(await page.locator('h1').textContent()).toBe('New event');
      // The vendor the analyst came from is already chosen.
      expect(await checkedValues(boxes('vendors'))).toEqual([VENDOR.slug]);
    });

    await step('a submission with an impossible date comes back with the error and everything typed', async () => {
      await field('title').fill(NEW_EVENT.title);
      await field('summary').fill(NEW_EVENT.summary);
      await field('type').selectOption(NEW_EVENT.type);
      // Picked from the list of codes with names, so nothing typed can be cut short.
      await field('jurisdiction').selectOption(NEW_EVENT.jurisdiction);
      await field('occurred_on').fill(NEW_EVENT.invalidDate);
      await boxes('vendors')
        .and(page.locator(`[value="${VENDOR.slug}"]`))
        .check();
      await field('citation_source_id').selectOption('');
      await field('citation_url').fill(NEW_EVENT.source.url);
      await field('citation_title').fill(NEW_EVENT.source.title);
      await field('citation_publisher').fill(NEW_EVENT.source.publisher);
      await field('citation_quote').fill(NEW_EVENT.source.quote);

      const status = await clickAndLoad(page, eventForm.locator('button[type="submit"]', { hasText: 'Add event' }));
      expect(status).toBe(422);
      expect(new URL(page.url()).pathname).toBe('/events');
      // The error summary has the focus; its one item names the date field and links to it.
      const summary = page.locator('.error-summary');
      await expect(summary.locator('h2').textContent()).resolves.toContain('nothing was saved');
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
      const item = summary.locator('li a');
      expect(await item.count()).toBe(1);
      expect(await item.getAttribute('href')).toBe('#f-occurred_on');
      expect(await item.textContent()).toContain('Date:');
      // The message sits with the date field, which is marked invalid and points to it.
      const dateInput = page.locator('#f-occurred_on');
      expect(await dateInput.getAttribute('aria-invalid')).toBe('true');
      expect(await dateInput.getAttribute('aria-describedby')).toBe('f-occurred_on-err');
      const dateError = page.locator('label[for="f-occurred_on"] #f-occurred_on-err');
      expect(await dateError.textContent()).toContain(`${NEW_EVENT.invalidDate} is not a day of the calendar`);
      expect(await dateInput.inputValue()).toBe(NEW_EVENT.invalidDate);
      // Nothing else is flagged, and what was typed is still there.
      expect(await page.locator('.field-error').count()).toBe(1);
      expect(await field('title').inputValue()).toBe(NEW_EVENT.title);
      expect(await field('summary').inputValue()).toBe(NEW_EVENT.summary);
      expect(await field('type').inputValue()).toBe(NEW_EVENT.type);
      expect(await field('jurisdiction').inputValue()).toBe(NEW_EVENT.jurisdiction);
      expect(await checkedValues(boxes('vendors'))).toEqual([VENDOR.slug]);
      expect(await field('citation_url').inputValue()).toBe(NEW_EVENT.source.url);
      expect(await field('citation_title').inputValue()).toBe(NEW_EVENT.source.title);
      expect(await field('citation_publisher').inputValue()).toBe(NEW_EVENT.source.publisher);
      expect(await field('citation_quote').inputValue()).toBe(NEW_EVENT.source.quote);
      // Following the summary's link puts the cursor in the date field.
      await item.click();
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('f-occurred_on');
    });

    await step('with the date corrected, the event is saved and shown', async () => {
      await field('occurred_on').fill(NEW_EVENT.date);
      const status = await clickAndLoad(page, eventForm.locator('button[type="submit"]', { hasText: 'Add event' }));
      expect(status).toBe(200);
      eventPath = new URL(page.url()).pathname;
      expect(eventPath).toMatch(new RegExp(`^/events/${NEW_EVENT.date}-`));
      expect(await page.locator('p.flash').textContent()).toBe('Event added.');
      expect(await page.locator('article.event-detail h1').textContent()).toBe(NEW_EVENT.title);
      expect(await page.locator('article.event-detail time.event-date').getAttribute('datetime')).toBe(NEW_EVENT.date);
      expect(await page.locator('article.event-detail p.lead').textContent()).toBe(NEW_EVENT.summary);

      const citation = page.locator('ol.citations > li');
      expect(await citation.count()).toBe(1);
      expect(await citation.locator('blockquote').textContent()).toContain(NEW_EVENT.source.quote);
      expect(await citation.locator('.publisher').textContent()).toBe(`${NEW_EVENT.source.publisher}:`);
      expect(await citation.locator('a[href^="/sources/"]').textContent()).toBe(NEW_EVENT.source.title);
      const outbound = citation.locator('a.outbound');
      expect(await outbound.getAttribute('href')).toBe(NEW_EVENT.source.url);
      expect(await outbound.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await outbound.getAttribute('target')).toBe('_blank');

      await page.screenshot({ path: path.join(screenshotDir, 'event.png'), fullPage: true });
    });

    await step('the event is on the Kaspersky Lab timeline', async () => {
      const breadcrumb = page.locator('nav[aria-label="breadcrumb"] a', { hasText: VENDOR.name });
      expect(await clickAndLoad(page, breadcrumb)).toBe(200);
      expect(new URL(page.url()).pathname).toBe(`/vendors/${VENDOR.slug}`);
      const publicId = decodeURIComponent(eventPath.slice('/events/'.length));
      const card = page.locator(`article.event[id="${publicId}"]`);
      expect(await card.count()).toBe(1);
      expect(await card.locator('h3 a').textContent()).toBe(NEW_EVENT.title);
      expect(await card.locator('h3 a').getAttribute('href')).toBe(eventPath);
      expect(await card.locator(`a.outbound[href="${NEW_EVENT.source.url}"]`).getAttribute('rel')).toBe('noopener noreferrer');
      // Filed under its year.
      expect(await page.locator(`section.year[aria-labelledby="y2023"] article.event[id="${publicId}"]`).count()).toBe(1);
      // A compact list line opens in place to show the event.
      const closedLine = page.locator('details:not([open])', { has: card });
      if (await closedLine.count()) await closedLine.locator(':scope > summary').click();
      expect(await clickAndLoad(page, card.locator('h3 a'))).toBe(200);
      expect(new URL(page.url()).pathname).toBe(eventPath);
    });

    await step('edit the title', async () => {
      expect(await clickAndLoad(page, page.locator('article.event-detail .analyst-actions a', { hasText: 'Edit' }))).toBe(200);
      expect(new URL(page.url()).pathname).toBe(`${eventPath}/edit`);
      expect(await page.locator('h1').textContent()).toBe('Edit event');
      expect(await field('title').inputValue()).toBe(NEW_EVENT.title);
      expect(await field('occurred_on').inputValue()).toBe(NEW_EVENT.date);
      await field('title').fill(NEW_EVENT.editedTitle);
      const status = await clickAndLoad(page, eventForm.locator('button[type="submit"]', { hasText: 'Save changes' }));
      expect(status).toBe(200);
      expect(new URL(page.url()).pathname).toBe(eventPath);
      expect(await page.locator('p.flash').textContent()).toBe('Event saved.');
      expect(await page.locator('article.event-detail h1').textContent()).toBe(NEW_EVENT.editedTitle);
      // The citation survives the edit.
      expect(await page.locator('ol.citations blockquote').textContent()).toContain(NEW_EVENT.source.quote);
    });

    await step('the history shows the creation and the edit', async () => {
      expect(await clickAndLoad(page, page.getByRole('link', { name: 'History', exact: true }))).toBe(200);
      expect(new URL(page.url()).pathname).toBe(`${eventPath}/history`);
      const entries = page.locator('article.history-entry');
      expect(await entries.count()).toBe(2);

      const created = entries.filter({ has: page.locator('header strong', { hasText: /^Created$/ }) });
      expect(await created.count()).toBe(1);
      expect(await created.locator('header').textContent()).toContain(`by ${ANALYST.display_name}`);
      const createdTitle = created.locator('tbody tr', { has: page.locator('th', { hasText: /^title$/ }) });
      expect((await createdTitle.locator('td').allTextContents()).map((t) => t.trim())).toEqual([NEW_EVENT.title]);

      const edited = entries.filter({ has: page.locator('header strong', { hasText: /^Edited$/ }) });
      expect(await edited.count()).toBe(1);
      expect(await edited.locator('header').textContent()).toContain(`by ${ANALYST.display_name}`);
      const editedRows = edited.locator('tbody tr');
      expect(await editedRows.count()).toBe(1); // only the title changed
      expect((await editedRows.locator('th').textContent())?.trim()).toBe('title');
      expect((await editedRows.locator('td').allTextContents()).map((t) => t.trim())).toEqual([NEW_EVENT.title, NEW_EVENT.editedTitle]);

      await page.screenshot({ path: path.join(screenshotDir, 'history.png'), fullPage: true });
    });

    await step('sign out', async () => {
      const status = await clickAndLoad(page, page.locator('form.nav-logout button[type="submit"]'));
      expect(status).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.locator('header.site-header a[href^="/login"]').textContent()).toBe('Sign in');
      expect(await page.locator('form.nav-logout').count()).toBe(0);

      await page.goto(`${baseUrl}/events/new`);
      const url = new URL(page.url());
      expect(url.pathname).toBe('/login');
      expect(url.searchParams.get('next')).toBe('/events/new');
      expect(await page.locator('h1').textContent()).toBe('Sign in');
    });

    process.stdout.write(`screenshots: ${path.join(screenshotDir, 'event.png')} and ${path.join(screenshotDir, 'history.png')}\n`);
    for (const file of ['event.png', 'history.png']) expect(fs.statSync(path.join(screenshotDir, file)).size).toBeGreaterThan(0);
  });

  // Runs after the flow above and checks what the browser reported on every page it visited.
  it('sees no console errors, script errors, CSP violations or failed assets on those pages', () => {
    // Chrome logs any 4xx page as a failed resource; the refused form is meant to come back as 422.
    const refusedForm = (p: BrowserProblem) =>
      p.kind === 'console' && p.source === `${baseUrl}/events` && p.text.includes('the server responded with a status of 422');
    expect(problems.filter(refusedForm)).toHaveLength(1);
    expect(problems.filter((p) => !refusedForm(p))).toEqual([]);
  });
});
