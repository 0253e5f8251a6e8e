import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import request from 'supertest';
import type { Db } from '../../src/db/knex';
import { createEvent, updateEvent } from '../../src/events/editing';
import { EVENT_CSV_COLUMNS, type EventCsvColumn } from '../../src/events/csv';
import { eventFormValues } from '../../src/events/routes';
import { type EventFormValues, parseEventForm } from '../../src/events/schema';
import { getEvent } from '../../src/events/service';
import { AppError } from '../../src/lib/errors';
import { ImportFileError, parseEventsCsv } from '../../src/imports/parse';
import { importEvents } from '../../src/imports/run';
import { createUser } from '../../src/accounts/service';
import { NewUserInput } from '../../src/accounts/schema';
import { parseForm } from '../../src/lib/input';
import { type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { demoEvents } from '../../seeds';
import { eventIdsOf, hrefsOf, parseHtml, rowsOf as tableRowsOf, sectionOf, textOf as domTextOf, textsOf } from '../helpers/dom';
import { flashOf, importConfirmPathOf } from '../helpers/domExtra';
import { DHS, GSA, RESOLUTION, getRaw } from './support';

jest.setTimeout(60000);

type Cells = Record<EventCsvColumn, string>;

const PASSWORD = 'import test password 1234';
const ANALYST = { email: 'importer@example.org', password: PASSWORD, display_name: 'Ida Importer', role: 'analyst' };
const OTHER_ANALYST = { email: 'other-importer@example.org', password: PASSWORD, display_name: 'Otto Other', role: 'analyst' };

/** A row of the export's format; unspecified cells are empty. */
function csvRow(cells: Partial<Cells>): Cells {
  return Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, cells[c] ?? ''])) as Cells;
}

/** A CSV file in the export's format: header row, CRLF line ends. */
function csvFile(rows: Cells[], columns: readonly string[] = EVENT_CSV_COLUMNS): string {
  return stringify(rows, { header: true, columns: [...columns], record_delimiter: '\r\n' });
}

/** Parses an exported file into rows keyed by column. */
function rowsOf(text: string): Cells[] {
  return parse(text, { columns: true, bom: true }) as Cells[];
}

// Three events for a vendor the database does not know yet: it, an actor and the sources are created by the import.
const ACME_ADVISORY = csvRow({
  id: 'acme-2021-01-15-advisory',
  occurred_on: '2021-01-15',
  vendors: 'acme-security',
  jurisdiction: 'US',
  actor: 'us-dhs',
  type: 'advisory',
  title: 'DHS advises against Acme Security',
  summary: 'A made-up advisory for the import test.',
  source_titles: 'Acme advisory article',
  source_urls: 'https://import-test.example/acme-advisory',
});
const ACME_BAN = csvRow({
  id: 'acme-2021-02-28-ban',
  occurred_on: '2021-02-28',
  vendors: 'acme-security',
  jurisdiction: 'US',
  actor: 'acme-regulator',
  type: 'ban',
  title: 'Acme Security banned',
  summary: 'A made-up ban.',
  source_titles: 'Acme ban article',
  source_urls: 'https://import-test.example/acme-ban',
});
const ACME_STATEMENT = csvRow({
  id: 'acme-2021-03-01-statement',
  occurred_on: '2021-03-01',
  vendors: 'acme-security',
  jurisdiction: 'US',
  actor: '',
  type: 'vendor-statement',
  title: 'Acme Security rejects the ban',
  summary: 'A made-up statement.',
  responds_to: 'acme-2021-02-28-ban',
  source_titles: 'Acme statement without an address',
  source_urls: '',
});
const ACME_IDS = [ACME_ADVISORY.id, ACME_BAN.id, ACME_STATEMENT.id];
const ACME_FILE = csvFile([ACME_ADVISORY, ACME_BAN, ACME_STATEMENT]);
const ACME_FILE_WITH_BAD_ROWS = csvFile([
  ACME_ADVISORY,
  { ...ACME_BAN, occurred_on: '2021-02-29' },
  { ...ACME_STATEMENT, type: 'vendor-statment' },
]);

const TABLES = [
  'events',
  'event_vendors',
  'event_affected_actors',
  'event_links',
  'citations',
  'sources',
  'vendors',
  'actors',
  'revisions',
  'search_documents',
  'import_batches',
] as const;

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
  return out;
}

