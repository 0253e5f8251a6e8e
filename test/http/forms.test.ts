import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createTestUser } from '../helpers/users';
import { eventIdsOf, hrefsOf, parseHtml, submittedValues, textOf, textsOf, type Nodes } from '../helpers/dom';
import { type Browser, type FormBody, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { GSA } from './support';

// Two sign-ins per database, each running scrypt with large parameters.
jest.setTimeout(60000);

const ANA = { email: 'ana@example.org', password: 'ana-password-000007', display_name: 'Ana Analyst', role: 'analyst' as const };
const BEN = { email: 'ben@example.org', password: 'ben-password-000008', display_name: 'Ben Analyst', role: 'analyst' as const };

type Values = Record<string, string[]>;

/** The values a browser would submit from the form posting to `action` (the CSRF token left out). */
function formValues(html: string, action: string): Values {
  const out = submittedValues(parseHtml(html), `form[method="post"][action="${action}"]`);
  delete out._csrf;
  return out;
}

/** The message beside a field: inside the field's own label, next to the control named `name`. */
function fieldMessage(html: string, key: string, name: string): string | null {
  const page = parseHtml(html);
  const id = `f-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const message = (scope: Nodes) => {
    const small = scope.find(`small[id="${id}-err"].field-error`);
    return small.length > 0 ? textOf(small) : null;
  };
  // A group of checkboxes: the message is inside the group's fieldset, which points to it.
  const group = page(`fieldset[id="${id}-group"][aria-describedby="${id}-err"]`);
  if (group.length > 0) return group.find(`[name="${name}"]`).length > 0 ? message(group) : null;
  const label = page(`label[for="${id}"]`).first();
  if (label.length === 0) return null;
  // The control itself sits inside its label and points to the message.
  if (label.find(`[name="${name}"]`).length === 0 || label.find(`[aria-describedby="${id}-err"]`).length === 0) return null;
  return message(label);
}

function flashOf(html: string): string | null {
  const flash = parseHtml(html)('p.flash[role="status"]');
  return flash.length > 0 ? textOf(flash) : null;
}

/** The cells after the row heading `label` in a table of field changes, as stored (white space kept). */
function rowCells(scope: Nodes, label: string): string[] {
  const heading = scope.find('th[scope="row"]').filter((_, th) => textOf(scope.find(th)) === label);
  return heading
    .nextAll('td.pre')
    .toArray()
    .map((td) => scope.find(td).text());
}

/** A row of the side-by-side table shown on a version conflict: [saved by the other analyst, typed]. */
function conflictRow(html: string, label: string): [string, string] | null {
  const cells = rowCells(parseHtml(html).root(), label);
  return cells.length >= 2 ? [cells[0], cells[1]] : null;
}

describeEachDatabase('forms on %s', (kind) => {
  let t: TestApp;
  let ana: Browser;
  let ben: Browser;
  let gsaSourceId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await Promise.all([createTestUser(t.db, ANA), createTestUser(t.db, BEN)]);
    [ana, ben] = await Promise.all([signedInBrowser(t.app, ANA), signedInBrowser(t.app, BEN)]);
    const gsa = await t.db('events').where({ public_id: GSA }).first('id');
    gsaSourceId = Number((await t.db('citations').where({ event_id: gsa.id }).orderBy('position').first('source_id')).source_id);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())?.n);
  const counts = async () => ({
    events: await count('events'),
    sources: await count('sources'),
    vendors: await count('vendors'),
    actors: await count('actors'),
    revisions: await count('revisions'),
  });

  async function csvRows(path = '/events.csv'): Promise<Array<Record<string, string>>> {
    const res = await request(t.app).get(path);
    expect(res.status).toBe(200);
    return parse(res.text, { columns: true }) as Array<Record<string, string>>;
  }

  /** Follows a 303 with the same browser and returns the page. */
  async function follow(browser: Browser, res: request.Response) {
    expect(res.status).toBe(303);
    const page = await browser.get(res.headers.location as string);
    expect(page.status).toBe(200);
    return page;
  }

  describe('vendors', () => {
    const vendor = (overrides: FormBody = {}): FormBody => ({
      name: 'Acme Shield',
      slug: '',
      aliases: 'Acme\nAcme Shield GmbH',
      country: 'de',
      website: 'https://acme-shield.example/',
      description: 'Endpoint security vendor used in the form tests.',
      ...overrides,
    });

    it('creates a vendor: 303 to its page, a flash once, and the vendor on its page and in the list', async () => {
      const res = await ana.post('/vendors', vendor());
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/vendors/acme-shield');
      const page = await follow(ana, res);
      expect(flashOf(page.text)).toBe('Vendor “Acme Shield” added.');
      const shown = parseHtml(page.text);
      expect(textsOf(shown, 'h1')).toContain('Acme Shield');
      const text = textOf(shown);
      expect(text).toContain('Also known as Acme; Acme Shield GmbH.');
      expect(text).toContain('Based in Germany.');
      expect(hrefsOf(shown)).toContain('https://acme-shield.example/');
      expect(text).toContain('Endpoint security vendor used in the form tests.');
      // The flash is shown once.
      expect(flashOf((await ana.get('/vendors/acme-shield')).text)).toBeNull();
      expect(hrefsOf(parseHtml((await request(t.app).get('/vendors')).text))).toContain('/vendors/acme-shield');
      const row = await t.db('vendors').where({ slug: 'acme-shield' }).first();
      expect(row).toMatchObject({ name: 'Acme Shield', country: 'DE', website: 'https://acme-shield.example/', version: 1 });
    });

    it.each<[string, FormBody, string, string]>([
      ['no name', { name: '   ' }, 'name', 'Enter the vendor’s name.'],
      ['an unknown country', { country: 'XX' }, 'country', 'Use a two-letter ISO 3166-1 country code, e.g. RU.'],
      ['a slug with spaces', { slug: 'Acme Two!' }, 'slug', 'Use lower-case letters, digits and single hyphens, e.g. kaspersky-lab.'],
      ['a taken slug', { name: 'Another Kaspersky', slug: 'kaspersky-lab' }, 'slug', 'The slug "kaspersky-lab" is taken; choose another.'],
      [
        'a website that is not an address',
        { website: 'acme dot example' },
        'website',
        'Not accepted: this is not a complete web address (it must start with http:// or https://).',
      ],
      ['a name over 200 characters', { name: 'N'.repeat(201) }, 'name', 'Use at most 200 characters.'],
    ])('refuses %s with 422, the message beside the field and every typed value kept', async (_case, overrides, field, message) => {
      const before = await counts();
      const body = vendor({ name: 'Typed Vendor Name', slug: 'typed-vendor', description: 'Typed description, kept.', ...overrides });
      const res = await ana.post('/vendors', body);
      expect(res.status).toBe(422);
      expect(fieldMessage(res.text, field, field)).toBe(message);
      const values = formValues(res.text, '/vendors');
      for (const name of ['name', 'slug', 'aliases', 'country', 'website', 'description'])
        expect({ name, value: values[name] }).toEqual({ name, value: [body[name]] });
      expect(await counts()).toEqual(before);
    });

    it('saves an edit made on the current version and bumps the version', async () => {
      const form = await ana.get('/vendors/acme-shield/edit');
      expect(form.status).toBe(200);
      const values = formValues(form.text, '/vendors/acme-shield');
      expect(values.version).toEqual(['1']);
      const res = await ana.post('/vendors/acme-shield', { ...values, description: 'Edited description.' });
      const page = await follow(ana, res);
      expect(flashOf(page.text)).toBe('Vendor “Acme Shield” saved.');
      expect(textOf(parseHtml(page.text))).toContain('Edited description.');
      const row = await t.db('vendors').where({ slug: 'acme-shield' }).first();
      expect(row).toMatchObject({ description: 'Edited description.', version: 2, name: 'Acme Shield' });
    });

    it('refuses a save on a stale version with 409, showing both versions and overwriting nothing', async () => {
      const anaForm = formValues((await ana.get('/vendors/acme-shield/edit')).text, '/vendors/acme-shield');
      const benForm = formValues((await ben.get('/vendors/acme-shield/edit')).text, '/vendors/acme-shield');
      expect((await ben.post('/vendors/acme-shield', { ...benForm, description: 'Ben’s description.' })).status).toBe(303);
      const saved = await t.db('vendors').where({ slug: 'acme-shield' }).first();

      const res = await ana.post('/vendors/acme-shield', { ...anaForm, description: 'Ana’s description.' });
      expect(res.status).toBe(409);
      expect(textOf(parseHtml(res.text))).toContain('Someone else saved a newer version while you were editing. Nothing was overwritten.');
      expect(conflictRow(res.text, 'Description')).toEqual(['Ben’s description.', 'Ana’s description.']);
      expect(formValues(res.text, '/vendors/acme-shield').description).toEqual(['Ana’s description.']);
      expect(await t.db('vendors').where({ slug: 'acme-shield' }).first()).toEqual(saved);
    });
  });

  describe('actors', () => {
    const actor = (overrides: FormBody = {}): FormBody => ({
      name: 'Ministry of Digital Affairs',
      slug: '',
      kind: 'government',
      jurisdiction: 'fr',
      description: 'A ministry used in the form tests.',
      ...overrides,
    });

    it('creates an actor: 303 to its page, a flash once, and the actor on its page', async () => {
      const res = await ana.post('/actors', actor());
      expect(res.headers.location).toBe('/actors/ministry-of-digital-affairs');
      const page = await follow(ana, res);
      expect(flashOf(page.text)).toBe('Actor “Ministry of Digital Affairs” added.');
      const shown = parseHtml(page.text);
      expect(textsOf(shown, 'h1')).toContain('Ministry of Digital Affairs');
      expect(textOf(shown)).toContain('Government · France');
      expect(flashOf((await ana.get('/actors/ministry-of-digital-affairs')).text)).toBeNull();
      expect(hrefsOf(parseHtml((await request(t.app).get('/actors')).text))).toContain('/actors/ministry-of-digital-affairs');
    });

    it.each<[string, FormBody, string, string]>([
      ['no name', { name: '' }, 'name', 'Enter the body’s name.'],
      ['an unknown kind', { kind: 'secret-society' }, 'kind', 'Choose what kind of body this is.'],
      ['a bad jurisdiction', { jurisdiction: 'ZZ' }, 'jurisdiction', 'Use a two-letter country code (ISO 3166-1), EU or INT.'],
      ['a taken slug', { slug: 'us-gsa' }, 'slug', 'The slug "us-gsa" is taken; choose another.'],
    ])('refuses %s with 422, the message beside the field and every typed value kept', async (_case, overrides, field, message) => {
      const before = await counts();
      const body = actor({
        name: 'Typed Actor',
        slug: 'typed-actor',
        description: 'Typed actor description.',
        jurisdiction: 'EU',
        ...overrides,
      });
      const res = await ana.post('/actors', body);
      expect(res.status).toBe(422);
      expect(fieldMessage(res.text, field, field)).toBe(message);
      const values = formValues(res.text, '/actors');
      for (const name of ['name', 'slug', 'jurisdiction', 'description'])
        expect({ name, value: values[name] }).toEqual({ name, value: [body[name]] });
      if (field !== 'kind') expect(values.kind).toEqual([body.kind]);
      expect(await counts()).toEqual(before);
    });

    it('saves an edit made with the edit form on the current version and bumps the version', async () => {
      const path = '/actors/ministry-of-digital-affairs';
      const form = formValues((await ana.get(`${path}/edit`)).text, path);
      expect(form).toMatchObject({ name: ['Ministry of Digital Affairs'], kind: ['government'], jurisdiction: ['FR'], version: ['1'] });
      const res = await ana.post(path, { ...form, description: 'Edited actor description.' });
      expect(res.status).toBe(303);
      expect(flashOf((await follow(ana, res)).text)).toBe('Actor “Ministry of Digital Affairs” saved.');
      expect(await t.db('actors').where({ slug: 'ministry-of-digital-affairs' }).first()).toMatchObject({
        description: 'Edited actor description.',
        version: 2,
      });
    });

    it('refuses a save on a stale version with 409, showing both versions and overwriting nothing', async () => {
      const path = '/actors/us-gsa';
      const anaForm = formValues((await ana.get(`${path}/edit`)).text, path);
      const benForm = formValues((await ben.get(`${path}/edit`)).text, path);
      const benSave = await ben.post(path, { ...benForm, name: 'General Services Administration (GSA)' });
      expect(benSave.status).toBe(303);
      const saved = await t.db('actors').where({ slug: 'us-gsa' }).first();
      expect(saved).toMatchObject({ name: 'General Services Administration (GSA)', version: 2 });

      const stale = await ana.post(path, { ...anaForm, name: 'US General Services Administration' });
      expect(stale.status).toBe(409);
      expect(conflictRow(stale.text, 'Name')).toEqual(['General Services Administration (GSA)', 'US General Services Administration']);
      expect(await t.db('actors').where({ slug: 'us-gsa' }).first()).toEqual(saved);
    });
  });

  describe('sources', () => {
    const URL = 'https://news.example.org/articles/kaspersky-ban?id=7';
    let sourceId: number;
    const source = (overrides: FormBody = {}): FormBody => ({
      title: 'Agencies told to drop the software',
      url: URL,
      publisher: 'Example News',
      author: 'A. Reporter',
      published_on: '2024-06',
      archived_url: '',
      language: 'en',
      reliability: 'B',
      body: 'First paragraph of the stored text.\n\nSecond paragraph.',
      ...overrides,
    });

    it('creates a source: 303 to its page, a flash once, and the source on its page', async () => {
      const res = await ana.post('/sources', source());
      expect(res.headers.location).toMatch(/^\/sources\/\d+$/);
      sourceId = Number(String(res.headers.location).split('/').pop());
      const page = await follow(ana, res);
      expect(flashOf(page.text)).toBe('Source added.');
      const shown = parseHtml(page.text);
      expect(textsOf(shown, 'h1')).toContain('Agencies told to drop the software');
      expect(hrefsOf(shown)).toContain(URL);
      const text = textOf(shown);
      expect(text).toContain('Publisher Example News');
      expect(text).toContain('Published June 2024');
      expect(textsOf(shown, 'p')).toContain('Second paragraph.');
      expect(flashOf((await ana.get(`/sources/${sourceId}`)).text)).toBeNull();
    });

    it.each<[string, FormBody, string, string]>([
      ['no title', { title: '' }, 'title', 'Enter the article’s title.'],
      ['an impossible date', { published_on: '2024-02-30' }, 'published_on', 'Not a date: 2024-02-30 is not a day of the calendar.'],
      ['a bad language tag', { language: 'english!' }, 'language', 'Use a language tag such as en or de-CH.'],
      ['an unknown reliability grade', { reliability: 'Z' }, 'reliability', 'Choose a grade from A to F, or leave it empty.'],
    ])('refuses %s with 422, the message beside the field and every typed value kept', async (_case, overrides, field, message) => {
      const before = await counts();
      const body = source({ title: 'Typed source title', url: 'https://typed.example/source', body: 'Typed stored text.', ...overrides });
      const res = await ana.post('/sources', body);
      expect(res.status).toBe(422);
      expect(fieldMessage(res.text, field, field)).toBe(message);
      const values = formValues(res.text, '/sources');
      for (const name of ['title', 'url', 'publisher', 'author', 'published_on', 'language', 'body'])
        expect({ name, value: values[name] }).toEqual({ name, value: [body[name]] });
      expect(await counts()).toEqual(before);
    });

    it('refuses an address that is already recorded, however it is written', async () => {
      const before = await counts();
      const res = await ana.post(
        '/sources',
        source({ title: 'The same article again', url: 'https://NEWS.example.org/articles/kaspersky-ban?id=7&utm_source=feed#top' }),
      );
      expect(res.status).toBe(422);
      expect(fieldMessage(res.text, 'url', 'url')).toBe(
        `This address is already recorded as source ${sourceId} (“Agencies told to drop the software”).`,
      );
      expect(await counts()).toEqual(before);
    });

    it('saves an edit on the current version; a stale version gets 409 and overwrites nothing', async () => {
      const path = `/sources/${sourceId}`;
      const anaForm = formValues((await ana.get(`${path}/edit`)).text, path);
      const benForm = formValues((await ben.get(`${path}/edit`)).text, path);
      expect(anaForm).toMatchObject({ title: ['Agencies told to drop the software'], url: [URL], reliability: ['B'], version: ['1'] });
      const res = await ben.post(path, { ...benForm, publisher: 'Example News Weekly' });
      expect(flashOf((await follow(ben, res)).text)).toBe('Source saved.');
      const saved = await t.db('sources').where({ id: sourceId }).first();
      expect(saved).toMatchObject({ publisher: 'Example News Weekly', version: 2, url: URL });

      const stale = await ana.post(path, { ...anaForm, publisher: 'Example Daily' });
      expect(stale.status).toBe(409);
      expect(conflictRow(stale.text, 'Publisher')).toEqual(['Example News Weekly', 'Example Daily']);
      expect(await t.db('sources').where({ id: sourceId }).first()).toEqual(saved);
    });
  });

  describe('events', () => {
    const TITLE = 'Regulator warns agencies about the vendor';
    const SUMMARY = 'The regulator told agencies to review their use of the software.';
    const QUOTE = 'Agencies should review their use of the products.';
    const NEW_SOURCE_URL = 'https://regulator.example/notices/2024-03-02';

    /** A complete event form: a new source typed inline and a recorded source, a relation, an affected body. */
    const event = (overrides: FormBody = {}): FormBody => ({
      title: TITLE,
      summary: SUMMARY,
      type: 'advisory',
      jurisdiction: 'us',
      actor: 'us-fcc',
      affected: ['europol'],
      vendors: ['kaspersky-lab'],
      occurred_on: '2024-03-02',
      effective_on: '2024-04',
      link_relation: ['responds-to', 'responds-to'],
      link_event: [GSA, ''],
      citation_source_id: ['', String(gsaSourceId), ''],
      citation_url: [NEW_SOURCE_URL, '', ''],
      citation_title: ['Notice on the vendor’s products', '', ''],
      citation_publisher: ['The Regulator', '', ''],
      citation_published_on: ['2024-03-02', '', ''],
      citation_reliability: ['A', '', ''],
      citation_quote: [QUOTE, 'A second quote.', ''],
      citation_locator: ['paragraph 2', '', ''],
      ...overrides,
    });

    /** Creates an event through the form and returns its public id. */
    async function createEvent(overrides: FormBody): Promise<string> {
      const res = await ana.post('/events', event(overrides));
      expect(res.status).toBe(303);
      return decodeURIComponent(String(res.headers.location).replace(/^\/events\//, ''));
    }

    it('creates an event: 303 to its page with a flash, on the vendor timeline and in the CSV', async () => {
      const before = await counts();
      const res = await ana.post('/events', event());
      expect(res.status).toBe(303);
      const publicId = '2024-03-02-regulator-warns-agencies-about-the-vendor';
      expect(res.headers.location).toBe(`/events/${publicId}`);
      const page = await follow(ana, res);
      expect(flashOf(page.text)).toBe('Event added.');
      const shown = parseHtml(page.text);
      expect(textsOf(shown, 'h1')).toContain(TITLE);
      const text = textOf(shown);
      for (const part of [
        SUMMARY,
        QUOTE,
        'A second quote.',
        'Federal Communications Commission',
        'Europol',
        'Advisory',
        'United States (US)',
        'in force from April 2024',
        'Notice on the vendor’s products',
      ]) {
        expect(text).toContain(part);
      }
      expect(hrefsOf(shown)).toContain(NEW_SOURCE_URL);
      expect(hrefsOf(shown)).toContain(`/events/${GSA}`);
      expect(flashOf((await ana.get(`/events/${publicId}`)).text)).toBeNull();

      // One new source (the recorded one is reused as chosen).
      expect(await counts()).toMatchObject({ events: before.events + 1, sources: before.sources + 1 });
      const timeline = await request(t.app).get('/vendors/kaspersky-lab');
      expect(eventIdsOf(parseHtml(timeline.text))).toContain(publicId);
      for (const path of ['/events.csv', '/vendors/kaspersky-lab/events.csv']) {
        const row = (await csvRows(path)).find((r) => r.id === publicId);
        expect(row).toMatchObject({
          title: TITLE,
          summary: SUMMARY,
          vendors: 'kaspersky-lab',
          type: 'advisory',
          jurisdiction: 'US',
          responds_to: GSA,
        });
      }
    });

    const BROKEN = 'Typed title that must survive';
    const BROKEN_SUMMARY = 'Typed summary that must survive.';
    const BROKEN_QUOTE = 'Typed quote that must survive.';
    const LONG_TITLE = 'T'.repeat(301);

    it.each<[string, FormBody, string, string, string]>([
      [
        'a 29 February in a common year',
        { occurred_on: '2021-02-29' },
        'occurred_on',
        'occurred_on',
        'Not a date: 2021-02-29 is not a day of the calendar.',
      ],
      ['month 13', { occurred_on: '2020-13' }, 'occurred_on', 'occurred_on', 'Not a date: month 13 does not exist.'],
      ['no date', { occurred_on: '' }, 'occurred_on', 'occurred_on', 'Enter the date: YYYY, YYYY-MM or YYYY-MM-DD.'],
      ['a bad in-force date', { effective_on: 'soon' }, 'effective_on', 'effective_on', 'Not a date: use YYYY, YYYY-MM or YYYY-MM-DD.'],
      ['an unknown type', { type: 'coup' }, 'type', 'type', 'Choose the type of event.'],
      ['no vendor', { vendors: [] }, 'vendors', 'vendors', 'Choose at least one vendor.'],
      ['an unknown vendor', { vendors: ['no-such-vendor'] }, 'vendors', 'vendors', 'Unknown vendor: no-such-vendor.'],
      [
        'a bad jurisdiction',
        { jurisdiction: 'XX' },
        'jurisdiction',
        'jurisdiction',
        'Use a two-letter country code (ISO 3166-1), EU or INT.',
      ],
      ['a title over 300 characters', { title: LONG_TITLE }, 'title', 'title', 'Use at most 300 characters.'],
      ['no title', { title: '' }, 'title', 'title', 'Enter a title.'],
      [
        'an unknown related event',
        { link_event: ['2099-01-01-no-such-event', ''] },
        'links.0.event',
        'link_event',
        'No event has the id “2099-01-01-no-such-event”.',
      ],
      [
        'a new citation without a title',
        { citation_title: ['', '', ''] },
        'citations.0.title',
        'citation_title',
        'Enter the title of the new source, or choose a recorded one.',
      ],
      [
        'a new citation with a bad date',
        { citation_published_on: ['2024-02-31', '', ''] },
        'citations.0.published_on',
        'citation_published_on',
        'Not a date: 2024-02-31 is not a day of the calendar.',
      ],
    ])('refuses %s with 422, the message beside the field and everything typed kept', async (_case, overrides, key, name, message) => {
      const before = await counts();
      const body = event({
        title: BROKEN,
        summary: BROKEN_SUMMARY,
        citation_quote: [BROKEN_QUOTE, 'A second quote.', ''],
        occurred_on: '2024-05-06',
        ...overrides,
      });
      const res = await ana.post('/events', body);
      expect(res.status).toBe(422);
      expect(textOf(parseHtml(res.text))).toContain('Some fields need attention; nothing was saved. Everything you typed is still here.');
      expect(fieldMessage(res.text, key, name)).toBe(message);

      const values = formValues(res.text, '/events');
      expect(values.title).toEqual([body.title]);
      expect(values.summary).toEqual([BROKEN_SUMMARY]);
      expect(values.citation_quote.slice(0, 2)).toEqual([BROKEN_QUOTE, 'A second quote.']);
      expect(values.citation_url[0]).toBe(NEW_SOURCE_URL);
      expect(values.citation_title[0]).toBe((body.citation_title as string[])[0]);
      expect(values.citation_publisher[0]).toBe('The Regulator');
      expect(values.citation_locator[0]).toBe('paragraph 2');
      expect(values.citation_source_id.slice(0, 2)).toEqual(['', String(gsaSourceId)]);
      expect(values.occurred_on).toEqual([body.occurred_on]);
      expect(values.jurisdiction).toEqual([body.jurisdiction]);
      expect(values.actor).toEqual(['us-fcc']);
      expect(values.affected).toEqual(['europol']);
      if (key !== 'vendors') expect(values.vendors).toEqual(['kaspersky-lab']);
      if (key !== 'type') expect(values.type).toEqual(['advisory']);
      if (key !== 'links.0.event') expect(values.link_event[0]).toBe(GSA);
      expect(await counts()).toEqual(before);
    });

    it('refuses an event with no citation with 422 and the message beside the citations', async () => {
      const before = await counts();
      const body = event({
        title: BROKEN,
        summary: BROKEN_SUMMARY,
        occurred_on: '2024-05-07',
        citation_source_id: [''],
        citation_url: [''],
        citation_title: [''],
        citation_publisher: [''],
        citation_published_on: [''],
        citation_reliability: [''],
        citation_quote: [''],
        citation_locator: [''],
      });
      const res = await ana.post('/events', body);
      expect(res.status).toBe(422);
      // The message stands under the Citations heading.
      const page = parseHtml(res.text);
      const heading = page('h2').filter((_, h) => textOf(page(h)).startsWith('Citations'));
      expect(textOf(heading.nextAll('p#f-citations-err.field-error').first())).toBe('Cite at least one source.');
      const values = formValues(res.text, '/events');
      expect(values.title).toEqual([BROKEN]);
      expect(values.summary).toEqual([BROKEN_SUMMARY]);
      expect(await counts()).toEqual(before);
    });

    it('saves an edit made on the current version and bumps the version; a stale one gets 409 and overwrites nothing', async () => {
      const publicId = await createEvent({
        title: 'Event to be edited',
        occurred_on: '2024-07-01',
        type: 'investigation',
        citation_url: ['https://regulator.example/edit-test', '', ''],
      });
      const path = `/events/${publicId}`;

      const first = formValues((await ana.get(`${path}/edit`)).text, path);
      expect(first).toMatchObject({
        title: ['Event to be edited'],
        version: ['1'],
        vendors: ['kaspersky-lab'],
        occurred_on: ['2024-07-01'],
      });
      const saved = await ana.post(path, { ...first, title: 'Event edited once' });
      expect(flashOf((await follow(ana, saved)).text)).toBe('Event saved.');
      const afterEdit = await t.db('events').where({ public_id: publicId }).first();
      expect(afterEdit).toMatchObject({ title: 'Event edited once', version: 2 });
      // The edit kept everything the form did not change.
      expect(Number((await t.db('citations').where({ event_id: afterEdit.id }).count({ n: '*' }).first())?.n)).toBe(2);

      // Two analysts open the form on version 2; Ben saves first.
      const anaForm = formValues((await ana.get(`${path}/edit`)).text, path);
      const benForm = formValues((await ben.get(`${path}/edit`)).text, path);
      expect((await ben.post(path, { ...benForm, title: 'Title saved by Ben' })).status).toBe(303);
      const stored = await t.db('events').where({ public_id: publicId }).first();
      expect(stored).toMatchObject({ title: 'Title saved by Ben', version: 3 });

      const stale = await ana.post(path, { ...anaForm, title: 'Title typed by Ana', summary: 'Summary typed by Ana.' });
      expect(stale.status).toBe(409);
      expect(textOf(parseHtml(stale.text))).toContain(
        'Someone else saved a newer version while you were editing. Nothing was overwritten.',
      );
      expect(conflictRow(stale.text, 'Title')).toEqual(['Title saved by Ben', 'Title typed by Ana']);
      expect(conflictRow(stale.text, 'Summary')).toEqual([SUMMARY, 'Summary typed by Ana.']);
      expect(await t.db('events').where({ public_id: publicId }).first()).toEqual(stored);

      // Ana's typed values are still in the form, now on the stored version: saving again keeps hers.
      const retry = formValues(stale.text, path);
      expect(retry).toMatchObject({ title: ['Title typed by Ana'], summary: ['Summary typed by Ana.'], version: ['3'] });
      expect((await ana.post(path, retry)).status).toBe(303);
      expect(await t.db('events').where({ public_id: publicId }).first()).toMatchObject({ title: 'Title typed by Ana', version: 4 });
    });

    it('warns about a likely duplicate (same vendor, date and type), saves nothing, and saves once confirmed', async () => {
      const before = await counts();
      const body = event({
        title: 'GSA takes Kaspersky off its schedules',
        type: 'procurement-exclusion',
        occurred_on: '2017-07-11',
        link_event: ['', ''],
        citation_url: ['https://duplicate.example/report', '', ''],
      });
      const res = await ana.post('/events', body);
      expect(res.status).toBe(422);
      const warned = parseHtml(res.text);
      expect(textOf(warned)).toContain('Possible duplicate');
      expect(hrefsOf(warned)).toContain(`/events/${GSA}`);
      expect(warned('input[name="confirm_duplicate"][value="1"]')).toHaveLength(1);
      expect(formValues(res.text, '/events').title).toEqual(['GSA takes Kaspersky off its schedules']);
      expect(await counts()).toEqual(before);

      const confirmed = await ana.post('/events', { ...body, confirm_duplicate: '1' });
      expect(confirmed.status).toBe(303);
      expect(await counts()).toMatchObject({ events: before.events + 1 });
      const publicId = decodeURIComponent(String(confirmed.headers.location).replace(/^\/events\//, ''));
      expect(publicId).not.toBe(GSA);
      expect(await t.db('events').where({ public_id: publicId }).first()).toMatchObject({
        title: 'GSA takes Kaspersky off its schedules',
        occurred_on: '2017-07-11',
      });
    });

    it('does not warn about a duplicate for the same date and vendor with another type', async () => {
      const publicId = await createEvent({
        title: 'Kaspersky comments on the GSA decision',
        type: 'vendor-statement',
        occurred_on: '2017-07-11',
        link_event: ['', ''],
        citation_url: ['https://duplicate.example/statement', '', ''],
      });
      expect(publicId).toBe('2017-07-11-kaspersky-comments-on-the-gsa-decision');
    });

    describe('reusing a recorded source when a new one has the same address', () => {
      const RECORDED = 'https://reuse.example.org/Reports/Kaspersky?id=42';
      let recordedId: number;

      beforeAll(async () => {
        const res = await ana.post('/sources', {
          title: 'Recorded report',
          url: RECORDED,
          publisher: 'Reuse Example',
          author: '',
          published_on: '',
          archived_url: '',
          language: '',
          reliability: '',
          body: '',
        });
        expect(res.status).toBe(303);
        recordedId = Number(String(res.headers.location).split('/').pop());
      });

      it.each([
        ['the host in another case', 'https://REUSE.Example.ORG/Reports/Kaspersky?id=42', '2024-08-01'],
        ['a #fragment', 'https://reuse.example.org/Reports/Kaspersky?id=42#section-2', '2024-08-02'],
        [
          'utm_ tracking parameters',
          'https://reuse.example.org/Reports/Kaspersky?utm_source=newsletter&id=42&utm_medium=email',
          '2024-08-03',
        ],
        ['all of them and a default port', 'HTTPS://Reuse.Example.Org:443/Reports/Kaspersky?id=42&utm_campaign=x#top', '2024-08-04'],
      ])('with %s', async (_case, url, date) => {
        const before = await counts();
        const publicId = await createEvent({
          title: `Event citing the recorded report ${date}`,
          occurred_on: date,
          link_event: ['', ''],
          citation_source_id: [''],
          citation_url: [url],
          citation_title: ['A different title typed for the same report'],
          citation_publisher: [''],
          citation_published_on: [''],
          citation_reliability: [''],
          citation_quote: ['Quoted from the recorded report.'],
          citation_locator: [''],
        });
        expect((await counts()).sources).toBe(before.sources);
        const row = await t.db('events').where({ public_id: publicId }).first('id');
        const cited = await t.db('citations').where({ event_id: row.id }).pluck('source_id');
        expect(cited.map(Number)).toEqual([recordedId]);
        expect(await t.db('sources').where({ id: recordedId }).first()).toMatchObject({ title: 'Recorded report', url: RECORDED });
      });
    });

    it('moves a deleted event to the trash (off the timeline, its page and the CSV) and restores it', async () => {
      const publicId = await createEvent({
        title: 'Event that goes to the trash',
        occurred_on: '2024-09-01',
        link_event: ['', ''],
        citation_url: ['https://trash.example/a', '', ''],
      });
      const path = `/events/${publicId}`;
      const inCsv = async () => (await csvRows()).some((r) => r.id === publicId);
      const onTimeline = async () => eventIdsOf(parseHtml((await request(t.app).get('/vendors/kaspersky-lab')).text)).includes(publicId);
      expect(await onTimeline()).toBe(true);
      expect(await inCsv()).toBe(true);

      const del = await ana.post(`${path}/delete`);
      expect(del.status).toBe(303);
      expect(del.headers.location).toBe('/trash');
      const trash = await follow(ana, del);
      expect(flashOf(trash.text)).toBe('“Event that goes to the trash” moved to the trash. An analyst can restore it from there.');
      const trashed = parseHtml(trash.text);
      expect(textsOf(trashed, 'h3')).toContain('Event that goes to the trash');
      expect(trashed(`form[action="${path}/restore"]`)).toHaveLength(1);
      expect(await onTimeline()).toBe(false);
      expect(await inCsv()).toBe(false);
      expect((await request(t.app).get(path)).status).toBe(404);
      expect((await ana.get(path)).status).toBe(404);
      expect((await ana.get(`${path}/edit`)).status).toBe(404);
      // Deleting it again finds nothing to delete.
      expect((await ana.post(`${path}/delete`)).status).toBe(404);

      const restore = await ana.post(`${path}/restore`);
      expect(restore.status).toBe(303);
      expect(restore.headers.location).toBe(path);
      const page = await follow(ana, restore);
      expect(flashOf(page.text)).toBe('“Event that goes to the trash” restored.');
      expect(await onTimeline()).toBe(true);
      expect(await inCsv()).toBe(true);
      expect((await request(t.app).get(path)).status).toBe(200);
      expect(textOf(parseHtml((await ana.get('/trash')).text), 'html')).not.toContain('Event that goes to the trash');
    });

    it('keeps a public history of create, update (field by field), delete and restore, with who did it', async () => {
      const publicId = await createEvent({
        title: 'Event with a history',
        occurred_on: '2024-10-01',
        link_event: ['', ''],
        citation_url: ['https://history.example/a', '', ''],
      });
      const path = `/events/${publicId}`;
      const form = formValues((await ben.get(`${path}/edit`)).text, path);
      expect((await ben.post(path, { ...form, title: 'Event with a longer history', occurred_on: '2024-10-02' })).status).toBe(303);
      expect((await ana.post(`${path}/delete`)).status).toBe(303);
      // While in the trash, the history is for analysts only.
      expect((await request(t.app).get(`${path}/history`)).status).toBe(404);
      expect((await ana.get(`${path}/history`)).status).toBe(200);
      expect((await ben.post(`${path}/restore`)).status).toBe(303);

      const res = await request(t.app).get(`${path}/history`);
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const entries = page('article.history-entry')
        .toArray()
        .map((e) => page(e));
      const headings = entries.map((e) => textOf(e, 'header').replace(/, \d.*$/, ''));
      expect(headings).toEqual(['Restored by Ben Analyst', 'Deleted by Ana Analyst', 'Edited by Ben Analyst', 'Created by Ana Analyst']);

      const edited = entries[2];
      expect(textsOf(edited, 'th[scope="col"]')).toContain('Before');
      expect(rowCells(edited, 'title')).toEqual(['Event with a history', 'Event with a longer history']);
      expect(rowCells(edited, 'occurred on')).toEqual(['2024-10-01', '2024-10-02']);
      // Only the fields that changed are listed.
      expect(textsOf(edited, 'th[scope="row"]')).not.toContain('summary');

      const created = entries[3];
      expect(rowCells(created, 'title')[0]).toBe('Event with a history');
      expect(created.text()).toContain(SUMMARY);
    });

    it('shows Edit and Delete on the demo event page only to signed-in analysts', async () => {
      const editLink = `/events/${GSA}/edit`;
      const deleteForm = `form[action="/events/${GSA}/delete"]`;
      const anonymous = await request(t.app).get(`/events/${GSA}`);
      expect(anonymous.status).toBe(200);
      const seen = parseHtml(anonymous.text);
      expect(hrefsOf(seen)).not.toContain(editLink);
      expect(seen(deleteForm)).toHaveLength(0);
      expect(hrefsOf(seen)).toContain(`/events/${GSA}/history`);

      const signedIn = parseHtml((await ana.get(`/events/${GSA}`)).text);
      expect(hrefsOf(signedIn)).toContain(editLink);
      expect(signedIn(deleteForm)).toHaveLength(1);
      expect((await ana.get(`/events/${GSA}/edit`)).status).toBe(200);
      expect((await request(t.app).get(`/events/${GSA}/edit`)).status).toBe(303);
    });
  });
});
