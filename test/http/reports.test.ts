import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';
import { createEvent, deleteEvent } from '../../src/events/editing';
import { type EventFormValues, parseEventForm } from '../../src/events/schema';
import type { Editor } from '../../src/history/repo';
import { fieldValue, hrefsOf, linksOf, parseHtml, rowsOf, textOf, textsOf } from '../helpers/dom';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { demoSources } from '../../seeds';
import { BSI, COMMERCE, DHS, DUTCH, FCC, KASPERSKY_TIMELINE, NCSC, NDAA, REJECTION, RESOLUTION, SUSPENSION, getRaw } from './support';

jest.setTimeout(60000);

const EDITOR: Editor = { id: null, displayName: 'Reports test' };
const SEED_ARTICLE_TITLE = 'Kaspersky pulls a pause button on Europe’s Cybercrime project';
const STATUS_HEADER = ['vendor', 'jurisdiction', 'measure', 'event_id', 'in_force_since'];
const DAY = '\\d{4}-\\d{2}-\\d{2}';
// The demo's first vendors; the board of the others is checked in demo-data.test.ts.
const KASPERSKY_ERA_VENDORS = ['kaspersky-lab', 'china-telecom-americas', 'china-mobile-international-usa'];

type Row = Record<string, string>;

interface Csv {
  text: string;
  header: string[];
  rows: Row[];
  disposition: string;
}

/**
 * GETs a CSV and checks what every CSV download promises: 200, text/csv in UTF-8, an
 * attachment with a .csv file name, CRLF after every record, a header row, and a body
 * csv-parse reads the same way with and without insisting on CRLF.
 */
async function getCsv(app: Express, path: string): Promise<Csv> {
  const res = await getRaw(app, path);
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  const disposition = String(res.headers['content-disposition']);
  expect(disposition).toMatch(/^attachment; filename="[a-z0-9-]+\.csv"$/);
  const text = res.body.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const records = parse(text, { bom: true }) as string[][];
  const strict = parse(text, { bom: true, record_delimiter: '\r\n' }) as string[][];
  expect(strict).toEqual(records);
  expect(records.length).toBeGreaterThanOrEqual(1);
  const [header, ...body] = records;
  for (const r of body) expect(r.length).toBe(header.length);
  return { text, header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))), disposition };
}

const fileNameOf = (disposition: string) => /filename="([^"]+)"/.exec(disposition)?.[1] ?? '';

interface StatusRow {
  vendor: string;
  jurisdiction: string;
  measure: string;
  label: string;
  /** Where the measure cell links. */
  measureHref: string;
  /** Where the event title cell links. */
  titleHref: string;
  title: string;
}

/** The rows of the status board page, vendor by vendor (a section headed by a link to the vendor), in page order. */
function statusRowsOf(html: string): StatusRow[] {
  const page = parseHtml(html);
  return page('section')
    .toArray()
    .flatMap((section) => {
      const vendorHref = hrefsOf(page(section), '> h2 > a[href^="/vendors/"]')[0];
      if (vendorHref === undefined) return [];
      const vendor = decodeURIComponent(vendorHref.slice('/vendors/'.length));
      return page(section)
        .find('tr[class^="measure-"]')
        .toArray()
        .map((tr) => {
          const row = page(tr);
          const code = /\(([A-Z]+)\)$/.exec(textOf(row, 'th[scope="row"]'));
          const links = linksOf(row);
          if (!code || links.length !== 2) throw new Error(`Unexpected status row: ${textOf(row)}`);
          return {
            vendor,
            jurisdiction: code[1],
            measure: tr.attribs.class.slice('measure-'.length),
            label: links[0].text,
            measureHref: links[0].href,
            titleHref: links[1].href,
            title: links[1].text,
          };
        });
    });
}

/** The header cells and body rows of the first table of a page. */
function tableOf(html: string): { head: string[]; rows: string[][] } {
  const page = parseHtml(html);
  if (page('table').length === 0) throw new Error('No table on the page');
  return { head: textsOf(page('table').first(), 'thead th'), rows: rowsOf(page, 'table') };
}

/** The parameter names an error page sets in `<code>`, and its text. */
function errorOf(html: string): { codes: string[]; text: string } {
  const page = parseHtml(html);
  return { codes: textsOf(page, 'code'), text: textOf(page) };
}

/** A new-event form for the editing service, citing one new source. */
function eventForm(
  values: Partial<EventFormValues> & { title: string; type: string; jurisdiction: string; occurred_on: string },
  source = 'https://reports-test.example/a',
): EventFormValues {
  return {
    summary: '',
    actor: '',
    affected: [],
    vendors: ['kaspersky-lab'],
    effective_on: '',
    links: [],
    citations: [
      {
        source_id: '',
        url: source,
        title: `Article at ${source}`,
        publisher: '',
        published_on: '',
        reliability: '',
        quote: '',
        locator: '',
      },
    ],
    confirm_duplicate: '1',
    version: '',
    ...values,
  };
}

const statusTuples = (rows: Row[]) => rows.map((r) => [r.vendor, r.jurisdiction, r.measure, r.event_id, r.in_force_since]);