/** Uploads a file as the import form does: multipart, `_csrf` then `file`. */
function upload(browser: Browser, content: Buffer | string, options: { filename?: string; token?: string | null } = {}) {
  const token = options.token === undefined ? browser.token : options.token;
  const req = browser.agent.post('/imports');
  if (token !== null) req.field('_csrf', token);
  return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), {
    filename: options.filename ?? 'events.csv',
    contentType: 'text/csv',
  });
}

/** The visible text of a page. */
const textOf = (html: string): string => domTextOf(parseHtml(html));

/** The confirm form's address on a preview page, or null when the page has none. */
const confirmPathOf = (html: string): string | null => importConfirmPathOf(parseHtml(html));

/** The rows of the "cannot be imported" table: line, id and reasons. */
function invalidRowsOf(html: string): Array<{ line: number; id: string; reasons: string[] }> {
  const page = parseHtml(html);
  if (!page('h2').filter((_, h) => page(h).text() === 'Rows that cannot be imported').length) return [];
  return sectionOf(page, 'Rows that cannot be imported')
    .find('tbody tr')
    .toArray()
    .map((tr) => {
      const cells = page(tr).children('td');
      return {
        line: Number(cells.eq(0).text()),
        id: cells.eq(1).text(),
        reasons: cells
          .eq(2)
          .find('ul.reasons > li')
          .toArray()
          .map((li) => page(li).text()),
      };
    });
}

/** "N rows. A to create, B to update, C unchanged" from a preview page. */
function summaryOf(html: string): string {
  const m = /(\d+ rows?\. \d+ to create, \d+ to update, \d+ unchanged(?:, \d+ invalid)?)/.exec(textOf(html));
  if (!m) throw new Error(`No import summary on the page: ${textOf(html).slice(0, 500)}`);
  return m[1];
}

/** Uploads and confirms a file; returns the flash message shown afterwards. */
async function importFile(browser: Browser, content: string, filename = 'events.csv'): Promise<string> {
  const preview = await upload(browser, content, { filename });
  if (preview.status !== 200) throw new Error(`Preview answered ${preview.status}: ${textOf(preview.text).slice(0, 800)}`);
  const path = confirmPathOf(preview.text);
  if (!path) throw new Error('The preview has no confirm button');
  const done = await browser.post(path);
  expect(done.status).toBe(303);
  expect(done.headers.location).toBe('/imports');
  const page = await browser.get('/imports');
  return flashOf(parseHtml(page.text)) ?? '';
}

async function exportText(t: TestApp, path = '/events.csv'): Promise<string> {
  const res = await getRaw(t.app, path);
  expect(res.status).toBe(200);
  return res.body.toString('utf8');
}

