import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createTestUser } from '../helpers/users';
import { attrsOf, hrefsOf, linksOf, parseHtml, rowsOf, textOf, textsOf, type Page } from '../helpers/dom';
import { type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { GSA } from './support';

jest.setTimeout(60000);

const ANA = { email: 'reader.pages@example.org', password: 'reader-pages-000009', display_name: 'Ana Reader', role: 'analyst' as const };

/** The first table's header cells and body rows, as text. */
function tableOf(html: string): { head: string[]; rows: string[][] } {
  const page = parseHtml(html);
  return { head: textsOf(page('table').first(), 'thead th'), rows: rowsOf(page, 'table') };
}

/** The options of the <select> named `name`: [value, label]. */
function optionsOf(html: string, name: string): Array<[string, string]> {
  const page = parseHtml(html);
  const select = `select[name="${name}"]`;
  if (page(select).length === 0) throw new Error(`No select named ${name}`);
  const values = attrsOf(page, `${select} option`, 'value');
  return textsOf(page, `${select} option`).map((label, i) => [values[i], label]);
}

/** The error summary's links: [href, text]. */
function summaryLinks(page: Page): Array<[string, string]> {
  return linksOf(page, 'section#error-summary.error-summary a').map((l) => [l.href, l.text]);
}

/** How many elements carry the id (a link to a field must find exactly one). */
const withId = (page: Page, id: string) => page(`[id="${id}"]`).length;

describeEachDatabase('reader-facing pages and forms on %s', (kind) => {
  let t: TestApp;
  let ana: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestUser(t.db, ANA);
    ana = await signedInBrowser(t.app, ANA);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const get = (path: string) => request(t.app).get(path);

  test('reader pages speak to readers: no ?bom=1, no YYYY placeholders, no URL patterns or slugs, no npm commands', async () => {
    const sourceId = (await t.db('sources').orderBy('id').first('id')).id;
    const pages = [
      '/',
      '/vendors',
      '/vendors/kaspersky-lab',
      `/events/${GSA}`,
      '/actors',
      `/sources/${sourceId}`,
      '/search?q=europol',
      '/reports',
      '/reports/events',
      '/reports/status',
      '/reports/sources',
      '/reports/activity',
    ];
    for (const path of pages) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      // What a reader reads: the page's text (its title too) and the hints of its form fields.
      const page = parseHtml(res.text);
      const text = `${textOf(page, 'html')} ${attrsOf(page, '[placeholder]', 'placeholder').join(' ')}`;
      for (const word of [/bom=1/, /YYYY/, /\bnpm\b/, /\bslug\b/i, /\/:\w+/, /\[-MM/])
        expect({ path, found: word.test(text) ? String(word) : null }).toEqual({ path, found: null });
    }
  });

  describe('events report', () => {
    test('shows names, labels and dates in words on the page, while the CSV keeps slugs and codes', async () => {
      const gsa = (await t
        .db('events as e')
        .join('actors as a', 'a.id', 'e.actor_id')
        .where('e.public_id', GSA)
        .first('a.name', 'a.slug')) as { name: string; slug: string };
      const res = await get('/reports/events?vendor=kaspersky-lab&columns=id,occurred_on,vendors,actor,jurisdiction,type');
      expect(res.status).toBe(200);
      const { head, rows } = tableOf(res.text);
      expect(head).toEqual(['Event id', 'Date', 'Vendors', 'Acting body', 'Jurisdiction', 'Type']);
      expect(rows[0]).toEqual([GSA, '11 July 2017', 'Kaspersky Lab', gsa.name, 'United States', 'Procurement exclusion']);
      // Each cell names its column, for the stacked rows on phones.
      const actorLabels = attrsOf(parseHtml(res.text), 'td.col-actor', 'data-label');
      expect(actorLabels.length).toBeGreaterThan(0);
      expect(new Set(actorLabels)).toEqual(new Set(['Acting body']));

      const csv = parse(
        (await get('/reports/events.csv?vendor=kaspersky-lab&columns=id,occurred_on,vendors,actor,jurisdiction,type')).text,
        { columns: true, bom: true },
      ) as Array<Record<string, string>>;
      expect(csv[0]).toEqual({
        id: GSA,
        occurred_on: '2017-07-11',
        vendors: 'kaspersky-lab',
        actor: gsa.slug,
        jurisdiction: 'US',
        type: 'procurement-exclusion',
      });
    });

    test('columns are chosen with checkboxes: one parameter per box, carried on to the CSV link', async () => {
      const page = await get('/reports/events?vendor=kaspersky-lab&rows=events&columns=type&columns=id&columns=title');
      expect(page.status).toBe(200);
      expect(tableOf(page.text).head).toEqual(['Type', 'Event id', 'Title']);
      const doc = parseHtml(page.text);
      expect(hrefsOf(doc, 'a[download]').filter((href) => href.includes('columns=type%2Cid%2Ctitle'))).toHaveLength(1);
      // A box for every column, ticked for the chosen ones.
      const inputs = doc('input[type="checkbox"][name="columns"]').toArray();
      const boxes = inputs.map((box) => [box.attribs.value, 'checked' in box.attribs] as const);
      expect(inputs.map((box) => box.attribs.id)).toEqual(boxes.map(([c]) => `col-${c}`));
      expect(
        boxes
          .filter(([, checked]) => checked)
          .map(([c]) => c)
          .sort(),
      ).toEqual(['id', 'title', 'type']);
      expect(boxes).toHaveLength(15);
      const csv = await get('/reports/events.csv?vendor=kaspersky-lab&columns=type&columns=id');
      expect(csv.status).toBe(200);
      expect(csv.text.split('\r\n')[0]).toBe('type,id');
    });

    test('the form offers jurisdictions by name and dates as examples, not placeholders', async () => {
      const res = await get('/reports/events');
      expect(optionsOf(res.text, 'jurisdiction')).toEqual(
        expect.arrayContaining([
          ['', 'Any jurisdiction'],
          ['DE', 'Germany (DE)'],
          ['EU', 'European Union (EU)'],
        ]),
      );
      expect(textOf(parseHtml(res.text))).toContain('2018, 2018-06 or 2018-06-13');
    });
  });

  describe('jurisdiction and country pickers', () => {
    test('offer every code with its name, the EU and INT for jurisdictions, countries only for a vendor, and no withdrawn code', async () => {
      const eventForm = optionsOf((await ana.get('/events/new?vendor=kaspersky-lab')).text, 'jurisdiction');
      const actorForm = optionsOf((await ana.get('/actors/new')).text, 'jurisdiction');
      const vendorForm = optionsOf((await ana.get('/vendors/new')).text, 'country');
      for (const options of [eventForm, actorForm]) {
        expect(options).toEqual(
          expect.arrayContaining([
            ['DE', 'Germany (DE)'],
            ['EU', 'European Union (EU)'],
            ['INT', 'International (INT)'],
            ['GB', 'United Kingdom (GB)'],
          ]),
        );
        expect(options).toHaveLength(1 + 2 + 249);
      }
      expect(eventForm[0]).toEqual(['', 'Choose…']);
      expect(actorForm[0]).toEqual(['', 'None']);
      expect(vendorForm).toEqual(expect.arrayContaining([['RU', 'Russia (RU)']]));
      expect(vendorForm.map(([v]) => v)).not.toContain('EU');
      expect(vendorForm).toHaveLength(1 + 249);
      for (const withdrawn of ['SU', 'DD', 'YU', 'UK']) expect(eventForm.map(([v]) => v)).not.toContain(withdrawn);
    });

    test('a name typed instead of a code gets the message about codes, and is kept, marked as unknown', async () => {
      const res = await ana.post('/actors', {
        name: 'Bundesamt für Typos',
        slug: '',
        kind: 'agency',
        jurisdiction: 'Germany',
        description: '',
      });
      expect(res.status).toBe(422);
      const page = parseHtml(res.text);
      expect(textsOf(page, 'small#f-jurisdiction-err.field-error')).toEqual(['Use a two-letter country code (ISO 3166-1), EU or INT.']);
      const options = optionsOf(res.text, 'jurisdiction');
      expect(options[1]).toEqual(['Germany', 'Germany (not a known code)']);
      expect(attrsOf(page, 'option[selected]', 'value')).toContain('Germany');
    });

    test('a withdrawn code such as SU is refused', async () => {
      const res = await ana.post('/vendors', {
        name: 'Withdrawn Code Vendor',
        slug: '',
        aliases: '',
        country: 'SU',
        website: '',
        description: '',
      });
      expect(res.status).toBe(422);
      expect(textOf(parseHtml(res.text))).toContain('Use a two-letter ISO 3166-1 country code, e.g. RU.');
    });
  });

  describe('error summary', () => {
    test('a refused vendor form lists each problem as a link to its field', async () => {
      const res = await ana.post('/vendors', { name: ' ', slug: 'Not A Slug', aliases: '', country: '', website: '', description: '' });
      expect(res.status).toBe(422);
      const page = parseHtml(res.text);
      expect(summaryLinks(page)).toEqual([
        ['#f-name', 'Name: Enter the vendor’s name.'],
        ['#f-slug', 'Slug: Use lower-case letters, digits and single hyphens, e.g. kaspersky-lab.'],
      ]);
      for (const [href] of summaryLinks(page)) expect(withId(page, href.slice(1))).toBe(1);
      // The script that moves the focus to the summary.
      expect(page('script[src="/assets/forms.js"][defer]')).toHaveLength(1);
    });

    test('a refused event form names repeated rows by number and links to the field in that row', async () => {
      const res = await ana.post('/events', {
        title: 'An event with two mistakes',
        summary: '',
        type: 'advisory',
        jurisdiction: 'US',
        actor: '',
        vendors: ['kaspersky-lab'],
        occurred_on: '2021-02-29',
        effective_on: '',
        link_relation: ['responds-to'],
        link_event: [''],
        citation_source_id: ['', ''],
        citation_url: ['https://example.org/reader-pages', ''],
        citation_title: ['', ''],
        citation_publisher: ['', ''],
        citation_published_on: ['', ''],
        citation_reliability: ['', ''],
        citation_quote: ['', ''],
        citation_locator: ['', ''],
      });
      expect(res.status).toBe(422);
      const page = parseHtml(res.text);
      const links = summaryLinks(page);
      expect(links).toEqual([
        ['#f-occurred_on', 'Date: Not a date: 2021-02-29 is not a day of the calendar.'],
        ['#f-citations-0-title', 'Source 1, title: Enter the title of the new source, or choose a recorded one.'],
      ]);
      for (const [href] of links) expect(withId(page, href.slice(1))).toBe(1);
    });

    test('a form that was not refused has no summary', async () => {
      const res = await ana.get('/vendors/new');
      expect(res.status).toBe(200);
      expect(parseHtml(res.text)('#error-summary, .error-summary, [data-error-summary]')).toHaveLength(0);
    });
  });
});
