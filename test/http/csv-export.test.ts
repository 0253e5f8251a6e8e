import { parse } from 'csv-parse/sync';
import { format } from 'date-fns/format';
import request from 'supertest';
import type { Db } from '../../src/db/knex';
import { exportChunks } from '../../src/events/export';
import { parsePartialDate } from '../../src/lib/partialDate';
import { nowIso } from '../../src/lib/time';
import { demoEvents } from '../../seeds';
import { eventIdsOf, parseHtml, textOf } from '../helpers/dom';
import { badParameterOf } from '../helpers/domExtra';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { COMMERCE, FCC, KASPERSKY_TIMELINE, NDAA, REJECTION, RESOLUTION, SUSPENSION, SWISS_MOVE, getRaw, qs } from './support';

const HEADER = [
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
];

type CsvRow = Record<string, string>;

const FORMULA_VENDOR = 'formula-test-vendor';
const FORMULA_EVENT = 'formula-title-event';
const FORMULA_TITLE = '=HYPERLINK("https://evil.example/","Click me")';
const FORMULA_SOURCE_TITLE = '@SUM(1+1) is a source title';
const MULTILINE_SUMMARY = 'First line\nsecond line';

const BULK_VENDOR = 'bulk-test-vendor';
const BULK_COUNT = 1200;
// Many events share a first day, and month and day precisions tie, so pages of the export end inside runs of equal dates.
const BULK_DATES = ['2019', '2019-03', '2019-03-01', '2019-03-02', '2019-03-02', '2020-01-15'];
const bulkId = (i: number) => `bulk-${String(i).padStart(4, '0')}`;

async function insertVendor(db: Db, slug: string, name: string): Promise<number> {
  const now = nowIso();
  await db('vendors').insert({ slug, name, aliases: '', description: '', version: 1, created_at: now, updated_at: now });
  const row = await db('vendors').where({ slug }).first('id');
  return Number(row.id);
}

function eventRow(publicId: string, occurredOn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowIso();
  return {
    public_id: publicId,
    title: `Event ${publicId}`,
    summary: '',
    type: 'other',
    jurisdiction: 'INT',
    actor_id: null,
    occurred_on: occurredOn,
    occurred_start: parsePartialDate(occurredOn).start,
    effective_on: null,
    effective_start: null,
    version: 1,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    ...extra,
  };
}