describeEachDatabase('imports on %s', (kind) => {
  let t: TestApp;
  let analyst: Browser;
  let other: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await Promise.all([createUser(t.db, parseForm(NewUserInput, ANALYST)), createUser(t.db, parseForm(NewUserInput, OTHER_ANALYST))]);
    [analyst, other] = await Promise.all([signedInBrowser(t.app, ANALYST), signedInBrowser(t.app, OTHER_ANALYST)]);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  describe('who may import', () => {
    test('an anonymous visitor asking for the import page is sent to sign in', async () => {
      const res = await request(t.app).get('/imports');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fimports');
    });

    test('an anonymous upload is sent to sign in and writes nothing', async () => {
      const before = await rowCounts(t.db);
      const res = await request(t.app).post('/imports').attach('file', Buffer.from(ACME_FILE), 'events.csv');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
      expect(await rowCounts(t.db)).toEqual(before);
    });

    test('a signed-in analyst gets the form, with the expected header and the size limit', async () => {
      const res = await analyst.get('/imports');
      expect(res.status).toBe(200);
      expect(parseHtml(res.text)('form[action="/imports"]').attr('enctype')).toBe('multipart/form-data');
      expect(textsOf(parseHtml(res.text), 'ol.code-list code')).toEqual([...EVENT_CSV_COLUMNS]);
      expect(textOf(res.text)).toContain('at most 20 MB');
    });

    test('an upload without the CSRF token is refused with 403 and writes nothing', async () => {
      const before = await rowCounts(t.db);
      const res = await upload(analyst, ACME_FILE, { token: null });
      expect(res.status).toBe(403);
      expect(textOf(res.text)).toContain('This form has expired or did not come from this site');
      expect(await rowCounts(t.db)).toEqual(before);
    });

    test('an upload with another session’s CSRF token is refused with 403 and writes nothing', async () => {
      const before = await rowCounts(t.db);
      const res = await upload(analyst, ACME_FILE, { token: other.token });
      expect(res.status).toBe(403);
      expect(await rowCounts(t.db)).toEqual(before);
    });

    test('a form sent without a file asks for one', async () => {
      const res = await analyst.post('/imports', {});
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain('Choose a CSV file to import.');
    });
  });

  describe('bringing in a file', () => {
    test('a dry run of a valid file shows the counts and what is new, and writes no event', async () => {
      const before = await rowCounts(t.db);
      const res = await upload(analyst, ACME_FILE, { filename: 'acme.csv' });
      expect(res.status).toBe(200);
      expect(summaryOf(res.text)).toBe('3 rows. 3 to create, 0 to update, 0 unchanged');
      const text = textOf(res.text);
      expect(text).toContain('acme.csv');
      expect(text).toContain('Vendors: acme-security');
      expect(text).toContain('Actors: acme-regulator');
      expect(text).toContain('3 sources');
      expect(text).toContain('To create (3)');
      expect(textsOf(parseHtml(res.text), 'td')).toEqual(expect.arrayContaining(ACME_IDS));
      expect(confirmPathOf(res.text)).not.toBeNull();
      expect(text).toContain('Import 3 events');
      // Only the uploaded file is kept, waiting for confirmation.
      expect(await rowCounts(t.db)).toEqual({ ...before, import_batches: before.import_batches + 1 });
      expect(await t.db('events').whereIn('public_id', ACME_IDS).pluck('public_id')).toEqual([]);
    });

    test('bad rows are reported with their line number and reason, with no confirm button, and nothing is written', async () => {
      const before = await rowCounts(t.db);
      const res = await upload(analyst, ACME_FILE_WITH_BAD_ROWS, { filename: 'acme.csv' });
      expect(res.status).toBe(422);
      expect(summaryOf(res.text)).toBe('3 rows. 1 to create, 0 to update, 0 unchanged, 2 invalid');
      const invalid = invalidRowsOf(res.text);
      expect(invalid.map((r) => [r.line, r.id])).toEqual([
        [3, ACME_BAN.id],
        [4, ACME_STATEMENT.id],
      ]);
      expect(invalid[0].reasons).toEqual(['occurred_on: Not a date: 2021-02-29 is not a day of the calendar.']);
      expect(invalid[1].reasons).toEqual(['type: Choose the type of event.']);
      expect(textOf(res.text)).toContain('Nothing will be imported until every row is valid.');
      expect(confirmPathOf(res.text)).toBeNull();
      // No form, link or button anywhere leads to a confirmation.
      expect(parseHtml(res.text)('[action$="/confirm"], [href$="/confirm"], [formaction$="/confirm"]')).toHaveLength(0);
      expect(await rowCounts(t.db)).toEqual(before);
    });

    test('a row with a line break inside a quoted cell moves the line numbers of the rows below', async () => {
      const file = csvFile([
        { ...ACME_ADVISORY, summary: 'First line\nsecond line\nthird line' },
        { ...ACME_BAN, occurred_on: '2021-02-29' },
      ]);
      const res = await upload(analyst, file);
      expect(invalidRowsOf(res.text).map((r) => r.line)).toEqual([5]);
    });

    test('after fixing, confirming applies the file and the events appear on the vendor’s timeline', async () => {
      const before = await rowCounts(t.db);
      const flash = await importFile(analyst, ACME_FILE, 'acme.csv');
      expect(flash).toBe('Imported acme.csv: 3 created, 0 updated, 0 unchanged.');
      const after = await rowCounts(t.db);
      expect(after.events).toBe(before.events + 3);
      expect(after.vendors).toBe(before.vendors + 1);
      expect(after.actors).toBe(before.actors + 1);
      expect(after.sources).toBe(before.sources + 3);
      // The upload is kept as applied (without its content), so a second confirmation can say so.
      expect(after.import_batches).toBe(before.import_batches + 1);

      const timeline = await request(t.app).get('/vendors/acme-security');
      expect(timeline.status).toBe(200);
      expect(eventIdsOf(parseHtml(timeline.text))).toEqual(ACME_IDS);
      expect(textOf(timeline.text)).toContain('Acme Security');

      const statement = await request(t.app).get(`/api/events/${ACME_STATEMENT.id}`);
      expect(statement.body.event).toMatchObject({
        title: 'Acme Security rejects the ban',
        type: 'vendor-statement',
        vendors: [{ slug: 'acme-security', name: 'Acme Security' }],
        links: [{ relation: 'responds-to', event_id: ACME_BAN.id }],
      });
      expect(
        statement.body.event.citations.map((c: { source: { title: string; url: string | null } }) => [c.source.title, c.source.url]),
      ).toEqual([['Acme statement without an address', null]]);
      const ban = await request(t.app).get(`/api/events/${ACME_BAN.id}`);
      expect(ban.body.event.actor).toMatchObject({ slug: 'acme-regulator', name: 'Acme Regulator' });
      // The history says who imported it.
      const history = await request(t.app).get(`/events/${ACME_ADVISORY.id}/history`);
      expect(textOf(history.text)).toContain('Ida Importer');
      // And search finds it.
      const search = await request(t.app).get('/search?q=Acme');
      expect(hrefsOf(parseHtml(search.text))).toContain(`/events/${ACME_BAN.id}`);
    });

    test('a confirmed import cannot be confirmed again', async () => {
      const preview = await upload(analyst, ACME_FILE);
      const path = confirmPathOf(preview.text) as string;
      expect((await analyst.post(path)).status).toBe(303);
      const again = await analyst.post(path);
      expect(again.status).toBe(409);
      expect(textOf(again.text)).toMatch(/This import was already applied \(at .+\); nothing was imported a second time\./);
    });

    test('another analyst cannot confirm someone else’s upload', async () => {
      const preview = await upload(analyst, ACME_FILE);
      const path = confirmPathOf(preview.text) as string;
      const res = await other.post(path);
      expect(res.status).toBe(404);
    });

    test('importing the same file again creates nothing: the preview says unchanged', async () => {
      const before = await rowCounts(t.db);
      const preview = await upload(analyst, ACME_FILE, { filename: 'acme.csv' });
      expect(preview.status).toBe(200);
      expect(summaryOf(preview.text)).toBe('3 rows. 0 to create, 0 to update, 3 unchanged');
      expect(textOf(preview.text)).not.toContain('Also new');
      expect(textOf(preview.text)).not.toContain('To create');
      expect((await analyst.post(confirmPathOf(preview.text) as string)).status).toBe(303);
      const page = await analyst.get('/imports');
      expect(textOf(page.text)).toContain('Imported acme.csv: 0 created, 0 updated, 3 unchanged.');
      expect(await rowCounts(t.db)).toEqual({ ...before, import_batches: before.import_batches + 1 });
    });

    test('a row with an existing id updates that event', async () => {
      const exported = rowsOf(await exportText(t, '/vendors/acme-security/events.csv'));
      expect(exported.map((r) => r.id)).toEqual(ACME_IDS);
      const ban = exported.find((r) => r.id === ACME_BAN.id) as Cells;
      const versionBefore = (await getEvent(t.db, ACME_BAN.id)).version;
      const edited = exported.map((r) => (r.id === ACME_BAN.id ? { ...r, title: 'Acme Security banned from federal networks' } : r));
      const file = csvFile(edited);

      const preview = await upload(analyst, file);
      expect(summaryOf(preview.text)).toBe('3 rows. 0 to create, 1 to update, 2 unchanged');
      expect(textOf(preview.text)).toContain('To update (1)');
      const page = parseHtml(preview.text);
      const changes = tableRowsOf(sectionOf(page, 'To update (1)'));
      expect(changes.map((cells) => cells.join(' '))).toContainEqual(
        expect.stringContaining(`${ACME_BAN.id} 2021-02-28 Ban Acme Security banned from federal networks title`),
      );

      const before = await rowCounts(t.db);
      expect(await importFile(analyst, file)).toBe('Imported events.csv: 0 created, 1 updated, 2 unchanged.');
      const after = await getEvent(t.db, ACME_BAN.id);
      expect(after.title).toBe('Acme Security banned from federal networks');
      expect(after.summary).toBe(ban.summary);
      expect(after.version).toBe(versionBefore + 1);
      const counts = await rowCounts(t.db);
      expect(counts.events).toBe(before.events);
      expect(counts.revisions).toBe(before.revisions + 1);
      const revision = await t.db('revisions').where({ entity_type: 'event', entity_id: after.id }).orderBy('id', 'desc').first();
      expect(revision).toMatchObject({ action: 'update', user_name: 'Ida Importer' });
      expect(JSON.parse(revision.changes)).toEqual({ title: ['Acme Security banned', 'Acme Security banned from federal networks'] });
    });

    test('a row whose event was changed after the file was exported is refused', async () => {
      const file = await exportText(t, '/vendors/kaspersky-lab/events.csv');
      const gsa = await getEvent(t.db, GSA);
      await updateEvent(
        t.db,
        { id: null, displayName: 'Someone else' },
        GSA,
        gsa.version,
        parseEventForm({
          ...eventFormValues(gsa),
          title: 'GSA drops Kaspersky Lab (edited after the export)',
        }),
      );
      const stored = await getEvent(t.db, GSA);

      const before = await rowCounts(t.db);
      const res = await upload(analyst, file);
      expect(res.status).toBe(422);
      const invalid = invalidRowsOf(res.text);
      expect(invalid).toHaveLength(1);
      expect(invalid[0]).toMatchObject({ line: 2, id: GSA });
      expect(invalid[0].reasons[0]).toMatch(
        new RegExp(
          `^updated_at: event ${GSA} was changed at ${stored.updatedAt.replace(/\./g, '\\.')}, after this file's copy \\(.+\\); export it again$`,
        ),
      );
      expect(confirmPathOf(res.text)).toBeNull();
      expect(await rowCounts(t.db)).toEqual(before);
      expect((await getEvent(t.db, GSA)).title).toBe('GSA drops Kaspersky Lab (edited after the export)');
    });

    test('two analysts import edits of the same export: the second, older copy is refused, not written over the first', async () => {
      const exported = rowsOf(await exportText(t, '/vendors/kaspersky-lab/events.csv'));
      const dhs = exported.find((r) => r.id === DHS) as Cells;
      const mine = csvFile(
        exported.map((r) => (r.id === DHS ? { ...r, title: 'DHS orders removal of Kaspersky products (edited by Ida)' } : r)),
      );
      const theirs = csvFile(exported.map((r) => (r.id === DHS ? { ...r, summary: `${dhs.summary} (Edited by Otto.)` } : r)));

      expect(await importFile(analyst, mine)).toMatch(/1 updated/);
      const res = await upload(other, theirs);
      expect(res.status).toBe(422);
      const invalid = invalidRowsOf(res.text);
      expect(invalid.map((r) => r.id)).toEqual([DHS]);
      expect(invalid[0].reasons.join(' ')).toContain("after this file's copy");
      expect((await getEvent(t.db, DHS)).title).toBe('DHS orders removal of Kaspersky products (edited by Ida)');
    });
  });

  describe('refused files', () => {
    async function expectRefused(content: Buffer | string, status: number, message: string) {
      const before = await rowCounts(t.db);
      const res = await upload(analyst, content);
      expect(res.status).toBe(status);
      expect(textOf(res.text)).toContain(message);
      expect(parseHtml(res.text)('[role="alert"]').length).toBeGreaterThan(0);
      expect(confirmPathOf(res.text)).toBeNull();
      expect(await rowCounts(t.db)).toEqual(before);
      return res;
    }

    test('a binary file is not a CSV', async () => {
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        Buffer.from('IHDR'),
        Buffer.alloc(64),
      ]);
      await expectRefused(png, 422, 'This is not a CSV text file (it contains binary data).');
    });

    test('a Latin-1 file with bytes that are not UTF-8 is refused with a message about the encoding', async () => {
      const latin1 = Buffer.from(csvFile([{ ...ACME_ADVISORY, id: 'latin-1-row', title: 'Café société advises against Acme' }]), 'latin1');
      expect(latin1.includes(0xe9)).toBe(true);
      await expectRefused(latin1, 422, 'The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.');
    });

    test('a wrong header names the missing and unknown columns', async () => {
      const res = await expectRefused('id,date,title\r\nx,2021-01-01,Something\r\n', 422, "The header row is not the events export's.");
      const text = textOf(res.text);
      const missing = EVENT_CSV_COLUMNS.filter((c) => c !== 'id' && c !== 'title');
      expect(text).toContain(`Missing: ${missing.join(', ')}.`);
      expect(text).toContain('Unknown: date.');
    });

    test('a header missing one column names just that column', async () => {
      const columns = EVENT_CSV_COLUMNS.filter((c) => c !== 'source_urls');
      const res = await expectRefused(csvFile([ACME_ADVISORY], columns), 422, 'Missing: source_urls.');
      expect(textOf(res.text)).not.toContain('Unknown:');
    });

    test('an empty file is refused as empty', async () => {
      await expectRefused(Buffer.alloc(0), 422, 'The file is empty.');
      await expectRefused('\r\n\r\n', 422, 'The file is empty.');
    });

    test('a file with a row of the wrong length cannot be read as CSV, and the message gives the line', async () => {
      const file = `${EVENT_CSV_COLUMNS.join(',')}\r\n${Object.values(ACME_ADVISORY)
        .map((v) => JSON.stringify(v))
        .join(',')}\r\nonly,three,cells\r\n`;
      await expectRefused(file, 422, 'The file could not be read as CSV near line 3');
    });
  });

  describe('all rows or none', () => {
    const file = (content: string) => Buffer.from(content, 'utf8');
    const editor = { id: null, displayName: 'command-line import' };
    const FIRST = csvRow({
      ...ACME_ADVISORY,
      id: 'atomic-1',
      vendors: 'atomic-vendor',
      source_urls: 'https://import-test.example/atomic-1',
    });
    const SECOND = csvRow({
      ...ACME_ADVISORY,
      id: 'atomic-2',
      vendors: 'atomic-vendor',
      occurred_on: '2021-04-01',
      source_urls: 'https://import-test.example/atomic-2',
    });
    const THIRD = csvRow({
      ...ACME_ADVISORY,
      id: 'atomic-3',
      vendors: 'atomic-vendor',
      occurred_on: '2021-05-01',
      source_urls: 'https://import-test.example/atomic-3',
    });

    test('importEvents with an invalid last row writes no event at all', async () => {
      const before = await rowCounts(t.db);
      const attempt = importEvents(t.db, file(csvFile([FIRST, SECOND, { ...THIRD, type: 'not-a-type' }])), { by: editor });
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({
        status: 422,
        code: 'import_invalid',
        details: { invalid: [{ line: 4, id: 'atomic-3', reasons: ['type: Choose the type of event.'] }] },
      });
      expect(await rowCounts(t.db)).toEqual(before);
      expect(await t.db('vendors').where({ slug: 'atomic-vendor' }).first()).toBeUndefined();
    });

    test('a failure in the middle of writing rolls back the rows already written', async () => {
      const before = await rowCounts(t.db);
      const written: number[] = [];
      // Batches of one row: the failure comes after the first two rows were written.
      const attempt = importEvents(t.db, file(csvFile([FIRST, SECOND, THIRD])), {
        by: editor,
        batchSize: 1,
        onProgress: ({ rows }) => {
          written.push(rows);
          if (rows === 2) throw new Error('disk full (simulated)');
        },
      });
      await expect(attempt).rejects.toThrow('disk full (simulated)');
      expect(written).toEqual([1, 2]);
      expect(await rowCounts(t.db)).toEqual(before);
      expect(await t.db('events').whereIn('public_id', ['atomic-1', 'atomic-2', 'atomic-3']).select('id')).toEqual([]);
    });
  });

  describe('the command-line import’s steps', () => {
    test('parseEventsCsv reads the export’s format with the line each row starts on', () => {
      const rows = parseEventsCsv(Buffer.from(`\ufeff${csvFile([{ ...ACME_ADVISORY, summary: 'two\r\nlines' }, ACME_BAN])}`, 'utf8'));
      expect(rows.map((r) => [r.line, r.cells.id])).toEqual([
        [2, ACME_ADVISORY.id],
        [4, ACME_BAN.id],
      ]);
      expect(rows[0].cells.summary).toBe('two\r\nlines');
    });

    test('parseEventsCsv refuses files with a reason and a code', () => {
      const refusal = (content: Buffer, maxBytes?: number) => {
        try {
          parseEventsCsv(content, maxBytes);
        } catch (err) {
          expect(err).toBeInstanceOf(ImportFileError);
          return { code: (err as ImportFileError).code, status: (err as ImportFileError).status };
        }
        throw new Error('parseEventsCsv accepted the file');
      };
      expect(refusal(Buffer.alloc(0))).toEqual({ code: 'empty_file', status: 422 });
      expect(refusal(Buffer.from([0x61, 0, 0x62]))).toEqual({ code: 'not_csv', status: 422 });
      expect(refusal(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toEqual({ code: 'bad_encoding', status: 422 });
      expect(refusal(Buffer.from('a,b\r\n1,2\r\n'))).toEqual({ code: 'wrong_header', status: 422 });
      expect(refusal(Buffer.from(ACME_FILE), 100)).toEqual({ code: 'file_too_large', status: 413 });
    });

    test('the dry run reports what would change and writes nothing', async () => {
      const before = await rowCounts(t.db);
      const file = csvFile([
        ACME_ADVISORY,
        { ...ACME_BAN, title: 'Changed title' },
        csvRow({ ...ACME_STATEMENT, id: 'cli-new-row' }),
        { ...ACME_STATEMENT, id: '', occurred_on: '2021-13' },
      ]);
      const progress: number[] = [];
      const { plan } = await importEvents(t.db, Buffer.from(file), {
        by: { id: null, displayName: 'dry run' },
        dryRun: true,
        keepRows: true,
        onProgress: ({ rows }) => progress.push(rows),
      });
      expect(plan.rows.map((r) => [r.line, r.action])).toEqual([
        [2, 'unchanged'],
        [3, 'update'],
        [4, 'create'],
      ]);
      expect(plan.invalid).toEqual([{ line: 5, id: '', reasons: ['occurred_on: Not a date: month 13 does not exist.'] }]);
      expect(progress[progress.length - 1]).toBe(4);
      expect(await rowCounts(t.db)).toEqual(before);
    });

    test('importEvents records the command-line editor in the history', async () => {
      const row = csvRow({ ...ACME_ADVISORY, id: 'cli-applied', source_urls: 'https://import-test.example/cli' });
      const { summary } = await importEvents(t.db, Buffer.from(csvFile([row])), { by: { id: null, displayName: 'command-line import' } });
      expect(summary).toEqual({ created: 1, updated: 0, unchanged: 0, newVendors: 0, newActors: 0, newSources: 1 });
      const event = await getEvent(t.db, 'cli-applied');
      const revision = await t.db('revisions').where({ entity_type: 'event', entity_id: event.id }).first();
      expect(revision).toMatchObject({ action: 'create', user_id: null, user_name: 'command-line import' });
    });
  });
});

