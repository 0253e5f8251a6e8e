import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { EVENT_CSV_COLUMNS } from '../../src/events/csv';
import { safeNextPath } from '../../src/http/security';
import { nowIso } from '../../src/lib/time';
import { eventIdsOf, fieldValue, parseHtml, textOf } from '../helpers/dom';
import { fieldErrorOf, importConfirmPathOf } from '../helpers/domExtra';
import { anonymousBrowser, type Browser, encodeForm, type FormBody, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { addTestUser, createTestUser } from '../helpers/users';
import { DHS, GSA } from './support';

// A long file: many pages and writes per database, on a shared machine.
jest.setTimeout(60000);

const ANALYST = { email: 'sam@example.org', password: 'analyst-password-0005', display_name: 'Sam Analyst', role: 'analyst' as const };
const ADMIN = { email: 'root@example.org', password: 'admin-password-00006', display_name: 'Rita Admin', role: 'admin' as const };

const HOSTILE_SCRIPT = '<script>alert(1)</script>';
const HOSTILE_IMG = '"><img src=x onerror=alert(1)>';

const TABLES = ['events', 'vendors', 'actors', 'sources', 'citations', 'event_vendors', 'event_links', 'users', 'revisions'];

/**
 * Every link target of a page as the browser reads it: `href` and namespaced `*:href` attributes
 * of real elements, entities decoded (escaped HTML shown as text, such as embed code, is no element).
 */
function hrefs(html: string): string[] {
  const page = parseHtml(html);
  return page('*')
    .toArray()
    .flatMap((el) => Object.entries('attribs' in el ? el.attribs : {}))
    .filter(([name]) => name.toLowerCase() === 'href' || name.toLowerCase().endsWith(':href'))
    .map(([, value]) => value);
}

/** Links that go nowhere but this site or an http(s) address. */
function unsafeHrefs(html: string): string[] {
  return hrefs(html).filter((h) => !/^(\/(?![/\\])|https?:\/\/|\?|#)/i.test(h));
}

/** `<script>` elements that carry their code inline instead of loading it from `src`. */
function inlineScripts(html: string): string[] {
  const page = parseHtml(html);
  return page('script')
    .filter((_, el) => page(el).attr('src') === undefined || page(el).text().trim() !== '')
    .toArray()
    .map((el) => page.html(el));
}

/** Elements with inline event-handler attributes (`onclick=`, `onerror=`...). */
function inlineHandlers(html: string): string[] {
  const page = parseHtml(html);
  return page('*')
    .filter((_, el) => Object.keys('attribs' in el ? el.attribs : {}).some((name) => /^on[a-z]+$/i.test(name)))
    .toArray()
    .map((el) => page.html(el));
}

const fieldError = (html: string, key: string) => fieldErrorOf(parseHtml(html), key);

/** What a refusal page is: the app's own error page with its message, or something else (a stack trace). */
function describeErrorPage(html: string, message: string) {
  const page = parseHtml(html);
  return {
    appErrorPage: page('article.error-page').length > 0,
    message: page('p').filter((_, p) => page(p).text() === message).length > 0,
    // On the bytes: a trace must not be anywhere, in text, comments or attributes.
    stackTrace: /ReferenceError|node_modules|\bat \S+ \(/.test(html),
  };
}

const GOOD_ERROR_PAGE = { appErrorPage: true, message: true, stackTrace: false };

function expectErrorPage(html: string, message: string): void {
  expect(describeErrorPage(html, message)).toEqual(GOOD_ERROR_PAGE);
}

const ONE_LINE_MESSAGE = 'Remove line breaks, control characters and direction overrides.';

/** Spellings of script and data URLs that must never become links. */
const HOSTILE_URLS: Array<[string, string]> = [
  ['plain', 'javascript:alert(1)'],
  ['mixed case', 'JaVaScRiPt:alert(1)'],
  ['upper case', 'JAVASCRIPT:alert(1)'],
  ['leading spaces', '  javascript:alert(1)'],
  ['embedded newline', 'java\nscript:alert(1)'],
  ['embedded tab', 'java\tscript:alert(1)'],
  ['embedded carriage return', 'java\rscript:alert(1)'],
  ['leading control character', '\u0001javascript:alert(1)'],
  ['slashes after the scheme', 'javascript://example.com/%0Aalert(1)'],
  ['entity-encoded', 'javascript&colon;alert(1)'],
  ['vbscript', 'vbscript:msgbox(1)'],
  ['data URL', 'data:text/html,<script>alert(1)</script>'],
  ['base64 data URL', 'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
];

describeEachDatabase('write security on %s', (kind) => {
  let t: TestApp;
  let analyst: Browser;
  let admin: Browser;
  let sourceId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await Promise.all([createTestUser(t.db, ANALYST), createTestUser(t.db, ADMIN)]);
    [analyst, admin] = await Promise.all([signedInBrowser(t.app, ANALYST), signedInBrowser(t.app, ADMIN)]);
    sourceId = Number((await t.db('sources').orderBy('id').first('id')).id);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  async function count(table: string): Promise<number> {
    return Number((await t.db(table).count({ n: '*' }).first())?.n);
  }

  /** Row counts of every table a form writes to, and the state of the demo event the edit and delete forms target. */
  async function dbState() {
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = await count(table);
    const target = await t.db('events').where({ public_id: DHS }).first('title', 'summary', 'version', 'deleted_at', 'updated_at');
    return { counts, target };
  }

  /** A complete, valid new-event form citing a recorded source. */
  function newEventBody(overrides: FormBody = {}): FormBody {
    return {
      title: 'Security test event',
      summary: 'An event posted by the security tests.',
      type: 'advisory',
      jurisdiction: 'US',
      actor: 'us-dhs',
      vendors: ['kaspersky-lab'],
      occurred_on: '2023-01-05',
      effective_on: '',
      link_relation: ['responds-to'],
      link_event: [''],
      citation_source_id: [String(sourceId)],
      citation_url: [''],
      citation_title: [''],
      citation_publisher: [''],
      citation_published_on: [''],
      citation_reliability: [''],
      citation_quote: ['A supporting quote.'],
      citation_locator: [''],
      ...overrides,
    };
  }

  /** The edit form of the DHS demo event as loaded now, with a new title. */
  async function editBody(): Promise<FormBody> {
    const row = await t.db('events').where({ public_id: DHS }).first();
    const vendors = await t
      .db('event_vendors as ev')
      .join('vendors as v', 'v.id', 'ev.vendor_id')
      .where('ev.event_id', row.id)
      .pluck('v.slug');
    const actor = row.actor_id ? (await t.db('actors').where({ id: row.actor_id }).first('slug')).slug : '';
    const citations = await t.db('citations').where({ event_id: row.id }).orderBy('position').select('source_id', 'quote', 'locator');
    return {
      title: 'Edited by the security tests',
      summary: row.summary,
      type: row.type,
      jurisdiction: row.jurisdiction,
      actor,
      vendors,
      occurred_on: row.occurred_on,
      effective_on: row.effective_on ?? '',
      citation_source_id: citations.map((c: { source_id: number }) => String(c.source_id)),
      citation_quote: citations.map((c: { quote: string }) => c.quote),
      citation_locator: citations.map((c: { locator: string }) => c.locator),
      version: String(row.version),
    };
  }

  const vendorBody = (overrides: FormBody = {}): FormBody => ({
    name: 'A Vendor',
    slug: '',
    aliases: '',
    country: '',
    website: '',
    description: '',
    ...overrides,
  });
  const actorBody = (overrides: FormBody = {}): FormBody => ({
    name: 'An Actor',
    slug: '',
    kind: 'government',
    jurisdiction: 'US',
    description: '',
    ...overrides,
  });
  const sourceBody = (overrides: FormBody = {}): FormBody => ({
    title: 'A source',
    url: '',
    publisher: '',
    author: '',
    published_on: '',
    archived_url: '',
    language: '',
    reliability: '',
    body: '',
    ...overrides,
  });

  interface WriteCase {
    label: string;
    path: string;
    as: 'analyst' | 'admin';
    body: () => Promise<FormBody> | FormBody;
  }

  const WRITES: WriteCase[] = [
    { label: 'POST /events', path: '/events', as: 'analyst', body: () => newEventBody() },
    {
      label: 'POST /vendors',
      path: '/vendors',
      as: 'analyst',
      body: () => vendorBody({ name: 'Refused Vendor', slug: 'refused-vendor', country: 'US' }),
    },
    { label: 'POST /actors', path: '/actors', as: 'analyst', body: () => actorBody({ name: 'Refused Actor', slug: 'refused-actor' }) },
    {
      label: 'POST /sources',
      path: '/sources',
      as: 'analyst',
      body: () => sourceBody({ title: 'Refused source', url: 'https://refused.example/article' }),
    },
    { label: 'POST /events/:id', path: `/events/${DHS}`, as: 'analyst', body: editBody },
    { label: 'POST /events/:id/delete', path: `/events/${DHS}/delete`, as: 'analyst', body: () => ({}) },
    {
      label: 'POST /admin/users',
      path: '/admin/users',
      as: 'admin',
      body: () => ({ email: 'refused@example.org', display_name: 'Refused', role: 'admin', password: 'refused-password-123' }),
    },
  ];

  const writer = (w: WriteCase) => (w.as === 'admin' ? admin : analyst);
  const other = (w: WriteCase) => (w.as === 'admin' ? analyst : admin);

  describe('refused writes', () => {
    it.each(WRITES)('$label: anonymous → redirect to sign-in, nothing written', async (w) => {
      const before = await dbState();
      // An anonymous session with a valid token: only the sign-in is missing.
      const anonymous = await anonymousBrowser(t.app);
      const res = await anonymous.post(w.path, await w.body());
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: JSON client without a session → 401 JSON, nothing written', async (w) => {
      const before = await dbState();
      const res = await request(t.app)
        .post(w.path)
        .set('Accept', 'application/json')
        .type('form')
        .send(encodeForm(await w.body()));
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe('sign_in_required');
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: signed in without _csrf → 403 page, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w).post(w.path, await w.body(), { token: null });
      expect(res.status).toBe(403);
      expectErrorPage(res.text, 'This form has expired or did not come from this site. Reload the page and try again.');
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: a token from another session → 403, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w).post(w.path, await w.body(), { token: other(w).token });
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: a made-up token → 403, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w).post(w.path, await w.body(), { token: 'x'.repeat(64) });
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: Origin https://evil.example with a valid token → 403, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w)
        .post(w.path, await w.body())
        .set('Origin', 'https://evil.example');
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it('a write from another site gets the app’s 403 page, for anonymous and signed-in users alike', async () => {
      const body = vendorBody({ name: 'Foreign Vendor', slug: 'foreign-vendor' });
      const anonymous = await anonymousBrowser(t.app);
      const anonymousRes = await anonymous.post('/vendors', body).set('Origin', 'https://evil.example');
      const signedInRes = await analyst.post('/vendors', body).set('Origin', 'https://evil.example');
      const message = 'This request came from another site and was refused.';
      expect({ anonymous: anonymousRes.status, signedIn: signedInRes.status }).toEqual({ anonymous: 403, signedIn: 403 });
      expect({ anonymous: describeErrorPage(anonymousRes.text, message), signedIn: describeErrorPage(signedInRes.text, message) }).toEqual({
        anonymous: GOOD_ERROR_PAGE,
        signedIn: GOOD_ERROR_PAGE,
      });
    });

    it.each(WRITES)('$label: Origin null → 403, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w)
        .post(w.path, await w.body())
        .set('Origin', 'null');
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: a foreign Referer (no Origin) → 403, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w)
        .post(w.path, await w.body())
        .set('Referer', 'https://evil.example/page');
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it('an Origin that differs only in scheme or port is foreign too', async () => {
      const before = await dbState();
      for (const origin of ['https://tracker.test', 'http://tracker.test:8080', 'http://evil.tracker.test']) {
        const res = await analyst
          .post('/vendors', vendorBody({ name: 'Refused Vendor', slug: 'refused-vendor' }))
          .set('Host', 'tracker.test')
          .set('Origin', origin);
        expect(res.status).toBe(403);
      }
      expect(await dbState()).toEqual(before);
    });

    it('a body over the size limit → 413, nothing written', async () => {
      const before = await dbState();
      const res = await analyst.post('/events', newEventBody({ summary: 'x'.repeat(250 * 1024) }));
      expect(res.status).toBe(413);
      expect(await dbState()).toEqual(before);
    });

    it('more fields than the limit → 413, nothing written', async () => {
      const before = await dbState();
      const extra: FormBody = {};
      for (let i = 0; i < 420; i++) extra[`f${i}`] = '1';
      const res = await analyst.post('/vendors', vendorBody({ name: 'Many Fields Vendor', slug: 'many-fields-vendor', ...extra }));
      expect(res.status).toBe(413);
      expect(await dbState()).toEqual(before);
    });
  });

  describe('accepted writes (the same requests, done right)', () => {
    it('every write above succeeds with a session, its token and no foreign origin', async () => {
      for (const w of WRITES) {
        const before = await dbState();
        const res = await writer(w).post(w.path, await w.body());
        expect({ write: w.label, status: res.status }).toEqual({ write: w.label, status: 303 });
        expect(await dbState()).not.toEqual(before);
      }
      expect(await t.db('vendors').where({ slug: 'refused-vendor' }).first()).toBeDefined();
      expect((await t.db('events').where({ public_id: DHS }).first()).deleted_at).not.toBeNull();
    });

    it('a same-origin Origin header is accepted', async () => {
      const res = await analyst
        .post('/vendors', vendorBody({ name: 'Same Origin Vendor', slug: 'same-origin-vendor' }))
        .set('Host', 'tracker.test')
        .set('Origin', 'http://tracker.test');
      expect(res.status).toBe(303);
      expect(await t.db('vendors').where({ slug: 'same-origin-vendor' }).first()).toBeDefined();
    });
  });

  describe('scripts', () => {
    const PAGES = [
      '/',
      '/vendors',
      '/vendors/kaspersky-lab',
      `/events/${GSA}`,
      `/events/${GSA}/history`,
      '/actors',
      '/actors/us-gsa',
      '/login',
      '/no-such-page',
    ];
    const ANALYST_PAGES = [
      '/events/new',
      `/events/${GSA}/edit`,
      '/vendors/new',
      '/actors/new',
      '/sources/new',
      '/trash',
      '/vendors/kaspersky-lab/edit',
      '/actors/us-gsa/edit',
    ];

    it('every page has a Content-Security-Policy whose script-src has no unsafe-inline', async () => {
      for (const path of [...PAGES, ...ANALYST_PAGES, `/sources/${sourceId}`, '/events.csv']) {
        const res = await analyst.get(path);
        const csp = res.headers['content-security-policy'] as string;
        expect(csp).toBeDefined();
        const directives = new Map(
          csp
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .map(([name, ...values]) => [name, values]),
        );
        const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
        expect(scriptSrc).toBeDefined();
        expect(scriptSrc).not.toContain("'unsafe-inline'");
        expect(scriptSrc).not.toContain("'unsafe-eval'");
        expect(scriptSrc).not.toContain('*');
        expect(directives.get('script-src-attr') ?? ["'none'"]).toEqual(["'none'"]);
      }
    });

    it('no page carries inline script or inline event handlers', async () => {
      for (const path of [...PAGES, `/sources/${sourceId}`]) {
        const res = await request(t.app).get(path);
        expect({ path, inline: inlineScripts(res.text), handlers: inlineHandlers(res.text) }).toEqual({ path, inline: [], handlers: [] });
      }
      for (const path of ANALYST_PAGES) {
        const res = await analyst.get(path);
        expect(res.status).toBe(200);
        expect({ path, inline: inlineScripts(res.text), handlers: inlineHandlers(res.text) }).toEqual({ path, inline: [], handlers: [] });
      }
      // The event form's own script is loaded from a file.
      const form = await analyst.get('/events/new');
      const formScript = parseHtml(form.text)('script[src="/assets/event-form.js"]');
      expect(formScript).toHaveLength(1);
      expect(formScript.attr('defer')).toBeDefined();
      expect(formScript.text()).toBe('');
      // So is a form sent back with errors.
      const invalid = await analyst.post('/events', newEventBody({ title: '' }));
      expect(invalid.status).toBe(422);
      expect(inlineScripts(invalid.text)).toEqual([]);
      const admins = await admin.get('/admin/users');
      expect(inlineScripts(admins.text)).toEqual([]);
    });
  });

  describe('hostile text', () => {
    let publicId: string;

    beforeAll(async () => {
      const vendor = await analyst.post(
        '/vendors',
        vendorBody({
          name: `${HOSTILE_SCRIPT} Vendor`,
          slug: 'hostile-vendor',
          aliases: HOSTILE_IMG,
          website: 'https://hostile.example/',
          description: `${HOSTILE_IMG} description`,
        }),
      );
      expect(vendor.status).toBe(303);
      const event = await analyst.post(
        '/events',
        newEventBody({
          title: `${HOSTILE_SCRIPT} event title`,
          summary: `${HOSTILE_IMG} summary`,
          vendors: ['hostile-vendor'],
          occurred_on: '2023-02-03',
          citation_source_id: [''],
          citation_url: ['https://hostile.example/article'],
          citation_title: [`${HOSTILE_SCRIPT} source title`],
          citation_publisher: [HOSTILE_IMG],
          citation_quote: [`${HOSTILE_IMG} quote`],
          citation_locator: [HOSTILE_SCRIPT],
        }),
      );
      expect(event.status).toBe(303);
      publicId = decodeURIComponent(String(event.headers.location).replace(/^\/events\//, ''));
    });

    // Escaping is checked on the bytes (no hostile tag in the markup) and in the DOM (no script,
    // no handler); that the text is shown is checked in the DOM's text, where it reads as typed.
    function expectEscaped(html: string) {
      expect(html).not.toContain(HOSTILE_SCRIPT);
      expect(html).not.toMatch(/<img[^>]*onerror/i);
      expect(inlineScripts(html)).toEqual([]);
      expect(inlineHandlers(html)).toEqual([]);
    }

    const shown = (html: string): string => textOf(parseHtml(html));

    it('is shown as text on the event page', async () => {
      const res = await request(t.app).get(`/events/${encodeURIComponent(publicId)}`);
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(shown(res.text)).toContain(`${HOSTILE_SCRIPT} event title`);
      expect(shown(res.text)).toContain(`${HOSTILE_IMG} summary`);
      expect(shown(res.text)).toContain(`${HOSTILE_SCRIPT} source title`);
      expect(shown(res.text)).toContain(`${HOSTILE_IMG} quote`);
      expect(shown(res.text)).toContain(`${HOSTILE_SCRIPT} Vendor`);
    });

    it('is shown as text on the vendor timeline and the vendor list', async () => {
      const res = await request(t.app).get('/vendors/hostile-vendor');
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(eventIdsOf(parseHtml(res.text))).toEqual([publicId]);
      expect(shown(res.text)).toContain(`${HOSTILE_SCRIPT} Vendor`);
      expect(shown(res.text)).toContain(`${HOSTILE_SCRIPT} event title`);
      expect(shown(res.text)).toContain(`${HOSTILE_IMG} description`);
      for (const path of ['/', '/vendors']) {
        const page = await request(t.app).get(path);
        expectEscaped(page.text);
        expect(shown(page.text)).toContain(`${HOSTILE_SCRIPT} Vendor`);
      }
    });

    it('is shown as text in the history', async () => {
      const res = await request(t.app).get(`/events/${encodeURIComponent(publicId)}/history`);
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(shown(res.text)).toContain(`${HOSTILE_SCRIPT} event title`);
      expect(shown(res.text)).toContain(`${HOSTILE_IMG} summary`);
    });

    it('is shown as text on the source page and in the edit form', async () => {
      const source = await t.db('sources').where({ url: 'https://hostile.example/article' }).first('id');
      const page = await request(t.app).get(`/sources/${source.id}`);
      expectEscaped(page.text);
      expect(shown(page.text)).toContain(`${HOSTILE_SCRIPT} source title`);
      const form = await analyst.get(`/events/${encodeURIComponent(publicId)}/edit`);
      expect(form.status).toBe(200);
      expectEscaped(form.text);
      expect(fieldValue(parseHtml(form.text), 'title')).toBe(`${HOSTILE_SCRIPT} event title`);
    });

    it('comes back unchanged, as data, in the CSV export', async () => {
      for (const path of ['/events.csv', '/vendors/hostile-vendor/events.csv']) {
        const res = await request(t.app).get(path);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expect(res.headers['content-disposition']).toMatch(/^attachment;/);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        const rows = parse(res.text, { columns: true }) as Array<Record<string, string>>;
        const row = rows.find((r) => r.id === publicId);
        expect(row).toBeDefined();
        expect(row!.title).toBe(`${HOSTILE_SCRIPT} event title`);
        expect(row!.summary).toBe(`${HOSTILE_IMG} summary`);
        expect(row!.source_titles).toBe(`${HOSTILE_SCRIPT} source title`);
      }
    });
  });

  describe('script and data URLs', () => {
    function expectNoScriptLinks(html: string, typed: string) {
      expect(unsafeHrefs(html)).toEqual([]);
      expect(hrefs(html)).not.toContain(typed.trim());
    }

    it.each(HOSTILE_URLS)('the source form refuses a %s (%j) with 422', async (_name, url) => {
      const before = await dbState();
      const res = await analyst.post('/sources', sourceBody({ title: 'A source with a bad address', url }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'url')).toMatch(/^(Not accepted|Remove)/);
      expectNoScriptLinks(res.text, url);
      expect(await dbState()).toEqual(before);
    });

    it.each(HOSTILE_URLS)('the source form refuses a %s (%j) as the archived copy', async (_name, url) => {
      const before = await dbState();
      const res = await analyst.post(
        '/sources',
        sourceBody({ title: 'A source with a bad archive', url: 'https://fine.example/archived-test', archived_url: url }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'archived_url')).toMatch(/^(Not accepted|Remove)/);
      expect(await dbState()).toEqual(before);
    });

    it.each(HOSTILE_URLS)('the event form refuses a %s (%j) as a new source’s address', async (_name, url) => {
      const before = await dbState();
      const res = await analyst.post(
        '/events',
        newEventBody({
          title: 'Event citing a bad address',
          occurred_on: '2023-03-04',
          citation_source_id: [''],
          citation_url: [url],
          citation_title: ['New source with a bad address'],
        }),
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'citations.0.url')).toMatch(/^(Not accepted|Remove)/);
      expectNoScriptLinks(res.text, url);
      expect(await dbState()).toEqual(before);
    });

    it.each(HOSTILE_URLS)('the vendor form refuses a %s (%j) as the website', async (_name, url) => {
      const before = await dbState();
      const res = await analyst.post('/vendors', vendorBody({ name: 'Vendor With Bad Website', slug: 'bad-website-vendor', website: url }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'website')).toMatch(/^(Not accepted|Remove)/);
      expectNoScriptLinks(res.text, url);
      expect(await dbState()).toEqual(before);
    });

    it('a script URL already in the database is never rendered as a link', async () => {
      // As if it had come in some other way than the forms (an old import, a manual fix).
      const now = nowIso();
      await t.db('sources').insert({
        url: 'javascript:alert(1)',
        title: 'Source stored with a script address',
        publisher: 'Legacy',
        author: '',
        version: 1,
        created_at: now,
        updated_at: now,
      });
      const legacy = await t.db('sources').where({ title: 'Source stored with a script address' }).first('id');
      await t.db('vendors').where({ slug: 'kaspersky-lab' }).update({ website: 'JavaScript:alert(document.cookie)' });
      const res = await analyst.post(
        '/events',
        newEventBody({ title: 'Event citing a legacy source', occurred_on: '2023-04-05', citation_source_id: [String(legacy.id)] }),
      );
      expect(res.status).toBe(303);
      const eventPath = String(res.headers.location);
      for (const path of [eventPath, `/sources/${legacy.id}`, '/vendors/kaspersky-lab']) {
        const page = await request(t.app).get(path);
        expect(page.status).toBe(200);
        expect({ path, unsafe: unsafeHrefs(page.text) }).toEqual({ path, unsafe: [] });
      }
      await t.db('vendors').where({ slug: 'kaspersky-lab' }).update({ website: 'https://www.kaspersky.com/' });
    });
  });

  describe('one-line fields', () => {
    const CASES: Array<[string, string, () => FormBody, string]> = [
      [
        'a right-to-left override in a vendor name',
        '/vendors',
        () => vendorBody({ name: 'Evil\u202Egnp.exe', slug: 'bidi-vendor' }),
        'name',
      ],
      ['a line break in a vendor name', '/vendors', () => vendorBody({ name: 'Two\nLines', slug: 'two-lines-vendor' }), 'name'],
      [
        'a left-to-right isolate in an actor name',
        '/actors',
        () => actorBody({ name: 'Actor \u2066hidden\u2069', slug: 'bidi-actor' }),
        'name',
      ],
      ['a bell character in a source title', '/sources', () => sourceBody({ title: 'Ding\u0007 dong' }), 'title'],
      ['a tab in a source publisher', '/sources', () => sourceBody({ title: 'A fine title', publisher: 'Tab\there' }), 'publisher'],
      ['a right-to-left override in an event title', '/events', () => newEventBody({ title: 'Invoice \u202Efdp.exe' }), 'title'],
      ['a line break in an event title', '/events', () => newEventBody({ title: 'First line\nsecond line' }), 'title'],
      ['a C1 control in an event title', '/events', () => newEventBody({ title: 'Control \u0085 character' }), 'title'],
      [
        'a right-to-left override in a citation locator',
        '/events',
        () => newEventBody({ citation_locator: ['page \u202E3'] }),
        'citations.0.locator',
      ],
    ];

    it.each(CASES)('refuse %s with 422 and a message beside the field', async (_name, path, body, field) => {
      const before = await dbState();
      const res = await analyst.post(path, body());
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toBe(ONE_LINE_MESSAGE);
      expect(await dbState()).toEqual(before);
    });

    it('multi-line fields keep line breaks but refuse direction overrides', async () => {
      const before = await dbState();
      const refused = await analyst.post('/events', newEventBody({ summary: 'Looks harmless \u202Eesrever' }));
      expect(refused.status).toBe(422);
      expect(fieldError(refused.text, 'summary')).toBe('Remove control characters and direction overrides.');
      expect(await dbState()).toEqual(before);

      const saved = await analyst.post(
        '/events',
        newEventBody({ title: 'Event with a two-line summary', occurred_on: '2023-05-06', summary: 'First line\r\nsecond line' }),
      );
      expect(saved.status).toBe(303);
      const row = await t.db('events').where({ title: 'Event with a two-line summary' }).first('summary');
      expect(row.summary).toBe('First line\nsecond line');
    });
  });

  describe('Unicode normalisation', () => {
    it('stores text in NFC, so e + combining accent is read back as é', async () => {
      const vendor = await analyst.post(
        '/vendors',
        vendorBody({ name: 'Cafe\u0301 Se\u0301curite\u0301', slug: 'cafe-securite', aliases: 'Re\u0301seau', description: 'Ma\u0300j' }),
      );
      expect(vendor.status).toBe(303);
      const v = await t.db('vendors').where({ slug: 'cafe-securite' }).first('name', 'aliases', 'description');
      expect(v.name).toBe('Caf\u00e9 S\u00e9curit\u00e9');
      expect(v.aliases).toContain('R\u00e9seau');
      expect(v.description).toBe('M\u00e0j');

      const event = await analyst.post(
        '/events',
        newEventBody({
          title: 'Re\u0301sume\u0301 of the event',
          summary: 'nai\u0308ve',
          occurred_on: '2023-06-07',
          citation_quote: ['e\u0301te\u0301'],
        }),
      );
      expect(event.status).toBe(303);
      const e = await t.db('events').where({ title: 'R\u00e9sum\u00e9 of the event' }).first('id', 'summary');
      expect(e).toBeDefined();
      expect(e.summary).toBe('na\u00efve');
      const c = await t.db('citations').where({ event_id: e.id }).first('quote');
      expect(c.quote).toBe('\u00e9t\u00e9');
    });
  });
});

/** Tricks that must never send the browser off this site after sign-in. */
const OFF_SITE_NEXT: string[] = [
  '/.//evil.example',
  '/..//evil.example',
  '/%2e//evil.example',
  '/%2E//evil.example',
  '/a/..//evil.example',
  '/a/b/../..//evil.example',
  '/%2e%2e//x',
  '/.%2e//x',
  '/a/%2e%2e//evil.example',
  '/././/evil.example',
  '/%2f/evil.example',
  '/%2F%2Fevil.example',
  '/%5c/evil.example',
  '/%5Cevil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/.\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '//evil.example/path?x=1#y',
  '//@evil.example',
  'evil.example',
  '%2f%2fevil.example',
  'http://evil.example',
  'https://evil.example/',
  'HTTP://evil.example',
  'http:evil.example',
  'javascript:alert(1)',
  ' javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  ' /vendors',
  '',
];

/** Paths on this site, with their query and fragment, that must survive as they are (or as a browser resolves them). */
const ON_SITE_NEXT: Array<[string, string]> = [
  ['/', '/'],
  ['/vendors/kaspersky-lab', '/vendors/kaspersky-lab'],
  ['/vendors/kaspersky-lab?type=ban&from=2017#y2018', '/vendors/kaspersky-lab?type=ban&from=2017#y2018'],
  ['/search?q=a%2Fb%5Cc', '/search?q=a%2Fb%5Cc'],
  ['/events/2017-09-13-dhs-bod-17-01-orders-removal#citations', '/events/2017-09-13-dhs-bod-17-01-orders-removal#citations'],
  ['/reports/events?columns=id,title&vendor=kaspersky-lab', '/reports/events?columns=id,title&vendor=kaspersky-lab'],
  ['/search?q=caf%C3%A9', '/search?q=caf%C3%A9'],
  ['/search?q=//evil.example', '/search?q=//evil.example'],
  ['/login?next=%2Fvendors', '/login?next=%2Fvendors'],
  ['/vendors/x/../kaspersky-lab', '/vendors/kaspersky-lab'],
];

describe('safeNextPath', () => {
  it.each(OFF_SITE_NEXT.map((v) => [v]))('sends %j to /', (value) => {
    expect(safeNextPath(value)).toBe('/');
  });

  it.each(ON_SITE_NEXT)('keeps %j as %j', (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  it.each([[undefined], [null], [42], [['/vendors']], [{ path: '/vendors' }], [`/${'a'.repeat(2001)}`]])(
    'sends %j (not a short string) to /',
    (value) => {
      expect(safeNextPath(value)).toBe('/');
    },
  );

  it('returns only paths that a browser resolves on this site, whatever it is given', () => {
    const base = 'https://tracker.example';
    for (const value of [...OFF_SITE_NEXT, ...ON_SITE_NEXT.map(([v]) => v)]) {
      const out = safeNextPath(value);
      // What a browser does with Location: tabs and line breaks dropped, backslashes read as slashes.
      const resolved = new URL(out.replace(/[\t\n\r]/g, '').replace(/\\/g, '/'), base);
      expect({ value, origin: resolved.origin }).toEqual({ value, origin: base });
      expect(out).toMatch(/^\/(?![/\\])/);
    }
  });
});

describeEachDatabase('sign-in redirect on %s', (kind) => {
  const USER = { email: 'next@example.org', password: 'next-password-000001', display_name: 'Nell Next', role: 'analyst' as const };
  let t: TestApp;
  let signedIn: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    await addTestUser(t, USER);
    signedIn = await signedInBrowser(t.app, USER);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  /** Signs in from a fresh browser with `next` in the form, as the sign-in page posts it. */
  async function signInWithNext(next: string) {
    const browser = await anonymousBrowser(t.app);
    return browser.post('/login', { email: USER.email, password: USER.password, next });
  }

  // A NUL is refused before anything else (400), so the HTTP cases leave it to its own test.
  const OFF_SITE_HTTP = OFF_SITE_NEXT.filter((v) => !v.includes('\u0000'));

  it('a next holding a NUL is refused with 400 and sends nobody anywhere', async () => {
    const res = await signInWithNext('/\u0000/evil.example');
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  it.each(OFF_SITE_HTTP.map((v) => [v]))('a sign-in with next=%j goes to /', async (next) => {
    const res = await signInWithNext(next);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it.each(ON_SITE_NEXT)('a sign-in with next=%j goes to %j', async (next, expected) => {
    const res = await signInWithNext(next);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(expected);
  });

  it.each(OFF_SITE_HTTP.map((v) => [v]))('the sign-in page, already signed in, with next=%j goes to /', async (next) => {
    const res = await signedIn.get(`/login?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('the sign-in page puts only a safe next into its form', async () => {
    for (const next of ['/.//evil.example', '/a/..//evil.example', '/%2e//evil.example']) {
      const res = await request(t.app).get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(200);
      expect(parseHtml(res.text)('input[type="hidden"][name="next"]').attr('value')).toBe('/');
    }
  });
});

/** Log lines of an app, parsed, for checking levels. */
function capturingApp(t: TestApp): { app: Express; lines: Array<{ level: number; msg?: string; code?: string }> } {
  const lines: Array<{ level: number; msg?: string; code?: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = createApp({ db: t.db, config: t.config, logger: pino({ level: 'info' }, stream) });
  return { app, lines };
}

const WARN = 40;
const ERROR = 50;
const BOUNDARY = 'vptTestBoundary7MA4YWxkTrZu0gW';

/** A raw multipart body with the given text fields, and a file part when asked. */
function multipartBody(fields: Record<string, string>, file?: { name: string; content: string }, boundary = BOUNDARY): string {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  if (file)
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`,
    );
  return `${parts.join('')}--${boundary}--\r\n`;
}

describeEachDatabase('body types and CSRF on %s', (kind) => {
  const ANALYST = { email: 'bodies@example.org', password: 'bodies-password-00001', display_name: 'Bo Dies', role: 'analyst' as const };
  const ADMIN = { email: 'bodies-admin@example.org', password: 'bodies-password-00002', display_name: 'Bea Admin', role: 'admin' as const };
  let t: TestApp;
  let app: Express;
  let lines: Array<{ level: number; msg?: string; code?: string }>;
  let analyst: Browser;
  let admin: Browser;
  let adminId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    ({ app, lines } = capturingApp(t));
    await addTestUser(t, ANALYST);
    adminId = (await addTestUser(t, ADMIN)).id;
    [analyst, admin] = await Promise.all([signedInBrowser(app, ANALYST), signedInBrowser(app, ADMIN)]);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const multipart = (b: Browser, path: string, fields: Record<string, string>) =>
    b.agent.post(path).set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(multipartBody(fields));

  async function state() {
    const events = await t.db('events').orderBy('id').select('public_id', 'title', 'version', 'deleted_at');
    const batches = await t.db('import_batches').count({ n: '*' }).first();
    return { events, batches: Number(batches?.n) };
  }

  async function stillSignedIn(b: Browser): Promise<boolean> {
    return (await b.get('/trash')).status === 200;
  }

  const IMPORT_ROW: Record<string, string> = {
    id: 'bodies-2021-01-15-advisory',
    occurred_on: '2021-01-15',
    date_precision: 'day',
    effective_on: '',
    vendors: 'kaspersky-lab',
    jurisdiction: 'US',
    actor: 'us-dhs',
    affected: '',
    type: 'advisory',
    title: 'An advisory brought in by the body-type test',
    summary: 'Made up.',
    responds_to: '',
    source_titles: 'Body-type test article',
    source_urls: 'https://bodies.example/advisory',
    updated_at: '',
  };
  const IMPORT_FILE = `${EVENT_CSV_COLUMNS.join(',')}\r\n${EVENT_CSV_COLUMNS.map((c) => IMPORT_ROW[c]).join(',')}\r\n`;

  describe('a signed-in analyst’s multipart write without _csrf is refused and changes nothing (issue 7 item 3)', () => {
    it('POST /events/:id/delete', async () => {
      const before = await state();
      const res = await multipart(analyst, `/events/${DHS}/delete`, { note: 'x' });
      expect(res.status).toBe(415);
      expect(await state()).toEqual(before);
    });

    it('POST /events/:id/restore', async () => {
      const deleted = await analyst.post(`/events/${GSA}/delete`);
      expect(deleted.status).toBe(303);
      const before = await state();
      const res = await multipart(analyst, `/events/${GSA}/restore`, { note: 'x' });
      expect(res.status).toBe(415);
      expect(await state()).toEqual(before);
      expect((await t.db('events').where({ public_id: GSA }).first('deleted_at')).deleted_at).not.toBeNull();
    });

    it('POST /imports/:token/confirm', async () => {
      const preview = await analyst.agent
        .post('/imports')
        .field('_csrf', analyst.token!)
        .attach('file', Buffer.from(IMPORT_FILE), { filename: 'bodies.csv', contentType: 'text/csv' });
      expect(preview.status).toBe(200);
      const confirm = importConfirmPathOf(parseHtml(preview.text)) ?? '';
      expect(confirm).toMatch(/^\/imports\/.+\/confirm$/);
      const before = await state();
      for (const fields of [{ note: 'x' }, { _csrf: analyst.token! }] as Array<Record<string, string>>) {
        const res = await multipart(analyst, confirm, fields);
        expect(res.status).toBe(415);
      }
      expect(await state()).toEqual(before);
      expect(await t.db('events').where({ public_id: IMPORT_ROW.id }).first()).toBeUndefined();
      // The same confirmation as the form sends it goes through: the refusal was the body, not the address.
      const ok = await analyst.post(confirm);
      expect(ok.status).toBe(303);
      expect(await t.db('events').where({ public_id: IMPORT_ROW.id }).first()).toBeDefined();
    });

    it('POST /logout', async () => {
      const res = await multipart(analyst, '/logout', { note: 'x' });
      expect(res.status).toBe(415);
      expect(await stillSignedIn(analyst)).toBe(true);
    });

    it('the upload route takes multipart, but not without its token: 403, nothing kept', async () => {
      const before = await state();
      const res = await analyst.agent.post('/imports').attach('file', Buffer.from(IMPORT_FILE.replace(/bodies-2021/g, 'other-2021')), {
        filename: 'bodies.csv',
        contentType: 'text/csv',
      });
      expect(res.status).toBe(403);
      expect(await state()).toEqual(before);
    });
  });

  describe('bodies of a type a write does not take get 415, token or not', () => {
    const TYPES: Array<[string, (token: string) => { type: string; body: string }]> = [
      [
        'multipart with a valid token',
        (token) => ({ type: `multipart/form-data; boundary=${BOUNDARY}`, body: multipartBody({ _csrf: token }) }),
      ],
      ['JSON with a valid token', (token) => ({ type: 'application/json', body: JSON.stringify({ _csrf: token }) })],
      ['text/plain with a valid token', (token) => ({ type: 'text/plain', body: `_csrf=${token}` })],
      ['XML', () => ({ type: 'application/xml', body: '<a/>' })],
    ];

    it.each(TYPES)('%s to POST /events/:id/delete and POST /logout: 415, nothing changed', async (_name, make) => {
      const before = await state();
      for (const path of [`/events/${DHS}/delete`, '/logout']) {
        const { type, body } = make(analyst.token!);
        const res = await analyst.agent.post(path).set('Content-Type', type).send(body);
        expect({ path, status: res.status }).toEqual({ path, status: 415 });
      }
      expect(await state()).toEqual(before);
      expect(await stillSignedIn(analyst)).toBe(true);
    });

    it('a body with no Content-Type: 415; no body at all: 403 (no token)', async () => {
      const before = await state();
      const untyped = await analyst.agent
        .post(`/events/${DHS}/delete`)
        .set('Content-Type', '')
        .send(Buffer.from(`_csrf=${analyst.token}`));
      expect(untyped.status).toBe(415);
      const empty = await analyst.agent.post(`/events/${DHS}/delete`);
      expect(empty.status).toBe(403);
      expect(await state()).toEqual(before);
    });
  });

  describe('multipart posts to the ordinary forms: 415 with a clear message, logged as a warning (issue 7 item 7)', () => {
    const SIGNED_IN: Array<[string, 'analyst' | 'admin', () => string]> = [
      ['/vendors', 'analyst', () => '/vendors'],
      ['/vendors/:slug', 'analyst', () => '/vendors/kaspersky-lab'],
      ['/actors', 'analyst', () => '/actors'],
      ['/actors/:slug', 'analyst', () => '/actors/us-dhs'],
      ['/sources', 'analyst', () => '/sources'],
      ['/sources/:id', 'analyst', () => '/sources/1'],
      ['/events', 'analyst', () => '/events'],
      ['/events/:id', 'analyst', () => `/events/${DHS}`],
      ['/admin/users', 'admin', () => '/admin/users'],
      ['/admin/users/:id/role', 'admin', () => `/admin/users/${adminId}/role`],
      ['/admin/users/:id/disabled', 'admin', () => `/admin/users/${adminId}/disabled`],
    ];

    it.each(SIGNED_IN)('POST %s signed in', async (_label, as, path) => {
      const b = as === 'admin' ? admin : analyst;
      const mark = lines.length;
      const res = await multipart(b, path(), {
        _csrf: b.token!,
        name: 'Multipart Vendor',
        title: 'x',
        role: 'analyst',
        disabled: 'true',
      }).set('Accept', 'text/html');
      expect(res.status).toBe(415);
      expect(textOf(parseHtml(res.text))).toContain(
        'This address takes an ordinary form (application/x-www-form-urlencoded); a multipart/form-data body is not accepted.',
      );
      const logged = lines.slice(mark);
      expect(logged.filter((l) => l.level >= ERROR)).toEqual([]);
      expect(logged.some((l) => l.level === WARN && l.code === 'unsupported_body')).toBe(true);
    });

    it.each([['/login'], ['/setup']])('POST %s anonymously', async (path) => {
      const browser = await anonymousBrowser(app);
      const mark = lines.length;
      const res = await multipart(browser, path, {
        _csrf: browser.token!,
        email: 'x@example.org',
        password: 'whatever-password-1',
        token: 'x',
      });
      expect(res.status).toBe(415);
      expect(textOf(parseHtml(res.text))).toContain('a multipart/form-data body is not accepted');
      expect(lines.slice(mark).filter((l) => l.level >= ERROR)).toEqual([]);
      expect(lines.slice(mark).some((l) => l.level === WARN)).toBe(true);
    });
  });

  describe('malformed uploads to /imports: 400 or 415, logged as a warning (issue 7 item 7)', () => {
    const CASES: Array<[string, () => { headers: Record<string, string>; body: string | Buffer }, number]> = [
      [
        'a body cut short',
        () => ({
          headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
          body: multipartBody({ _csrf: analyst.token! }, { name: 'a.csv', content: IMPORT_FILE }).slice(0, -60),
        }),
        400,
      ],
      [
        'no boundary',
        () => ({
          headers: { 'Content-Type': 'multipart/form-data' },
          body: multipartBody({ _csrf: analyst.token! }, { name: 'a.csv', content: IMPORT_FILE }),
        }),
        400,
      ],
      [
        'an empty boundary',
        () => ({
          headers: { 'Content-Type': 'multipart/form-data; boundary=' },
          body: multipartBody({ _csrf: analyst.token! }, { name: 'a.csv', content: IMPORT_FILE }),
        }),
        400,
      ],
      [
        'another boundary than the body’s',
        () => ({
          headers: { 'Content-Type': 'multipart/form-data; boundary=somethingElse' },
          body: multipartBody({ _csrf: analyst.token! }, { name: 'a.csv', content: IMPORT_FILE }),
        }),
        400,
      ],
      [
        'garbage after the header',
        () => ({
          headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
          body: `--${BOUNDARY}\r\nnot a header line\r\n\r\nx`,
        }),
        400,
      ],
      [
        'Content-Encoding: gzip',
        () => ({
          headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Encoding': 'gzip' },
          body: gzipSync(multipartBody({ _csrf: analyst.token! }, { name: 'a.csv', content: IMPORT_FILE })),
        }),
        415,
      ],
    ];

    it.each(CASES)('%s', async (_name, make, status) => {
      const before = await state();
      const { headers, body } = make();
      const mark = lines.length;
      const req = analyst.agent.post('/imports');
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      const res = await req.send(body);
      expect(res.status).toBe(status);
      expect(textOf(parseHtml(res.text))).toMatch(/upload could not be read|without Content-Encoding/);
      const logged = lines.slice(mark);
      expect(logged.filter((l) => l.level >= ERROR)).toEqual([]);
      expect(logged.some((l) => l.level === WARN)).toBe(true);
      expect(await state()).toEqual(before);
    });
  });
});

describeEachDatabase('formula neutralisation in every CSV on %s (issue 7 item 5)', (kind) => {
  const ANALYST = { email: 'csv@example.org', password: 'csv-password-0000001', display_name: 'Cass Vee', role: 'analyst' as const };
  const TITLE = '\u200B=HYPERLINK("http://evil.example","click")';
  const SUMMARY = '\uFF0B1+1 with a full-width plus';
  const SOURCE_TITLE = '\u2060@SUM(1) behind a word joiner';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await addTestUser(t, ANALYST);
    const analyst = await signedInBrowser(t.app, ANALYST);
    const res = await analyst.post('/events', {
      title: TITLE,
      summary: SUMMARY,
      type: 'advisory',
      jurisdiction: 'US',
      actor: 'us-dhs',
      vendors: ['kaspersky-lab'],
      occurred_on: '2023-07-08',
      effective_on: '',
      citation_source_id: [''],
      citation_url: ['https://csv-hidden.example/article'],
      citation_title: [SOURCE_TITLE],
      citation_publisher: ['\uFF20publisher'],
      citation_published_on: [''],
      citation_reliability: [''],
      citation_quote: ['\u00A0-quote after a no-break space'],
      citation_locator: [''],
    });
    expect(res.status).toBe(303);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  // What a spreadsheet could run: a sign, or its look-alike, after nothing but invisible characters.
  const RUNNABLE = /^[\s\p{Cc}\p{Cf}\p{Zs}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]/u;

  it.each([
    ['/events.csv'],
    ['/vendors/kaspersky-lab/events.csv'],
    ['/reports/events.csv?vendor=kaspersky-lab'],
    ['/reports/events.csv?rows=citations'],
    ['/reports/sources.csv'],
  ])('%s: every cell that could run starts with an apostrophe', async (path) => {
    const res = await request(t.app).get(path);
    expect(res.status).toBe(200);
    const rows = parse(res.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    const cells = rows.flatMap((r) => Object.values(r));
    expect(cells.filter((c) => RUNNABLE.test(c))).toEqual([]);
    const ours = cells.filter((c) => c.startsWith("'"));
    expect(ours.length).toBeGreaterThan(0);
    for (const cell of ours) expect(RUNNABLE.test(cell.slice(1))).toBe(true);
  });

  it('the event export carries the title and summary behind one apostrophe', async () => {
    const res = await request(t.app).get('/vendors/kaspersky-lab/events.csv');
    const row = (parse(res.text, { columns: true }) as Array<Record<string, string>>).find((r) => r.title.includes('HYPERLINK'));
    expect(row).toBeDefined();
    expect(row!.title).toBe(`'${TITLE}`);
    expect(row!.summary).toBe(`'${SUMMARY}`);
    expect(row!.source_titles).toBe(`'${SOURCE_TITLE}`);
  });
});