/** An event whose title a spreadsheet would run as a formula, cited to a source whose title would run too. */
async function insertFormulaEvent(db: Db): Promise<void> {
  const vendorId = await insertVendor(db, FORMULA_VENDOR, 'Formula Test Vendor');
  await db('events').insert(eventRow(FORMULA_EVENT, '2019-02', { title: FORMULA_TITLE, summary: MULTILINE_SUMMARY }));
  const event = await db('events').where({ public_id: FORMULA_EVENT }).first('id');
  const now = nowIso();
  await db('sources').insert({
    url: 'https://example.com/formula',
    title: FORMULA_SOURCE_TITLE,
    publisher: '+Publisher',
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const source = await db('sources').where({ url: 'https://example.com/formula' }).first('id');
  await db('event_vendors').insert({ event_id: event.id, vendor_id: vendorId });
  await db('citations').insert({ event_id: event.id, source_id: source.id, quote: '', locator: '', position: 0 });
}

/** 1,200 live events and one deleted event for a vendor of their own; returns the live ids in timeline order. */
async function insertBulkEvents(db: Db): Promise<string[]> {
  const vendorId = await insertVendor(db, BULK_VENDOR, 'Bulk Test Vendor');
  const rows = Array.from({ length: BULK_COUNT }, (_, i) => eventRow(bulkId(i), BULK_DATES[i % BULK_DATES.length]));
  rows.push(eventRow('bulk-deleted', '2019-03-01', { deleted_at: nowIso() }));
  await db.batchInsert('events', rows, 100);
  const inserted: Array<{ id: number }> = await db('events').where('public_id', 'like', 'bulk-%').select('id');
  expect(inserted).toHaveLength(BULK_COUNT + 1);
  await db.batchInsert(
    'event_vendors',
    inserted.map((r) => ({ event_id: r.id, vendor_id: vendorId })),
    200,
  );
  // Inserted in index order, so within one first day the ids follow the index.
  return rows
    .slice(0, BULK_COUNT)
    .map((r, i) => ({ id: String(r.public_id), start: String(r.occurred_start), i }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.i - b.i))
    .map((r) => r.id);
}

describeEachDatabase('CSV export on %s', (kind) => {
  let t: TestApp;
  let bulkOrder: string[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertFormulaEvent(t.db);
    bulkOrder = await insertBulkEvents(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  async function csv(
    path: string,
  ): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer; text: string; rows: CsvRow[] }> {
    const res = await getRaw(t.app, path);
    const text = res.body.toString('utf8');
    const rows = res.status === 200 ? (parse(text, { columns: true, bom: true }) as CsvRow[]) : [];
    return { status: res.status, headers: res.headers as Record<string, string>, bytes: res.body, text, rows };
  }

  async function pageIds(params: Record<string, string>): Promise<string[]> {
    const res = await request(t.app).get(`/vendors/kaspersky-lab${qs(params)}`);
    expect(res.status).toBe(200);
    return eventIdsOf(parseHtml(res.text));
  }

  describe('GET /vendors/kaspersky-lab/events.csv', () => {
    it('is a CSV download named after the vendor and today', async () => {
      const before = format(new Date(), 'yyyy-MM-dd');
      const res = await csv('/vendors/kaspersky-lab/events.csv');
      const after = format(new Date(), 'yyyy-MM-dd');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv\b/);
      expect(res.headers['content-type']).toMatch(/charset=utf-8/i);
      const m = /^attachment; filename="kaspersky-lab-events-(\d{4}-\d{2}-\d{2})\.csv"$/.exec(res.headers['content-disposition']);
      expect(m).not.toBeNull();
      expect([before, after]).toContain(m![1]);
    });

    it('starts with the documented header row', async () => {
      const { text } = await csv('/vendors/kaspersky-lab/events.csv');
      expect(text.slice(0, text.indexOf('\r\n'))).toBe(HEADER.join(','));
    });

    it('ends every line with CRLF', async () => {
      const { text } = await csv('/vendors/kaspersky-lab/events.csv');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text).not.toMatch(/[^\r]\n/);
      expect(text).not.toMatch(/\r(?!\n)/);
      expect(text.split('\r\n')).toHaveLength(KASPERSKY_TIMELINE.length + 2);
    });

    it('holds the twelve demo events in timeline order', async () => {
      const { rows } = await csv('/vendors/kaspersky-lab/events.csv');
      expect(rows.map((r) => r.id)).toEqual([...KASPERSKY_TIMELINE]);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(HEADER);
        expect(row.vendors.split(' | ')).toContain('kaspersky-lab');
        expect(row.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
        expect(row.source_titles).not.toBe('');
      }
    });

    it('gives the date precision and the date a law takes effect', async () => {
      const { rows } = await csv('/vendors/kaspersky-lab/events.csv');
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(NDAA)).toMatchObject({
        occurred_on: '2017-12-12',
        date_precision: 'day',
        effective_on: '2018-10-01',
        type: 'ban',
        jurisdiction: 'US',
        actor: 'us-congress',
      });
      expect(byId.get(COMMERCE)).toMatchObject({ effective_on: '2024-07-20' });
      expect(byId.get(SWISS_MOVE)).toMatchObject({ occurred_on: '2018-05-15', date_precision: 'day', effective_on: '' });
    });

    it('gives the affected bodies and the event a response answers', async () => {
      const { rows } = await csv('/vendors/kaspersky-lab/events.csv');
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(SUSPENSION)).toMatchObject({
        affected: 'europol | no-more-ransom',
        responds_to: RESOLUTION,
        actor: 'kaspersky-lab',
        type: 'cooperation-suspended',
        title: 'Kaspersky freezes its work with Europol and No More Ransom',
      });
      expect(byId.get(REJECTION)).toMatchObject({ affected: '', responds_to: RESOLUTION });
      expect(byId.get(RESOLUTION)).toMatchObject({ affected: '', responds_to: '' });
    });

    it('lists every vendor of an event shared by several', async () => {
      const { rows } = await csv('/vendors/kaspersky-lab/events.csv');
      expect(rows.find((r) => r.id === FCC)?.vendors).toBe('china-mobile-international-usa | china-telecom-americas | kaspersky-lab');
    });

    it('keeps source titles and addresses position for position, leaving the slot of the stored article empty', async () => {
      const { rows } = await csv('/vendors/kaspersky-lab/events.csv');
      const resolution = rows.find((r) => r.id === RESOLUTION)!;
      expect(resolution.source_titles.split(' | ')).toEqual([
        'Kaspersky pulls a pause button on Europe’s Cybercrime project',
        'EU Parliament backs recommending a ban on Kaspersky products',
        'European Parliament measure targets Russian anti-virus vendor Kaspersky Lab',
      ]);
      expect(resolution.source_urls.split(' | ')).toEqual([
        '',
        'https://www2.cso.com.au/article/print/642394/eu-parliament-overwhelmingly-backs-recommending-ban-kaspersky-products/',
        'https://www.washingtontimes.com/news/2018/jun/13/kaspersky-lab-russian-antivirus-vendor-targeting-m/',
      ]);
    });

    it('starts with the UTF-8 byte order mark with ?bom=1, and only then', async () => {
      const withBom = await csv('/vendors/kaspersky-lab/events.csv?bom=1');
      expect(withBom.status).toBe(200);
      expect([...withBom.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(withBom.bytes.subarray(3, 3 + 'id,occurred_on'.length).toString('utf8')).toBe('id,occurred_on');
      expect(withBom.rows.map((r) => r.id)).toEqual([...KASPERSKY_TIMELINE]);

      const without = await csv('/vendors/kaspersky-lab/events.csv');
      expect(without.bytes.subarray(0, 'id,occurred_on'.length).toString('utf8')).toBe('id,occurred_on');
    });

    it('writes only the header row when nothing matches', async () => {
      const res = await csv('/vendors/kaspersky-lab/events.csv?q=no-such-word-anywhere');
      expect(res.status).toBe(200);
      expect(res.text).toBe(`${HEADER.join(',')}\r\n`);
    });

    it('is a 404 for an unknown vendor', async () => {
      const res = await request(t.app).get('/vendors/no-such-vendor/events.csv');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toMatch(/text\/csv/);
    });
  });

  describe('the same events as the page', () => {
    const COMBINATIONS: Array<Record<string, string>> = [
      {},
      { type: 'ban' },
      { jurisdiction: 'us' },
      { actor: 'kaspersky-lab' },
      { from: '2018-05-02', to: '2022' },
      { to: '2018-05-13' },
      { from: '2018-06-13', to: '2018-06-13' },
      { q: 'kaspersky parliament' },
      { q: 'EUROPOL' },
      { order: 'desc' },
      { type: 'advisory', order: 'desc' },
      { jurisdiction: 'EU', actor: 'kaspersky-lab', from: '2018', to: '2018-06', order: 'desc' },
      { q: 'no-such-word-anywhere' },
    ];

    it.each(COMBINATIONS)('for %j, on the vendor export and on /events.csv?vendor=', async (params) => {
      const expected = await pageIds(params);
      if (Object.keys(params).length === 0) expect(expected).toEqual([...KASPERSKY_TIMELINE]);

      const vendorExport = await csv(`/vendors/kaspersky-lab/events.csv${qs(params)}`);
      expect(vendorExport.status).toBe(200);
      expect(vendorExport.rows.map((r) => r.id)).toEqual(expected);

      const allExport = await csv(`/events.csv${qs({ vendor: 'kaspersky-lab', ...params })}`);
      expect(allExport.status).toBe(200);
      expect(allExport.rows.map((r) => r.id)).toEqual(expected);
    });
  });

  describe('GET /events.csv', () => {
    it('names the file after the vendor asked for', async () => {
      const res = await csv('/events.csv?vendor=kaspersky-lab');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="kaspersky-lab-events-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.text.slice(0, res.text.indexOf('\r\n'))).toBe(HEADER.join(','));
    });

    it('without a vendor exports every live event of every vendor', async () => {
      const res = await csv('/events.csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv\b/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="all-events-\d{4}-\d{2}-\d{2}\.csv"$/);
      const ids = res.rows.map((r) => r.id);
      expect(ids).toHaveLength(demoEvents.length + 1 + BULK_COUNT);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of [...KASPERSKY_TIMELINE, FORMULA_EVENT, bulkId(0), bulkId(BULK_COUNT - 1)]) expect(ids).toContain(id);
      expect(ids).not.toContain('bulk-deleted');
    });
  });

  describe('parameters that cannot be used', () => {
    const BAD: Array<[Record<string, string>, string]> = [
      [{ from: '2018-13' }, 'from'],
      [{ to: '2021-02-29' }, 'to'],
      [{ type: 'unknown' }, 'type'],
      [{ order: 'sideways' }, 'order'],
      [{ jurisdiction: 'XX' }, 'jurisdiction'],
      [{ actor: 'nobody' }, 'actor'],
      [{ q: 'x'.repeat(201) }, 'q'],
    ];

    it.each(BAD)('%j is a 400 naming %s, as on the page', async (params, name) => {
      const page = await request(t.app).get(`/vendors/kaspersky-lab${qs(params)}`);
      expect(page.status).toBe(400);
      for (const path of [`/vendors/kaspersky-lab/events.csv${qs(params)}`, `/events.csv${qs({ vendor: 'kaspersky-lab', ...params })}`]) {
        const res = await request(t.app).get(path);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).not.toMatch(/text\/csv/);
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(badParameterOf(parseHtml(res.text))).toBe(name);
      }
    });

    it('a parameter given twice is a 400', async () => {
      for (const path of ['/vendors/kaspersky-lab/events.csv?type=ban&type=advisory', '/events.csv?type=ban&type=advisory']) {
        const res = await request(t.app).get(path);
        expect(res.status).toBe(400);
        expect(badParameterOf(parseHtml(res.text))).toBe('type');
      }
    });

    it('a start after the end is a 400', async () => {
      const res = await request(t.app).get('/vendors/kaspersky-lab/events.csv?from=2019&to=2018');
      expect(res.status).toBe(400);
      expect(textOf(parseHtml(res.text))).toContain('the end of the period comes before its start');
    });

    it.each([['nobody'], ['<script>'], ['\u0000']])('an unknown vendor %j on /events.csv is a 400 naming vendor', async (vendor) => {
      const res = await request(t.app).get(`/events.csv${qs({ vendor })}`);
      expect(res.status).toBe(400);
      expect(badParameterOf(parseHtml(res.text))).toBe('vendor');
      // Escaping, so on the bytes: the vendor typed is never markup.
      expect(res.text).not.toMatch(/<script>/);
    });
  });

  describe('cells a spreadsheet would run', () => {
    it('get a leading apostrophe', async () => {
      const res = await csv(`/vendors/${FORMULA_VENDOR}/events.csv`);
      expect(res.status).toBe(200);
      expect(res.rows).toHaveLength(1);
      const [row] = res.rows;
      expect(row.id).toBe(FORMULA_EVENT);
      expect(row.title).toBe(`'${FORMULA_TITLE}`);
      expect(row.source_titles).toBe(`'${FORMULA_SOURCE_TITLE}`);
      expect(row.source_urls).toBe('https://example.com/formula');
      expect(row.vendors).toBe(FORMULA_VENDOR);
      // The raw file never has a cell that begins with the formula.
      expect(res.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    });

    it('a line break inside a cell is quoted, so the record stays one row for any CSV reader', async () => {
      const res = await csv(`/vendors/${FORMULA_VENDOR}/events.csv`);
      expect(res.rows[0].summary).toBe(MULTILINE_SUMMARY);
      expect(res.text).toContain(`,"${MULTILINE_SUMMARY}",`);
      // Read as a file whose lines may end in LF alone (as spreadsheets do), it still has one header and one record.
      const loose = parse(res.text.replace(/\r\n/g, '\n'), { columns: true, record_delimiter: '\n' }) as CsvRow[];
      expect(loose).toHaveLength(1);
    });
  });

  describe('a large export', () => {
    it('returns every one of 1,200 events, in timeline order, without the deleted one', async () => {
      const res = await csv(`/vendors/${BULK_VENDOR}/events.csv`);
      expect(res.status).toBe(200);
      const ids = res.rows.map((r) => r.id);
      expect(ids).toHaveLength(BULK_COUNT);
      expect(ids).toEqual(bulkOrder);
    });

    it('returns them newest first with order=desc', async () => {
      const res = await csv(`/vendors/${BULK_VENDOR}/events.csv?order=desc`);
      expect(res.rows.map((r) => r.id)).toEqual([...bulkOrder].reverse());
    });

    it('keeps the filters across the pages it reads', async () => {
      const res = await csv(`/vendors/${BULK_VENDOR}/events.csv?from=2019-03-01&to=2019-03-01`);
      const expected = bulkOrder.filter((id) => ['2019-03', '2019-03-01'].includes(BULK_DATES[Number(id.slice(5)) % BULK_DATES.length]));
      expect(expected.length).toBeGreaterThan(200);
      expect(res.rows.map((r) => r.id)).toEqual(expected);
    });

    it.each([
      ['asc', { pageRows: 7, pagesPerKeyRead: 3, pagesAhead: 3 }],
      ['desc', { pageRows: 50, pagesPerKeyRead: 1, pagesAhead: 2 }],
      ['asc', { pageRows: 3, pagesPerKeyRead: 2, pagesAhead: 1 }],
    ] as const)('read %s in pages cut by keys (%j), several at once, still holds every row once and in order', async (order, reading) => {
      const vendor = await t.db('vendors').where({ slug: BULK_VENDOR }).first('id');
      let text = '';
      for await (const piece of exportChunks(t.db, { vendorId: Number(vendor.id), order }, reading)) text += piece;
      const ids = (parse(text) as string[][]).map((r) => r[0]);
      expect(ids).toEqual(order === 'asc' ? bulkOrder : [...bulkOrder].reverse());
    });

    it('reads one page ahead while other requests are being answered, several when none are', async () => {
      const vendor = await t.db('vendors').where({ slug: BULK_VENDOR }).first('id');
      const reading = { pageRows: 7, pagesPerKeyRead: 6, pagesAhead: 3 };
      /** The most export pages (the queries that list source URLs) read at once in a whole export. */
      const mostAtOnce = async (othersActive: () => boolean): Promise<number> => {
        const pages = new Set<string>();
        let now = 0;
        let most = 0;
        const started = (q: { __knexQueryUid: string; sql: string }) => {
          if (!q.sql.includes('source_urls')) return;
          pages.add(q.__knexQueryUid);
          most = Math.max(most, ++now);
        };
        const ended = (_r: unknown, q: { __knexQueryUid: string }) => {
          if (pages.delete(q.__knexQueryUid)) now--;
        };
        t.db.on('query', started).on('query-response', ended).on('query-error', ended);
        try {
          let rows = 0;
          for await (const piece of exportChunks(t.db, { vendorId: Number(vendor.id), order: 'asc' }, reading, othersActive))
            rows += piece.split('\r\n').length - 1;
          expect(rows).toBe(BULK_COUNT);
        } finally {
          t.db.removeListener('query', started).removeListener('query-response', ended).removeListener('query-error', ended);
        }
        return most;
      };
      expect(await mostAtOnce(() => true)).toBe(1);
      expect(await mostAtOnce(() => false)).toBeGreaterThan(1);
    });

    it('read while pages are asked for (the export gives way to them), holds the same rows as read alone', async () => {
      const alone = await csv('/events.csv');
      const pages = Array.from({ length: 12 }, () => request(t.app).get(`/vendors/${BULK_VENDOR}`));
      const [busy, ...answered] = await Promise.all([csv('/events.csv'), ...pages]);
      expect(answered.map((r) => r.status)).toEqual(pages.map(() => 200));
      expect(busy.status).toBe(200);
      expect(busy.rows.length).toBeGreaterThan(BULK_COUNT);
      expect(busy.text).toBe(alone.text);
    });

    it('while the page shows at most 1,000 and says so', async () => {
      const res = await request(t.app).get(`/vendors/${BULK_VENDOR}`);
      expect(res.status).toBe(200);
      expect(eventIdsOf(parseHtml(res.text))).toEqual(bulkOrder.slice(0, 1000));
      expect(textOf(parseHtml(res.text))).toContain('Only the first 1000 events are shown');
    });
  });
});