const DEMO_COUNT = demoEvents.length;

describeEachDatabase('round trip on %s', (kind) => {
  let source: TestApp;
  let target: TestApp;

  beforeAll(async () => {
    [source, target] = await Promise.all([createTestApp(kind), createTestApp(kind, { demo: false })]);
    await createUser(target.db, parseForm(NewUserInput, ANALYST));
  });

  afterAll(async () => {
    await source?.cleanup();
    await target?.cleanup();
  });

  test('exporting the demo data, importing it into an empty database and exporting again gives the same file, byte for byte', async () => {
    const first = await exportText(source);
    expect(
      rowsOf(first)
        .map((r) => r.id)
        .sort(),
    ).toEqual(demoEvents.map((e) => e.publicId).sort());
    const browser = await signedInBrowser(target.app, ANALYST);
    const preview = await upload(browser, first);
    expect(summaryOf(preview.text)).toBe(`${DEMO_COUNT} rows. ${DEMO_COUNT} to create, 0 to update, 0 unchanged`);
    await importFile(browser, first);
    const second = await exportText(target);
    expect(second).toBe(first);

    // Importing the export back into the database it came from changes nothing.
    const again = await upload(browser, second);
    expect(summaryOf(again.text)).toBe(`${DEMO_COUNT} rows. 0 to create, 0 to update, ${DEMO_COUNT} unchanged`);
  });

  test('awkward cells survive the round trip too: formulas, quotes, commas, line breaks, partial dates, links', async () => {
    const editor = { id: null, displayName: 'Round trip' };
    const base = (values: Partial<EventFormValues> & { title: string; occurred_on: string }): EventFormValues => ({
      summary: '',
      type: 'other',
      jurisdiction: 'INT',
      actor: '',
      affected: [],
      vendors: ['kaspersky-lab'],
      effective_on: '',
      links: [],
      citations: [
        {
          source_id: '',
          url: 'https://round-trip.example/a',
          title: 'Round trip, "the article"',
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
    });
    await createEvent(
      source.db,
      editor,
      parseEventForm(base({ title: '=SUM(1,2) "quoted", with commas', summary: 'Line one\nLine two, with a comma', occurred_on: '2019' })),
    );
    await createEvent(
      source.db,
      editor,
      parseEventForm(
        base({
          title: '+Plus, -minus and @at',
          summary: 'Ünïcödé “quotes” — dash; emoji 🦠',
          occurred_on: '2019-07',
          effective_on: '2019-08-01',
          actor: 'europol',
          affected: ['no-more-ransom', 'europol'],
          vendors: ['kaspersky-lab', 'china-mobile-international-usa'],
          type: 'investigation',
          jurisdiction: 'EU',
          links: [{ relation: 'responds-to', event: RESOLUTION }],
        }),
      ),
    );
    await createEvent(
      source.db,
      editor,
      parseEventForm(
        base({
          title: 'Cites two sources, one without an address',
          occurred_on: '2019-07',
          citations: [
            {
              source_id: '',
              url: '',
              title: 'A printed leaflet',
              publisher: '',
              published_on: '',
              reliability: '',
              quote: '',
              locator: '',
            },
            {
              source_id: '',
              url: 'https://round-trip.example/b',
              title: 'Second article',
              publisher: '',
              published_on: '',
              reliability: '',
              quote: '',
              locator: '',
            },
          ],
        }),
      ),
    );
    const first = await exportText(source);
    expect(first).toContain('"\'=SUM(1,2) ""quoted"", with commas"');
    expect(first).toContain('"Line one\nLine two, with a comma"');
    const browser = await signedInBrowser(target.app, ANALYST);
    const preview = await upload(browser, first);
    expect(summaryOf(preview.text)).toBe(`${DEMO_COUNT + 3} rows. 3 to create, 0 to update, ${DEMO_COUNT} unchanged`);
    await importFile(browser, first);
    expect(await exportText(target)).toBe(first);
    expect(summaryOf((await upload(browser, first)).text)).toBe(
      `${DEMO_COUNT + 3} rows. 0 to create, 0 to update, ${DEMO_COUNT + 3} unchanged`,
    );
    const imported = await getEvent(target.db, rowsOf(first).find((r) => r.title.startsWith("'=SUM"))?.id as string);
    expect(imported.title).toBe('=SUM(1,2) "quoted", with commas');
    expect(imported.summary).toBe('Line one\nLine two, with a comma');
  });
});

describeEachDatabase('import size limit on %s', (kind) => {
  let t: TestApp;
  let analyst: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind, { config: { importMaxBytes: 2048 } });
    await createUser(t.db, parseForm(NewUserInput, ANALYST));
    analyst = await signedInBrowser(t.app, ANALYST);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const bigFile = () => csvFile([{ ...ACME_ADVISORY, summary: 'x'.repeat(3000) }]);

  test('a file over the configured size is refused with 413 and a clear message, and nothing is written', async () => {
    const before = await rowCounts(t.db);
    expect(Buffer.byteLength(bigFile())).toBeGreaterThan(2048);
    const res = await upload(analyst, bigFile());
    expect(res.status).toBe(413);
    expect(textOf(res.text)).toMatch(/The file is larger than .+, the import limit\./);
    expect(confirmPathOf(res.text)).toBeNull();
    expect(await rowCounts(t.db)).toEqual(before);
  });

  test('a file under the limit is still accepted', async () => {
    const res = await upload(analyst, csvFile([ACME_ADVISORY]));
    expect(res.status).toBe(200);
    expect(summaryOf(res.text)).toBe('1 row. 1 to create, 0 to update, 0 unchanged');
  });

  test('the refusal and the form state the configured limit, not a limit of 0 MB', async () => {
    const res = await upload(analyst, bigFile());
    const text = textOf(res.text);
    expect(text).not.toMatch(/(^|[^\d.])0 MB/);
    const form = textOf((await analyst.get('/imports')).text);
    expect(form).not.toMatch(/at most 0 MB/);
  });
});