describeEachDatabase('reports on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const get = (path: string) => request(t.app).get(path);

  test('/reports lists the four reports, each with its page and its CSV', async () => {
    const res = await get('/reports');
    expect(res.status).toBe(200);
    const page = parseHtml(res.text);
    for (const name of ['events', 'status', 'sources', 'activity']) {
      expect(hrefsOf(page)).toContain(`/reports/${name}`);
      expect(hrefsOf(page)).toContain(`/reports/${name}.csv`);
    }
    const text = textOf(page);
    for (const title of ['Events', 'Status board', 'Sources', 'Activity']) expect(text).toContain(title);
  });

  test('an unknown report is a 404', async () => {
    const res = await get('/reports/secrets');
    expect(res.status).toBe(404);
    expect(textOf(parseHtml(res.text))).toContain('There is no report called "secrets".');
  });

  describe('status board', () => {
    test('as of 2018-06-30: removal ordered in US and NL, advised against in GB, ban called for in the EU, nothing in DE', async () => {
      const res = await get('/reports/status?as_of=2018-06-30');
      expect(res.status).toBe(200);
      const rows = statusRowsOf(res.text);
      expect(rows.map((r) => [r.vendor, r.jurisdiction, r.measure, r.label])).toEqual([
        ['kaspersky-lab', 'EU', 'ban-called-for', 'Ban called for (non-binding)'],
        ['kaspersky-lab', 'GB', 'advised-against', 'Advised against'],
        ['kaspersky-lab', 'NL', 'removal-ordered', 'Removal ordered'],
        ['kaspersky-lab', 'US', 'removal-ordered', 'Removal ordered'],
      ]);
      expect(rows.some((r) => r.jurisdiction === 'DE')).toBe(false);
      expect(fieldValue(parseHtml(res.text), 'as_of')).toBe('2018-06-30');
    });

    test('each cell links to the event that puts the measure in force', async () => {
      const rows = statusRowsOf((await get('/reports/status?as_of=2018-06-30')).text);
      const expected: Record<string, string> = { EU: RESOLUTION, GB: NCSC, NL: DUTCH, US: DHS };
      for (const r of rows) {
        expect(r.measureHref).toBe(`/events/${expected[r.jurisdiction]}`);
        expect(r.titleHref).toBe(`/events/${expected[r.jurisdiction]}`);
      }
      const ncsc = rows.find((r) => r.jurisdiction === 'GB') as StatusRow;
      expect(ncsc.title).toBe('UK NCSC advises departments against Russian anti-virus');
      const page = await get(ncsc.titleHref);
      expect(page.status).toBe(200);
    });

    test('as of 2023-01-01: the US has banned Kaspersky, Germany advises against it, and the FCC excludes two carriers', async () => {
      const rows = statusRowsOf((await get('/reports/status?as_of=2023-01-01')).text).filter((r) =>
        KASPERSKY_ERA_VENDORS.includes(r.vendor),
      );
      expect(rows.map((r) => [r.vendor, r.jurisdiction, r.measure, r.measureHref])).toEqual([
        ['china-mobile-international-usa', 'US', 'procurement-excluded', `/events/${FCC}`],
        ['china-telecom-americas', 'US', 'procurement-excluded', `/events/${FCC}`],
        ['kaspersky-lab', 'DE', 'advised-against', `/events/${BSI}`],
        ['kaspersky-lab', 'EU', 'ban-called-for', `/events/${RESOLUTION}`],
        ['kaspersky-lab', 'GB', 'advised-against', `/events/${NCSC}`],
        ['kaspersky-lab', 'NL', 'removal-ordered', `/events/${DUTCH}`],
        ['kaspersky-lab', 'US', 'banned', `/events/${NDAA}`],
      ]);
    });

    test('a measure takes force on its “in force from” date, not the day it was decided', async () => {
      const before = await getCsv(t.app, '/reports/status.csv?as_of=2018-09-30&vendor=kaspersky-lab');
      expect(before.rows.find((r) => r.jurisdiction === 'US')).toMatchObject({ measure: 'removal-ordered', event_id: DHS });
      const after = await getCsv(t.app, '/reports/status.csv?as_of=2018-10-01&vendor=kaspersky-lab');
      expect(after.rows.find((r) => r.jurisdiction === 'US')).toMatchObject({
        measure: 'banned',
        event_id: NDAA,
        in_force_since: '2018-10-01',
      });
    });

    test('before the first event nothing is in force, and the page says so', async () => {
      const res = await get('/reports/status?as_of=2016-01-01');
      expect(res.status).toBe(200);
      expect(statusRowsOf(res.text)).toEqual([]);
      expect(textOf(parseHtml(res.text))).toContain('No measure is in force on 1 January 2016');
      const csv = await getCsv(t.app, '/reports/status.csv?as_of=2016-01-01');
      expect(csv.header).toEqual(STATUS_HEADER);
      expect(csv.rows).toEqual([]);
    });

    test('the status CSV has exactly the columns vendor, jurisdiction, measure, event_id, in_force_since and the board’s rows', async () => {
      const csv = await getCsv(t.app, '/reports/status.csv?as_of=2018-06-30');
      expect(csv.header).toEqual(STATUS_HEADER);
      expect(statusTuples(csv.rows)).toEqual([
        ['kaspersky-lab', 'EU', 'ban-called-for', RESOLUTION, '2018-06-13'],
        ['kaspersky-lab', 'GB', 'advised-against', NCSC, '2017-12-01'],
        ['kaspersky-lab', 'NL', 'removal-ordered', DUTCH, '2018-05-14'],
        ['kaspersky-lab', 'US', 'removal-ordered', DHS, '2017-09-13'],
      ]);
      expect(fileNameOf(csv.disposition)).toMatch(new RegExp(`^all-status-as-of-2018-06-30-${DAY}\\.csv$`));

      const later = await getCsv(t.app, '/reports/status.csv?as_of=2023-01-01');
      expect(statusTuples(later.rows.filter((r) => KASPERSKY_ERA_VENDORS.includes(r.vendor)))).toEqual([
        ['china-mobile-international-usa', 'US', 'procurement-excluded', FCC, '2022-03-25'],
        ['china-telecom-americas', 'US', 'procurement-excluded', FCC, '2022-03-25'],
        ['kaspersky-lab', 'DE', 'advised-against', BSI, '2022-03-15'],
        ['kaspersky-lab', 'EU', 'ban-called-for', RESOLUTION, '2018-06-13'],
        ['kaspersky-lab', 'GB', 'advised-against', NCSC, '2017-12-01'],
        ['kaspersky-lab', 'NL', 'removal-ordered', DUTCH, '2018-05-14'],
        ['kaspersky-lab', 'US', 'banned', NDAA, '2018-10-01'],
      ]);
    });

    test('the vendor filter keeps one vendor, in the page, the CSV and its file name', async () => {
      const csv = await getCsv(t.app, '/reports/status.csv?as_of=2023-01-01&vendor=china-telecom-americas');
      expect(statusTuples(csv.rows)).toEqual([['china-telecom-americas', 'US', 'procurement-excluded', FCC, '2022-03-25']]);
      expect(fileNameOf(csv.disposition)).toMatch(new RegExp(`^china-telecom-americas-status-as-of-2023-01-01-${DAY}\\.csv$`));
      const page = await get('/reports/status?as_of=2023-01-01&vendor=china-telecom-americas');
      expect(statusRowsOf(page.text).map((r) => [r.vendor, r.jurisdiction])).toEqual([['china-telecom-americas', 'US']]);
      expect(hrefsOf(parseHtml(page.text))).toContain('/reports/status.csv?as_of=2023-01-01&vendor=china-telecom-americas');
    });

    test('without as_of the board is as of today: the newest US ban is in force', async () => {
      const csv = await getCsv(t.app, '/reports/status.csv?vendor=kaspersky-lab');
      expect(csv.rows.find((r) => r.jurisdiction === 'US')).toMatchObject({
        measure: 'banned',
        event_id: COMMERCE,
        in_force_since: '2024-07-20',
      });
      const asOf = /-status-as-of-(\d{4}-\d{2}-\d{2})-/.exec(fileNameOf(csv.disposition))?.[1] ?? '';
      expect(asOf >= '2024-07-20').toBe(true);
    });

    test.each(['2018-13-01', '2018-06', '2018-02-30', '2018', 'yesterday', '30/06/2018'])(
      'as_of=%s is a 400 naming as_of, on the page and the CSV',
      async (asOf) => {
        for (const path of ['/reports/status', '/reports/status.csv']) {
          const res = await get(`${path}?as_of=${encodeURIComponent(asOf)}`);
          expect({ path, status: res.status }).toEqual({ path, status: 400 });
          const error = errorOf(res.text);
          expect(error.codes).toContain('as_of');
          expect(error.text).toContain(`"${asOf}"`);
          expect(res.headers['content-type']).toMatch(/^text\/html/);
        }
      },
    );

    test('an unknown vendor is a 400 naming vendor', async () => {
      const res = await get('/reports/status?vendor=nobody');
      expect(res.status).toBe(400);
      expect(errorOf(res.text).codes).toContain('vendor');
    });
  });

  describe('events report', () => {
    /** Every citation of the vendor's live events, in timeline order and citation order. */
    async function expectedCitationRows(vendorSlug: string): Promise<string[][]> {
      const rows = (await t
        .db('citations as c')
        .join('events as e', 'e.id', 'c.event_id')
        .join('sources as s', 's.id', 'c.source_id')
        .join('event_vendors as ev', 'ev.event_id', 'e.id')
        .join('vendors as v', 'v.id', 'ev.vendor_id')
        .where('v.slug', vendorSlug)
        .whereNull('e.deleted_at')
        .orderBy([{ column: 'e.occurred_start' }, { column: 'e.id' }, { column: 'c.position' }])
        .select('e.public_id', 's.title', 'c.quote')) as Array<{ public_id: string; title: string; quote: string }>;
      return rows.map((r) => [r.public_id, r.title, r.quote]);
    }

    test('rows=citations has one row per event and source, with the quote', async () => {
      const csv = await getCsv(t.app, '/reports/events.csv?vendor=kaspersky-lab&rows=citations');
      const expected = await expectedCitationRows('kaspersky-lab');
      expect(expected).toHaveLength(23);
      expect(csv.rows.map((r) => [r.id, r.source_title, r.quote])).toEqual(expected);
      expect(csv.header).toEqual(
        expect.arrayContaining([
          'id',
          'title',
          'source_id',
          'source_title',
          'source_url',
          'source_publisher',
          'source_published_on',
          'quote',
          'locator',
        ]),
      );
      const quoted = csv.rows.find((r) => r.id === REJECTION) as Row;
      expect(quoted).toMatchObject({
        source_title: SEED_ARTICLE_TITLE,
        source_url: '',
        quote: 'this move by the parliament of Europe is calling for cybercrime',
      });
      // Each event's own cells repeat on each of its rows.
      for (const r of csv.rows.filter((x) => x.id === NDAA))
        expect(r.title).toBe('NDAA for FY2018 bans Kaspersky Lab across the federal government');
      expect(fileNameOf(csv.disposition)).toMatch(new RegExp(`^kaspersky-lab-citations-${DAY}\\.csv$`));
    });

    test('the page with rows=citations shows the same rows', async () => {
      const res = await get('/reports/events?vendor=kaspersky-lab&rows=citations&columns=id,source_title,quote');
      expect(res.status).toBe(200);
      const { head, rows } = tableOf(res.text);
      // The page heads its columns in words; the CSV keeps the column names.
      expect(head).toEqual(['Event id', 'Source', 'Quote']);
      expect(rows).toEqual(await expectedCitationRows('kaspersky-lab'));
      expect(textOf(parseHtml(res.text))).toContain('23 rows');
    });

    test('by default there is one row per event, in timeline order, with every export column', async () => {
      const csv = await getCsv(t.app, '/reports/events.csv?vendor=kaspersky-lab');
      expect(csv.rows.map((r) => r.id)).toEqual([...KASPERSKY_TIMELINE]);
      expect(csv.header).toEqual([
        'id',
        'occurred_on',
        'date_precision',
        'effective_on',
        'vendors',
        'jurisdiction',
        'actor',
        'affected',
        'type',
        'title',
        'summary',
        'responds_to',
        'source_titles',
        'source_urls',
        'updated_at',
      ]);
      expect(fileNameOf(csv.disposition)).toMatch(new RegExp(`^kaspersky-lab-events-${DAY}\\.csv$`));
      const page = tableOf((await get('/reports/events?vendor=kaspersky-lab')).text);
      expect(page.rows.map((r) => r[0])).toEqual([...KASPERSKY_TIMELINE]);
    });

    test('columns= chooses and orders the columns, in the page and the CSV', async () => {
      const columns = 'type,id,occurred_on';
      const csv = await getCsv(t.app, `/reports/events.csv?vendor=kaspersky-lab&columns=${columns}`);
      expect(csv.header).toEqual(['type', 'id', 'occurred_on']);
      expect(csv.rows[0]).toEqual({ type: 'procurement-exclusion', id: KASPERSKY_TIMELINE[0], occurred_on: '2017-07-11' });
      expect(csv.text.split('\r\n')[1]).toBe(`procurement-exclusion,${KASPERSKY_TIMELINE[0]},2017-07-11`);

      const res = await get(`/reports/events?vendor=kaspersky-lab&columns=${columns}`);
      const { head, rows } = tableOf(res.text);
      expect(head).toEqual(['Type', 'Event id', 'Date']);
      expect(rows[0]).toEqual(['Procurement exclusion', KASPERSKY_TIMELINE[0], '11 July 2017']);
      // The id cell links to the event; the page links to the CSV of the same report.
      const links = hrefsOf(parseHtml(res.text));
      expect(links).toContain(`/events/${KASPERSKY_TIMELINE[0]}`);
      expect(links).toContain('/reports/events.csv?vendor=kaspersky-lab&columns=type%2Cid%2Coccurred_on');
    });

    test('the timeline filters apply to the report', async () => {
      const csv = await getCsv(t.app, '/reports/events.csv?type=ban&columns=id');
      expect(csv.rows.map((r) => r.id)).toEqual([NDAA, '2022-11-25-fcc-bars-new-huawei-and-zte-equipment', COMMERCE]);
      const ranged = await getCsv(t.app, '/reports/events.csv?from=2018-06&to=2018-06&columns=id');
      expect(ranged.rows.map((r) => r.id)).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
    });

    test('an unknown column is a 400 that names it', async () => {
      for (const path of ['/reports/events', '/reports/events.csv']) {
        const res = await get(`${path}?columns=id,colour`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        const error = errorOf(res.text);
        expect(error.codes).toContain('columns');
        expect(error.text).toContain('unknown column "colour"');
      }
    });

    test('a citation column without rows=citations is a 400 saying it needs rows=citations', async () => {
      for (const path of ['/reports/events', '/reports/events.csv']) {
        const res = await get(`${path}?columns=id,quote`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        const error = errorOf(res.text);
        expect(error.codes).toContain('columns');
        expect(error.text).toContain('unknown column "quote" (it needs rows=citations)');
      }
    });

    test('a column named twice, or an unknown rows value, is a 400 naming the parameter', async () => {
      const twice = await get('/reports/events?columns=id,id');
      expect(twice.status).toBe(400);
      expect(errorOf(twice.text).codes).toContain('columns');
      const rows = await get('/reports/events.csv?rows=sources');
      expect(rows.status).toBe(400);
      expect(errorOf(rows.text).codes).toContain('rows');
    });
  });

  describe('sources report', () => {
    test('the CSV lists every source with the events citing it', async () => {
      const csv = await getCsv(t.app, '/reports/sources.csv');
      expect(csv.header).toEqual([
        'source_id',
        'title',
        'publisher',
        'author',
        'published_on',
        'url',
        'archived_url',
        'reliability',
        'event_ids',
        'event_titles',
      ]);
      const sources = (await t.db('sources').orderBy('id').select('id', 'title')) as Array<{ id: number; title: string }>;
      expect(sources).toHaveLength(demoSources.length);
      expect(csv.rows.map((r) => [r.source_id, r.title])).toEqual(sources.map((s) => [String(s.id), s.title]));
      const article = csv.rows.find((r) => r.title === SEED_ARTICLE_TITLE) as Row;
      expect(article.event_ids).toBe([RESOLUTION, SUSPENSION, REJECTION].join(' | '));
      expect(article.event_titles.split(' | ')).toHaveLength(3);
      expect(article).toMatchObject({ url: '', published_on: '2018-06' });
      const bleeping = csv.rows.find((r) => r.publisher === 'BleepingComputer') as Row;
      expect(bleeping.event_ids.split(' | ').sort()).toEqual(['2018-05-14-dutch-government-phases-out-kaspersky']);
      // Every source of the demo data is cited by at least one event.
      for (const r of csv.rows) expect(r.event_ids).not.toBe('');
      expect(fileNameOf(csv.disposition)).toMatch(new RegExp(`^sources-${DAY}\\.csv$`));
    });

    test('the page lists every source, linked, with the titles of the events citing it', async () => {
      const res = await get('/reports/sources');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const items = page('li').filter((_, li) => textOf(page(li)).includes('Cited by:'));
      expect(items).toHaveLength(demoSources.length);
      const article = items.filter((_, li) => textOf(page(li)).includes(SEED_ARTICLE_TITLE)).first();
      const text = textOf(article);
      expect(text).toContain('Kaspersky freezes its work with Europol and No More Ransom');
      expect(text).toContain('European Parliament resolution names Kaspersky software as malicious');
      expect(hrefsOf(article).filter((href) => /^\/sources\/\d+$/.test(href)).length).toBeGreaterThan(0);
      expect(textOf(page)).toContain(`${demoSources.length} sources`);
    });
  });

  describe('activity report', () => {
    const OVERALL = [
      ['2017', 'advisory', '1'],
      ['2017', 'ban', '1'],
      ['2017', 'procurement-exclusion', '1'],
      ['2017', 'removal-order', '1'],
      ['2018', 'cooperation-suspended', '1'],
      ['2018', 'removal-order', '1'],
      ['2018', 'resolution', '1'],
      ['2018', 'vendor-measure', '1'],
      ['2018', 'vendor-statement', '1'],
      ['2022', 'advisory', '1'],
      ['2022', 'procurement-exclusion', '1'],
      ['2024', 'ban', '1'],
    ];

    // Every demo vendor together.
    const ALL_VENDORS = [
      ['2017', 'advisory', '1'],
      ['2017', 'ban', '1'],
      ['2017', 'procurement-exclusion', '1'],
      ['2017', 'removal-order', '1'],
      ['2018', 'cooperation-suspended', '1'],
      ['2018', 'removal-order', '1'],
      ['2018', 'resolution', '1'],
      ['2018', 'vendor-measure', '1'],
      ['2018', 'vendor-statement', '1'],
      ['2019', 'export-control', '1'],
      ['2019', 'legal-action', '1'],
      ['2019', 'vendor-statement', '2'],
      ['2020', 'legal-action', '2'],
      ['2020', 'removal-order', '2'],
      ['2020', 'restriction-lifted', '1'],
      ['2020', 'vendor-statement', '1'],
      ['2021', 'export-control', '2'],
      ['2021', 'legal-action', '3'],
      ['2021', 'sanction', '1'],
      ['2021', 'vendor-statement', '5'],
      ['2022', 'advisory', '1'],
      ['2022', 'ban', '1'],
      ['2022', 'legal-action', '2'],
      ['2022', 'procurement-exclusion', '1'],
      ['2022', 'vendor-statement', '1'],
      ['2023', 'advisory', '1'],
      ['2023', 'procurement-exclusion', '1'],
      ['2023', 'vendor-statement', '1'],
      ['2024', 'ban', '1'],
      ['2024', 'legal-action', '3'],
      ['2025', 'legal-action', '2'],
      ['2025', 'vendor-statement', '2'],
    ];

    test('the CSV counts events per year and type, overall and for one vendor', async () => {
      const all = await getCsv(t.app, '/reports/activity.csv');
      expect(all.header).toEqual(['year', 'type', 'events']);
      expect(all.rows.map((r) => [r.year, r.type, r.events])).toEqual(ALL_VENDORS);
      expect(fileNameOf(all.disposition)).toMatch(new RegExp(`^all-activity-${DAY}\\.csv$`));

      const kaspersky = await getCsv(t.app, '/reports/activity.csv?vendor=kaspersky-lab');
      expect(kaspersky.rows.map((r) => [r.year, r.type, r.events])).toEqual(OVERALL);
      expect(fileNameOf(kaspersky.disposition)).toMatch(new RegExp(`^kaspersky-lab-activity-${DAY}\\.csv$`));

      const carrier = await getCsv(t.app, '/reports/activity.csv?vendor=china-telecom-americas');
      expect(carrier.rows.map((r) => [r.year, r.type, r.events])).toEqual([['2022', 'procurement-exclusion', '1']]);
    });

    test('the page shows a year-by-type table with totals', async () => {
      const res = await get('/reports/activity?vendor=kaspersky-lab');
      expect(res.status).toBe(200);
      const { head, rows } = tableOf(res.text);
      expect(head[0]).toBe('Year');
      expect(head[head.length - 1]).toBe('Total');
      expect(head).toEqual(expect.arrayContaining(['Ban', 'Advisory', 'Removal order', 'Procurement exclusion', 'Resolution']));
      expect(rows.map((r) => [r[0], r[r.length - 1]])).toEqual([
        ['2017', '4'],
        ['2018', '5'],
        ['2022', '2'],
        ['2024', '1'],
      ]);
      const banColumn = head.indexOf('Ban');
      expect(rows.map((r) => r[banColumn])).toEqual(['1', '', '', '1']);
      expect(textOf(parseHtml(res.text), 'tfoot')).toMatch(/^All years .* 12$/);
    });

    test('a vendor without events gets a clear message, and an unknown vendor a 400', async () => {
      await t.db('vendors').insert({
        slug: 'idle-vendor',
        name: 'Idle Vendor',
        aliases: '',
        description: '',
        version: 1,
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      });
      const idle = await get('/reports/activity?vendor=idle-vendor');
      expect(idle.status).toBe(200);
      expect(textOf(parseHtml(idle.text))).toContain('No events are recorded for Idle Vendor.');
      const csv = await getCsv(t.app, '/reports/activity.csv?vendor=idle-vendor');
      expect(csv.rows).toEqual([]);
      const unknown = await get('/reports/activity.csv?vendor=nobody');
      expect(unknown.status).toBe(400);
      expect(errorOf(unknown.text).codes).toContain('vendor');
    });
  });

  test('bom=1 starts a CSV with a byte-order mark for Excel; without it there is none', async () => {
    const plain = await getRaw(t.app, '/reports/activity.csv');
    expect(plain.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const withBom = await getRaw(t.app, '/reports/activity.csv?bom=1');
    expect(withBom.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(withBom.body.subarray(3).toString('utf8')).toBe(plain.body.toString('utf8'));
  });
});

describeEachDatabase('reports after edits on %s', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    const create = (key: string, form: EventFormValues) => createEvent(t.db, EDITOR, parseEventForm(form)).then((id) => (ids[key] = id));
    // Kaspersky, GB: the advisory is lifted in 2019; a new advisory follows in 2020.
    await create(
      'liftGb',
      eventForm(
        { title: 'UK lifts its advice against Kaspersky', type: 'restriction-lifted', jurisdiction: 'GB', occurred_on: '2019-03-01' },
        'https://reports-test.example/lift-gb',
      ),
    );
    await create(
      'newGb',
      eventForm(
        { title: 'UK advises against Kaspersky again', type: 'advisory', jurisdiction: 'GB', occurred_on: '2020-05-05' },
        'https://reports-test.example/new-gb',
      ),
    );
    // Kaspersky, NL: a court reverses the Dutch phase-out.
    await create(
      'reversal',
      eventForm(
        {
          title: 'Dutch court reverses the phase-out',
          type: 'legal-action',
          jurisdiction: 'NL',
          occurred_on: '2019-06-01',
          links: [{ relation: 'reverses', event: DUTCH }],
        },
        'https://reports-test.example/reversal',
      ),
    );
    // Kaspersky, US: an advisory supersedes the NDAA ban (made up for the test).
    await create(
      'supersession',
      eventForm(
        {
          title: 'New guidance supersedes section 1634',
          type: 'advisory',
          jurisdiction: 'US',
          occurred_on: '2020-02-01',
          links: [{ relation: 'supersedes', event: NDAA }],
        },
        'https://reports-test.example/supersession',
      ),
    );
    // China Telecom Americas, US: its exclusion is lifted; the other carrier's is not.
    await create(
      'liftCarrier',
      eventForm(
        {
          title: 'FCC removes China Telecom Americas from the Covered List',
          type: 'restriction-lifted',
          jurisdiction: 'US',
          occurred_on: '2023-01-10',
          vendors: ['china-telecom-americas'],
        },
        'https://reports-test.example/lift-carrier',
      ),
    );
    // A title a spreadsheet would run as a formula, citing a source whose title would be one too.
    ids.formula = await createEvent(
      t.db,
      EDITOR,
      parseEventForm({
        ...eventForm({
          title: '=HYPERLINK("https://evil.example/","Click me")',
          type: 'other',
          jurisdiction: 'INT',
          occurred_on: '2021-01-01',
        }),
        citations: [
          {
            source_id: '',
            url: 'https://formula.example/a',
            title: '@SUM(1+1) is a source title',
            publisher: '+publisher',
            published_on: '',
            reliability: '',
            quote: '-quoted',
            locator: '',
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const status = async (asOf: string) => statusTuples((await getCsv(t.app, `/reports/status.csv?as_of=${asOf}`)).rows);
  const cell = async (asOf: string, vendor: string, jurisdiction: string) =>
    (await status(asOf)).find((r) => r[0] === vendor && r[1] === jurisdiction);

  test('a restriction-lifted event ends the measure for that vendor and jurisdiction from its date', async () => {
    expect(await cell('2019-02-28', 'kaspersky-lab', 'GB')).toEqual(['kaspersky-lab', 'GB', 'advised-against', NCSC, '2017-12-01']);
    expect(await cell('2019-03-01', 'kaspersky-lab', 'GB')).toBeUndefined();
    expect(await cell('2020-01-01', 'kaspersky-lab', 'GB')).toBeUndefined();
    // Other jurisdictions of the vendor are untouched.
    expect(await cell('2019-03-01', 'kaspersky-lab', 'NL')).toEqual(['kaspersky-lab', 'NL', 'removal-ordered', DUTCH, '2018-05-14']);
    const page = statusRowsOf((await request(t.app).get('/reports/status?as_of=2019-03-01')).text);
    expect(page.some((r) => r.vendor === 'kaspersky-lab' && r.jurisdiction === 'GB')).toBe(false);
  });

  test('a measure taken after the lift is in force again', async () => {
    expect(await cell('2020-05-05', 'kaspersky-lab', 'GB')).toEqual(['kaspersky-lab', 'GB', 'advised-against', ids.newGb, '2020-05-05']);
  });

  test('a lift for one vendor leaves other vendors’ measures in the same jurisdiction in force', async () => {
    expect(await cell('2023-01-09', 'china-telecom-americas', 'US')).toEqual([
      'china-telecom-americas',
      'US',
      'procurement-excluded',
      FCC,
      '2022-03-25',
    ]);
    expect(await cell('2023-01-10', 'china-telecom-americas', 'US')).toBeUndefined();
    expect(await cell('2023-01-10', 'china-mobile-international-usa', 'US')).toEqual([
      'china-mobile-international-usa',
      'US',
      'procurement-excluded',
      FCC,
      '2022-03-25',
    ]);
    expect((await cell('2023-01-10', 'kaspersky-lab', 'US'))?.[2]).toBeDefined();
  });

  test('an event that reverses a measure ends it from the reversal’s date', async () => {
    expect(await cell('2019-05-31', 'kaspersky-lab', 'NL')).toEqual(['kaspersky-lab', 'NL', 'removal-ordered', DUTCH, '2018-05-14']);
    expect(await cell('2019-06-01', 'kaspersky-lab', 'NL')).toBeUndefined();
  });

  test('an event that supersedes a measure ends it; the next strongest measure still in force shows', async () => {
    expect(await cell('2020-01-31', 'kaspersky-lab', 'US')).toEqual(['kaspersky-lab', 'US', 'banned', NDAA, '2018-10-01']);
    expect(await cell('2020-02-01', 'kaspersky-lab', 'US')).toEqual(['kaspersky-lab', 'US', 'removal-ordered', DHS, '2017-09-13']);
    // The Commerce ban of 2024 is a new measure and is in force from its own date.
    expect(await cell('2024-07-20', 'kaspersky-lab', 'US')).toEqual(['kaspersky-lab', 'US', 'banned', COMMERCE, '2024-07-20']);
  });

  test('a title starting with "=" is neutralised in the events report CSV', async () => {
    const csv = await getCsv(t.app, '/reports/events.csv?vendor=kaspersky-lab');
    const row = csv.rows.find((r) => r.id === ids.formula) as Row;
    expect(row.title).toBe('\'=HYPERLINK("https://evil.example/","Click me")');
    expect(row.source_titles).toBe("'@SUM(1+1) is a source title");
    // No cell of the file starts with a formula character.
    for (const r of csv.rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  test('cells starting with =, +, - or @ are neutralised in the citations rows', async () => {
    const csv = await getCsv(t.app, '/reports/events.csv?vendor=kaspersky-lab&rows=citations');
    const row = csv.rows.find((r) => r.id === ids.formula) as Row;
    expect(row).toMatchObject({
      title: '\'=HYPERLINK("https://evil.example/","Click me")',
      source_title: "'@SUM(1+1) is a source title",
      source_publisher: "'+publisher",
      quote: "'-quoted",
    });
    for (const r of csv.rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  test('the sources CSV neutralises titles and the titles of citing events', async () => {
    const csv = await getCsv(t.app, '/reports/sources.csv');
    const row = csv.rows.find((r) => r.url === 'https://formula.example/a') as Row;
    expect(row).toMatchObject({
      title: "'@SUM(1+1) is a source title",
      publisher: "'+publisher",
      event_ids: ids.formula,
      event_titles: '\'=HYPERLINK("https://evil.example/","Click me")',
    });
  });

  test('the page shows the formula title as plain text', async () => {
    const res = await request(t.app).get(`/reports/events?vendor=kaspersky-lab&columns=id,title`);
    const { rows } = tableOf(res.text);
    expect(rows.find((r) => r[0] === ids.formula)).toEqual([ids.formula, '=HYPERLINK("https://evil.example/","Click me")']);
  });

  test('the activity report counts the new events', async () => {
    const csv = await getCsv(t.app, '/reports/activity.csv?vendor=kaspersky-lab');
    const count = (year: string, type: string) => csv.rows.find((r) => r.year === year && r.type === type)?.events;
    expect(count('2019', 'restriction-lifted')).toBe('1');
    expect(count('2019', 'legal-action')).toBe('1');
    expect(count('2020', 'advisory')).toBe('2');
    expect(count('2021', 'other')).toBe('1');
    const overall = await getCsv(t.app, '/reports/activity.csv');
    expect(overall.rows.find((r) => r.year === '2023' && r.type === 'restriction-lifted')?.events).toBe('1');
    expect(csv.rows.find((r) => r.year === '2023')).toBeUndefined();
  });

  test('every report form offers the first vendors by name, kept between requests and up to date after a change', async () => {
    const FORMS = ['/reports/activity', '/reports/status', '/reports/events'];
    const offered = async (path: string) => {
      const res = await request(t.app).get(path).set('Cookie', 'vpt.sid=not-a-session');
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const page = parseHtml(res.text);
      return {
        html: res.text,
        slugs: page('datalist#vendor-choices option')
          .toArray()
          .map((o) => page(o).attr('value')),
        names: textsOf(page, 'datalist#vendor-choices option'),
      };
    };
    const stored = async () =>
      (await t
        .db('vendors')
        .select('slug', 'name')
        .orderBy([{ column: 'name' }, { column: 'id' }])) as Array<{ slug: string; name: string }>;

    const before = await stored();
    // Asked for twice at one data version: the second page is made from the kept options.
    for (const path of [...FORMS, ...FORMS]) {
      const { slugs, names } = await offered(path);
      expect({ path, slugs, names }).toEqual({ path, slugs: before.map((v) => v.slug), names: before.map((v) => v.name) });
    }

    const now = new Date().toISOString();
    await t.db('vendors').insert({
      slug: 'choice-probe',
      name: '<b>Choice & Probe</b>',
      aliases: '',
      description: '',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    const after = await stored();
    expect(after.length).toBe(before.length + 1);
    for (const path of FORMS) {
      const { html, slugs, names } = await offered(path);
      expect({ path, slugs, names }).toEqual({ path, slugs: after.map((v) => v.slug), names: after.map((v) => v.name) });
      expect(html).toContain('<option value="choice-probe">&lt;b&gt;Choice &amp; Probe&lt;/b&gt;</option>');
    }
    await t.db('vendors').where({ slug: 'choice-probe' }).del();
  });

  // Last: it deletes one of the events the tests above rely on.
  test('once the reversing event is deleted, the measure it reversed is in force again', async () => {
    await deleteEvent(t.db, EDITOR, ids.reversal);
    expect(await cell('2019-06-01', 'kaspersky-lab', 'NL')).toEqual(['kaspersky-lab', 'NL', 'removal-ordered', DUTCH, '2018-05-14']);
  });
});

describeEachDatabase('status board and reversed lifts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t.cleanup());

  // Demo data: PTS excluded Huawei from Swedish 5G on 2020-10-20; a court's interim order lifted
  // it on 2020-11-09; the appeal court reversed that order on 2020-12-16.
  const swedishCell = async (asOf: string) => {
    const res = await request(t.app).get(`/reports/status.csv?as_of=${asOf}&vendor=huawei`);
    expect(res.status).toBe(200);
    return res.text.split('\r\n').find((line) => line.startsWith('huawei,SE,')) ?? null;
  };

  it('a lift that was later reversed ends its effect from the day of the reversal', async () => {
    expect(await swedishCell('2020-11-01')).toMatch(/^huawei,SE,removal-ordered,/);
    expect(await swedishCell('2020-11-20')).toBeNull();
    expect(await swedishCell('2021-01-01')).toMatch(/^huawei,SE,removal-ordered,/);
  });
});
