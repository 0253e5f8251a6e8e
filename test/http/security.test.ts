import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createUser } from '../../src/users/service';
import { nowIso } from '../../src/lib/time';
import { anonymousBrowser, type Browser, encodeForm, escapeHtml, type FormBody, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { decodeHtml, DHS, eventIds, GSA } from './support';

// Two sign-ins per database, each running scrypt with large parameters.
jest.setTimeout(60000);

const ANALYST = { email: 'sam@example.org', password: 'analyst-password-0005', display_name: 'Sam Analyst', role: 'analyst' as const };
const ADMIN = { email: 'root@example.org', password: 'admin-password-00006', display_name: 'Rita Admin', role: 'admin' as const };

const HOSTILE_SCRIPT = '<script>alert(1)</script>';
const HOSTILE_IMG = '"><img src=x onerror=alert(1)>';

const TABLES = ['events', 'vendors', 'actors', 'sources', 'citations', 'event_vendors', 'event_links', 'users', 'revisions'];

/** Every href on a page, entities decoded. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => decodeHtml(m[2] ?? m[3] ?? m[4] ?? ''));
}

/** Links that go nowhere but this site or an http(s) address. */
function unsafeHrefs(html: string): string[] {
  return hrefs(html).filter((h) => !/^(\/(?![/\\])|https?:\/\/|\?|#)/i.test(h));
}

/** `<script>` elements that carry their code inline instead of loading it from `src`. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)].filter((m) => !/\bsrc\s*=/i.test(m[1]) || m[2].trim() !== '').map((m) => m[0]);
}

/** Inline event-handler attributes (`onclick=`, `onerror=`...) in real tags. */
function inlineHandlers(html: string): string[] {
  return [...html.matchAll(/<[a-z][^>]*\son[a-z]+\s*=[^>]*>/gi)].map((m) => m[0]);
}

function fieldError(html: string, key: string): string | null {
  const id = `f-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}-err`;
  const m = new RegExp(`<small id="${id}" class="field-error">([\\s\\S]*?)</small>`).exec(html);
  return m ? decodeHtml(m[1]).trim() : null;
}

/** What a refusal page is: the app's own error page with its message, or something else (a stack trace). */
function describeErrorPage(html: string, message: string) {
  return {
    appErrorPage: html.includes('<article class="error-page">'),
    message: html.includes(`<p>${escapeHtml(message)}</p>`),
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
    await Promise.all([createUser(t.db, ANALYST), createUser(t.db, ADMIN)]);
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
    const vendors = await t.db('event_vendors as ev').join('vendors as v', 'v.id', 'ev.vendor_id').where('ev.event_id', row.id).pluck('v.slug');
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

  const vendorBody = (overrides: FormBody = {}): FormBody => ({ name: 'A Vendor', slug: '', aliases: '', country: '', website: '', description: '', ...overrides });
  const actorBody = (overrides: FormBody = {}): FormBody => ({ name: 'An Actor', slug: '', kind: 'government', jurisdiction: 'US', description: '', ...overrides });
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
    { label: 'POST /vendors', path: '/vendors', as: 'analyst', body: () => vendorBody({ name: 'Refused Vendor', slug: 'refused-vendor', country: 'US' }) },
    { label: 'POST /actors', path: '/actors', as: 'analyst', body: () => actorBody({ name: 'Refused Actor', slug: 'refused-actor' }) },
    { label: 'POST /sources', path: '/sources', as: 'analyst', body: () => sourceBody({ title: 'Refused source', url: 'https://refused.example/article' }) },
    { label: 'POST /events/:id', path: `/events/${DHS}`, as: 'analyst', body: editBody },
    { label: 'POST /events/:id/delete', path: `/events/${DHS}/delete`, as: 'analyst', body: () => ({}) },
    { label: 'POST /admin/users', path: '/admin/users', as: 'admin', body: () => ({ email: 'refused@example.org', display_name: 'Refused', role: 'admin', password: 'refused-password-123' }) },
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
      const res = await request(t.app).post(w.path).set('Accept', 'application/json').type('form').send(encodeForm(await w.body()));
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
      const res = await writer(w).post(w.path, await w.body()).set('Origin', 'https://evil.example');
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
      const res = await writer(w).post(w.path, await w.body()).set('Origin', 'null');
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it.each(WRITES)('$label: a foreign Referer (no Origin) → 403, nothing written', async (w) => {
      const before = await dbState();
      const res = await writer(w).post(w.path, await w.body()).set('Referer', 'https://evil.example/page');
      expect(res.status).toBe(403);
      expect(await dbState()).toEqual(before);
    });

    it('an Origin that differs only in scheme or port is foreign too', async () => {
      const before = await dbState();
      for (const origin of ['https://tracker.test', 'http://tracker.test:8080', 'http://evil.tracker.test']) {
        const res = await analyst.post('/vendors', vendorBody({ name: 'Refused Vendor', slug: 'refused-vendor' })).set('Host', 'tracker.test').set('Origin', origin);
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
      const res = await analyst.post('/vendors', vendorBody({ name: 'Same Origin Vendor', slug: 'same-origin-vendor' })).set('Host', 'tracker.test').set('Origin', 'http://tracker.test');
      expect(res.status).toBe(303);
      expect(await t.db('vendors').where({ slug: 'same-origin-vendor' }).first()).toBeDefined();
    });
  });

  describe('scripts', () => {
    const PAGES = ['/', '/vendors', '/vendors/kaspersky-lab', `/events/${GSA}`, `/events/${GSA}/history`, '/actors', '/actors/us-gsa', '/login', '/no-such-page'];
    const ANALYST_PAGES = ['/events/new', `/events/${GSA}/edit`, '/vendors/new', '/actors/new', '/sources/new', '/trash', '/vendors/kaspersky-lab/edit', '/actors/us-gsa/edit'];

    it('every page has a Content-Security-Policy whose script-src has no unsafe-inline', async () => {
      for (const path of [...PAGES, ...ANALYST_PAGES, `/sources/${sourceId}`, '/events.csv']) {
        const res = await analyst.get(path);
        const csp = res.headers['content-security-policy'] as string;
        expect(csp).toBeDefined();
        const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
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
      expect(form.text).toMatch(/<script src="\/assets\/event-form\.js" defer><\/script>/);
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
        vendorBody({ name: `${HOSTILE_SCRIPT} Vendor`, slug: 'hostile-vendor', aliases: HOSTILE_IMG, website: 'https://hostile.example/', description: `${HOSTILE_IMG} description` }),
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

    function expectEscaped(html: string) {
      expect(html).not.toContain(HOSTILE_SCRIPT);
      expect(html).not.toMatch(/<img[^>]*onerror/i);
      expect(inlineScripts(html)).toEqual([]);
      expect(inlineHandlers(html)).toEqual([]);
    }

    it('is shown as text on the event page', async () => {
      const res = await request(t.app).get(`/events/${encodeURIComponent(publicId)}`);
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(res.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} event title`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_IMG} summary`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} source title`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_IMG} quote`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} Vendor`));
    });

    it('is shown as text on the vendor timeline and the vendor list', async () => {
      const res = await request(t.app).get('/vendors/hostile-vendor');
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(eventIds(res.text)).toEqual([publicId]);
      expect(res.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} Vendor`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} event title`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_IMG} description`));
      for (const path of ['/', '/vendors']) {
        const page = await request(t.app).get(path);
        expectEscaped(page.text);
        expect(page.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} Vendor`));
      }
    });

    it('is shown as text in the history', async () => {
      const res = await request(t.app).get(`/events/${encodeURIComponent(publicId)}/history`);
      expect(res.status).toBe(200);
      expectEscaped(res.text);
      expect(res.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} event title`));
      expect(res.text).toContain(escapeHtml(`${HOSTILE_IMG} summary`));
    });

    it('is shown as text on the source page and in the edit form', async () => {
      const source = await t.db('sources').where({ url: 'https://hostile.example/article' }).first('id');
      const page = await request(t.app).get(`/sources/${source.id}`);
      expectEscaped(page.text);
      expect(page.text).toContain(escapeHtml(`${HOSTILE_SCRIPT} source title`));
      const form = await analyst.get(`/events/${encodeURIComponent(publicId)}/edit`);
      expect(form.status).toBe(200);
      expectEscaped(form.text);
      expect(form.text).toContain(`value="${escapeHtml(`${HOSTILE_SCRIPT} event title`)}"`);
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
      expect(html).not.toContain(`href="${escapeHtml(typed.trim())}"`);
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
      const res = await analyst.post('/sources', sourceBody({ title: 'A source with a bad archive', url: 'https://fine.example/archived-test', archived_url: url }));
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
      await t.db('sources').insert({ url: 'javascript:alert(1)', title: 'Source stored with a script address', publisher: 'Legacy', author: '', version: 1, created_at: now, updated_at: now });
      const legacy = await t.db('sources').where({ title: 'Source stored with a script address' }).first('id');
      await t.db('vendors').where({ slug: 'kaspersky-lab' }).update({ website: 'JavaScript:alert(document.cookie)' });
      const res = await analyst.post('/events', newEventBody({ title: 'Event citing a legacy source', occurred_on: '2023-04-05', citation_source_id: [String(legacy.id)] }));
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
      ['a right-to-left override in a vendor name', '/vendors', () => vendorBody({ name: 'Evil\u202Egnp.exe', slug: 'bidi-vendor' }), 'name'],
      ['a line break in a vendor name', '/vendors', () => vendorBody({ name: 'Two\nLines', slug: 'two-lines-vendor' }), 'name'],
      ['a left-to-right isolate in an actor name', '/actors', () => actorBody({ name: 'Actor \u2066hidden\u2069', slug: 'bidi-actor' }), 'name'],
      ['a bell character in a source title', '/sources', () => sourceBody({ title: 'Ding\u0007 dong' }), 'title'],
      ['a tab in a source publisher', '/sources', () => sourceBody({ title: 'A fine title', publisher: 'Tab\there' }), 'publisher'],
      ['a right-to-left override in an event title', '/events', () => newEventBody({ title: 'Invoice \u202Efdp.exe' }), 'title'],
      ['a line break in an event title', '/events', () => newEventBody({ title: 'First line\nsecond line' }), 'title'],
      ['a C1 control in an event title', '/events', () => newEventBody({ title: 'Control \u0085 character' }), 'title'],
      ['a right-to-left override in a citation locator', '/events', () => newEventBody({ citation_locator: ['page \u202E3'] }), 'citations.0.locator'],
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

      const saved = await analyst.post('/events', newEventBody({ title: 'Event with a two-line summary', occurred_on: '2023-05-06', summary: 'First line\r\nsecond line' }));
      expect(saved.status).toBe(303);
      const row = await t.db('events').where({ title: 'Event with a two-line summary' }).first('summary');
      expect(row.summary).toBe('First line\nsecond line');
    });
  });

  describe('Unicode normalisation', () => {
    it('stores text in NFC, so e + combining accent is read back as é', async () => {
      const vendor = await analyst.post('/vendors', vendorBody({ name: 'Cafe\u0301 Se\u0301curite\u0301', slug: 'cafe-securite', aliases: 'Re\u0301seau', description: 'Ma\u0300j' }));
      expect(vendor.status).toBe(303);
      const v = await t.db('vendors').where({ slug: 'cafe-securite' }).first('name', 'aliases', 'description');
      expect(v.name).toBe('Caf\u00e9 S\u00e9curit\u00e9');
      expect(v.aliases).toContain('R\u00e9seau');
      expect(v.description).toBe('M\u00e0j');

      const event = await analyst.post('/events', newEventBody({ title: 'Re\u0301sume\u0301 of the event', summary: 'nai\u0308ve', occurred_on: '2023-06-07', citation_quote: ['e\u0301te\u0301'] }));
      expect(event.status).toBe(303);
      const e = await t.db('events').where({ title: 'R\u00e9sum\u00e9 of the event' }).first('id', 'summary');
      expect(e).toBeDefined();
      expect(e.summary).toBe('na\u00efve');
      const c = await t.db('citations').where({ event_id: e.id }).first('quote');
      expect(c.quote).toBe('\u00e9t\u00e9');
    });
  });
});
