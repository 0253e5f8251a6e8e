import request from 'supertest';
import { createTestUser } from '../helpers/users';
import { type Browser, csrfTokenOf, signedInBrowser } from '../helpers/session';
import { parseHtml, textOf } from '../helpers/dom';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

jest.setTimeout(60000);

const ANA = {
  email: 'ana.fragments@example.org',
  password: 'ana-password-000041',
  display_name: 'Ana Fragments',
  role: 'analyst' as const,
};
const BEN = {
  email: 'ben.fragments@example.org',
  password: 'ben-password-000042',
  display_name: 'Ben Fragments',
  role: 'analyst' as const,
};

const PAGE = '/vendors/kaspersky-lab';
/** One host for every request (supertest listens on a new port each time): the embed code names it. */
const HOST = 'tracker.example';

/** The part of a timeline page kept for every reader: from the filters to the end of the list. */
function sharedPart(html: string): string {
  const from = html.indexOf('<details class="filters"');
  const to = html.indexOf('</main>');
  expect(from).toBeGreaterThan(0);
  expect(to).toBeGreaterThan(from);
  return html.slice(from, to);
}

describeEachDatabase('the kept part of a vendor timeline on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestUser(t.db, ANA);
    await createTestUser(t.db, BEN);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  /** Anonymous, but with a session cookie the app does not know: skips the anonymous page cache. */
  const withCookie = (path: string) => request(t.app).get(path).set('Host', HOST).set('Cookie', 'vpt.sid=not-a-session');
  const as = (browser: Browser, path: string) => browser.get(path).set('Host', HOST);

  test('a change written straight to the database (another process, an import) shows at once, signed in or not', async () => {
    const ana = await signedInBrowser(t.app, ANA);
    const event = await t.db('events').whereNull('deleted_at').orderBy('id').first('id', 'title');
    const before = await as(ana, PAGE);
    expect(before.status).toBe(200);
    expect(before.text).toContain(event.title.replace(/&/g, '&amp;'));
    // Served again from what was kept: the same shared part.
    expect(sharedPart((await as(ana, PAGE)).text)).toBe(sharedPart(before.text));

    await t.db('events').where({ id: event.id }).update({ title: 'A title written by another process' });
    const after = await as(ana, PAGE);
    expect(after.text).toContain('A title written by another process');
    expect((await withCookie(PAGE)).text).toContain('A title written by another process');

    // A change to something an event only points at (a source's title) shows too.
    const citation = await t.db('citations').whereIn('event_id', t.db('event_vendors').select('event_id')).first('source_id');
    await t.db.transaction(async (trx) => {
      await trx('sources').where({ id: citation.source_id }).update({ title: 'A source renamed inside a transaction' });
    });
    expect((await as(ana, PAGE)).text).toContain('A source renamed inside a transaction');
    expect((await withCookie(PAGE)).text).toContain('A source renamed inside a transaction');

    // And the vendor itself.
    await t.db('vendors').where({ slug: 'kaspersky-lab' }).update({ name: 'Kaspersky (renamed)' });
    const renamed = parseHtml((await as(ana, PAGE)).text);
    expect(textOf(renamed, 'h1')).toBe('Kaspersky (renamed)');
    expect(textOf(renamed, 'title')).toContain('Kaspersky (renamed)');
  });

  test('each reader gets their own name and CSRF token around the shared part, never another’s', async () => {
    const ana = await signedInBrowser(t.app, ANA);
    const ben = await signedInBrowser(t.app, BEN);
    const anaPage = (await as(ana, PAGE)).text;
    const benPage = (await as(ben, PAGE)).text;
    const anonymous = (await withCookie(PAGE)).text;

    expect(sharedPart(anaPage)).toBe(sharedPart(benPage));
    expect(sharedPart(anaPage)).toBe(sharedPart(anonymous));

    expect(textOf(parseHtml(anaPage), 'form[action="/logout"] button')).toContain('Ana Fragments');
    expect(textOf(parseHtml(benPage), 'form[action="/logout"] button')).toContain('Ben Fragments');
    expect(benPage).not.toContain('Ana Fragments');
    expect(anaPage).not.toContain('Ben Fragments');
    expect(anonymous).not.toContain('Fragments');
    expect(anonymous).not.toContain('name="_csrf"');

    // Each page carries its own session's token, and that token is the one the session accepts.
    expect(csrfTokenOf(anaPage)).toBe(ana.token);
    expect(csrfTokenOf(benPage)).toBe(ben.token);
    expect(csrfTokenOf(anaPage)).not.toBe(csrfTokenOf(benPage));
    expect(parseHtml(anaPage)('.analyst-actions a')).toHaveLength(3);
    expect(parseHtml(anonymous)('.analyst-actions')).toHaveLength(0);
  });

  test('each filter has its own part, and a bad filter or a missing vendor is an error, never kept', async () => {
    const all = (await withCookie(PAGE)).text;
    const desc = (await withCookie(`${PAGE}?order=desc`)).text;
    expect(sharedPart(desc)).not.toBe(sharedPart(all));
    expect(parseHtml(desc)('select[name="order"] option[value="desc"]').attr('selected')).toBeDefined();
    expect((await withCookie(`${PAGE}?order=sideways`)).status).toBe(400);

    expect((await withCookie('/vendors/kept-later')).status).toBe(404);
    const now = new Date().toISOString();
    await t
      .db('vendors')
      .insert({ slug: 'kept-later', name: 'Kept Later', aliases: '', description: '', version: 1, created_at: now, updated_at: now });
    const later = await withCookie('/vendors/kept-later');
    expect(later.status).toBe(200);
    expect(textOf(parseHtml(later.text), 'h1')).toBe('Kept Later');
  });

  test('a page made from its kept part has an entity tag of its own: 304 while unchanged, a new tag after a change', async () => {
    const ana = await signedInBrowser(t.app, ANA);
    const ben = await signedInBrowser(t.app, BEN);
    const first = await withCookie(PAGE);
    const second = await withCookie(PAGE);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"[^"]+"$/);
    expect(second.headers.etag).toBe(tag);

    const unchanged = await withCookie(PAGE).set('If-None-Match', tag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text ?? '').toBe('');

    // Each reader's shell is their own, and so is the tag.
    const anaTag = (await as(ana, PAGE)).headers.etag as string;
    const benTag = (await as(ben, PAGE)).headers.etag as string;
    expect(new Set([tag, anaTag, benTag]).size).toBe(3);
    expect((await as(ana, PAGE).set('If-None-Match', anaTag)).status).toBe(304);
    expect((await as(ben, PAGE).set('If-None-Match', anaTag)).status).toBe(200);

    // A change to the kept part gives a new tag; the old one no longer matches.
    const event = await t.db('events').whereNull('deleted_at').orderBy('id').first('id');
    await t.db('events').where({ id: event.id }).update({ title: 'A title that changes the tag' });
    const changed = await withCookie(PAGE).set('If-None-Match', tag);
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('A title that changes the tag');
    expect(changed.headers.etag).not.toBe(tag);
    // And another filter is another part.
    expect((await withCookie(`${PAGE}?order=desc`)).headers.etag).not.toBe(changed.headers.etag);
  });

  test('a timeline sent in pieces is the whole page under one Content-Length; HEAD and 304 carry no body', async () => {
    const got = await withCookie(PAGE).buffer(true);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(got.headers['content-length'])).toBe(Buffer.byteLength(got.text));
    expect(got.headers['transfer-encoding']).toBeUndefined();
    expect(got.text.startsWith('<!doctype html>')).toBe(true);
    expect(got.text.trimEnd().endsWith('</html>')).toBe(true);
    expect(got.text).not.toContain('vpt:slot');
    expect(sharedPart(got.text)).toContain('<details class="filters"');

    const head = await request(t.app).head(PAGE).set('Host', HOST).set('Cookie', 'vpt.sid=not-a-session');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(got.headers['content-length']);
    expect(head.headers.etag).toBe(got.headers.etag);
    expect(head.text ?? '').toBe('');

    const unchanged = await withCookie(PAGE).set('If-None-Match', got.headers.etag as string);
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers['content-length']).toBeUndefined();
    expect(unchanged.headers['content-type']).toBeUndefined();
  });

  test('an anonymous timeline goes whole through the page cache: the kept copy is the page that was sent', async () => {
    const anonymous = () => request(t.app).get(`${PAGE}?order=desc`).set('Host', HOST);
    const etagOf = t.app.get('etag fn') as (body: Buffer) => string;
    const miss = await anonymous();
    const hit = await anonymous();
    expect(miss.status).toBe(200);
    expect(hit.text).toBe(miss.text);
    expect(Number(hit.headers['content-length'])).toBe(Buffer.byteLength(hit.text));
    // The cache tags what it keeps with express's own tag of the whole body.
    expect(miss.headers.etag).toBe(etagOf(Buffer.from(miss.text)));
    expect(hit.headers.etag).toBe(miss.headers.etag);
  });

  test('the anonymous page cache serves a kept page under the tag express gives its body, and answers 304 to it', async () => {
    const anonymous = (path: string) => request(t.app).get(path).set('Host', HOST);
    const etagOf = t.app.get('etag fn') as (body: Buffer) => string;
    const miss = await anonymous('/vendors');
    const hit = await anonymous('/vendors');
    expect(hit.text).toBe(miss.text);
    expect(miss.headers.etag).toBe(etagOf(Buffer.from(miss.text)));
    expect(hit.headers.etag).toBe(miss.headers.etag);
    const revalidated = await anonymous('/vendors').set('If-None-Match', hit.headers.etag as string);
    expect(revalidated.status).toBe(304);
    expect(revalidated.text ?? '').toBe('');
    expect((await anonymous('/vendors').set('If-None-Match', 'W/"something-else"')).status).toBe(200);
  });
});
