/**
 * The maintained tables behind the status map, the start page and the reports
 * (db/migrations/202611291600_measures_in_force.ts): after form edits, deletes, restores and
 * imports, `measures_in_force` equals a recomputation from scratch and gives, on every day
 * where anything changes, the same cells as the status board computed from the events;
 * `event_counts` equals a count of the live events.
 */
import { stringify } from 'csv-stringify/sync';
import request from 'supertest';
import type { Db } from '../../src/db/knex';
import { createEvent, deleteEvent, restoreEvent, updateEvent } from '../../src/events/editing';
import { EVENT_CSV_COLUMNS, type EventCsvColumn } from '../../src/events/csv';
import { computeInForce, type InForceRow } from '../../src/events/inForce';
import { findEventRowByPublicIdAnyState } from '../../src/events/repo';
import { eventFormValues } from '../../src/events/routes';
import { getEvent } from '../../src/events/service';
import { type EventFormValues, parseEventForm } from '../../src/events/schema';
import type { Editor } from '../../src/history/repo';
import { importEvents } from '../../src/imports/run';
import { cellsInJurisdiction, countInForce, strongestInForce } from '../../src/status/inForce';
import { strongestByJurisdiction } from '../../src/status/map';
import { MEASURES } from '../../src/events/taxonomy';
import { type StatusCell, statusBoard, statusBoardPage } from '../../src/status/board';

const BY_TYPE = new Map<string, string>(MEASURES.map((m) => [m.type, m.measure]));
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { DUTCH, NDAA, rawEventRow, staleVendorLinks } from './support';

jest.setTimeout(180_000);

const EDITOR: Editor = { id: null, displayName: 'In-force test' };
const CLI = { id: null, displayName: 'command-line import' };

const key = (r: InForceRow) => [r.vendor_id, r.event_id, r.jurisdiction, r.type, r.since, r.valid_from, r.valid_until ?? ''].join('|');

async function stored(db: Db): Promise<string[]> {
  const rows = (await db('measures_in_force').select(
    'vendor_id',
    'event_id',
    'jurisdiction',
    'type',
    'since',
    'valid_from',
    'valid_until',
  )) as InForceRow[];
  return rows.map((r) => key({ ...r, vendor_id: Number(r.vendor_id), event_id: Number(r.event_id) })).sort();
}

async function recomputed(db: Db): Promise<string[]> {
  const vendors = ((await db('vendors').pluck('id')) as Array<number | string>).map(Number);
  return (await computeInForce(db, vendors)).map(key).sort();
}

/**
 * Every day on which a cell of the vendors these tests edit may change, and the day before it,
 * and a sample of the other days (the whole board is compared on each).
 */
async function days(db: Db): Promise<string[]> {
  const edited = (await db('measures_in_force as m')
    .join('vendors as v', 'v.id', 'm.vendor_id')
    .where((w) => w.whereIn('v.slug', ['kaspersky-lab', 'huawei']).orWhere('v.slug', 'like', 'in-force-%'))
    .select('m.valid_from', 'm.valid_until', 'm.since')) as Array<Record<string, string | null>>;
  const all = (await db('measures_in_force').distinct('valid_from').orderBy('valid_from').pluck('valid_from')) as string[];
  const rows = [
    ...edited,
    ...all
      .filter((_d, i) => i % Math.max(1, Math.ceil(all.length / 15)) === 0)
      .map((d) => ({ valid_from: d, valid_until: null, since: null })),
  ];
  const out = new Set<string>(['1990-01-01', '2099-12-31']);
  for (const r of rows) {
    for (const d of [r.valid_from, r.valid_until, r.since]) {
      if (!d) continue;
      out.add(d);
      const before = new Date(`${d}T00:00:00Z`);
      before.setUTCDate(before.getUTCDate() - 1);
      out.add(before.toISOString().slice(0, 10));
    }
  }
  return [...out].sort();
}

const cellKey = (c: StatusCell) => [c.vendorSlug, c.jurisdiction, c.measure, c.eventId, c.inForceSince].join('|');

/** The whole board on `asOf` read from the maintained table, jurisdiction by jurisdiction. */
async function boardFromTable(db: Db, asOf: string): Promise<string[]> {
  const codes = (await db('measures_in_force').distinct('jurisdiction').pluck('jurisdiction')) as string[];
  const out: string[] = [];
  // Per jurisdiction: [code, more, cells in a page of two, more after two], checked in one expect.
  const pages: Array<[string, boolean, number, boolean]> = [];
  const expectedPages: typeof pages = [];
  for (const code of codes) {
    const { cells, more } = await cellsInJurisdiction(db, code, asOf, 100_000);
    out.push(...cells.map(cellKey));
    // A page of two: the strongest first, and `more` when there are more.
    const two = await cellsInJurisdiction(db, code, asOf, 2);
    pages.push([code, more, two.cells.length, two.more]);
    expectedPages.push([code, false, Math.min(2, cells.length), cells.length > 2]);
  }
  expect({ asOf, pages }).toEqual({ asOf, pages: expectedPages });
  return out.sort();
}

async function expectConsistent(db: Db): Promise<void> {
  expect(await stored(db)).toEqual(await recomputed(db));
  // The vendor links' copies of their event's day and state (the vendor list counts from them).
  expect(await staleVendorLinks(db)).toEqual([]);
  for (const day of await days(db)) {
    const board = await statusBoard(db, day);
    const fromEvents = board.map(cellKey).sort();
    expect({ day, cells: await boardFromTable(db, day) }).toEqual({ day, cells: fromEvents });
    expect(await countInForce(db, day)).toEqual({
      cells: fromEvents.length,
      jurisdictions: new Set(fromEvents.map((c) => c.split('|')[1])).size,
    });
    // The map of every vendor: per jurisdiction the same strongest measure, held by the vendors named.
    const expected = strongestByJurisdiction(board);
    const tops = await strongestInForce(db, day, 1000);
    expect({
      day,
      tops: tops.map((tp) => [tp.code, BY_TYPE.get(tp.type), [...new Set(tp.cells.map((c) => c.vendorName))].sort()]).sort(),
    }).toEqual({
      day,
      tops: expected.map((j) => [j.code, j.measure, [...j.vendors].sort()]).sort(),
    });
  }
  await expectCountsMatch(db);
}

/** `event_counts` equals a count of the live events (on PostgreSQL kept per statement: 202611291810). */
async function expectCountsMatch(db: Db): Promise<void> {
  const counts = (await db('event_counts').where('events', '>', 0).select('jurisdiction', 'year', 'type', 'events')) as Array<
    Record<string, string | number>
  >;
  const live = (await db('events')
    .whereNull('deleted_at')
    .select('jurisdiction', db.raw('substr(occurred_start, 1, 4) as year'), 'type')
    .count({ events: '*' })
    .groupBy('jurisdiction', db.raw('substr(occurred_start, 1, 4)'), 'type')) as Array<Record<string, string | number>>;
  const norm = (rows: Array<Record<string, string | number>>) =>
    rows.map((r) => `${r.jurisdiction}|${r.year}|${r.type}|${Number(r.events)}`).sort();
  expect(norm(counts)).toEqual(norm(live));
}

function eventForm(
  values: Partial<EventFormValues> & { title: string; type: string; jurisdiction: string; occurred_on: string },
  source: string,
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

function csvFile(rows: Array<Partial<Record<EventCsvColumn, string>>>): Buffer {
  const full = rows.map((r) => Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, r[c] ?? ''])));
  return Buffer.from(stringify(full, { header: true, columns: [...EVENT_CSV_COLUMNS], record_delimiter: '\r\n' }));
}

describeEachDatabase('measures in force, kept as a table, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.cleanup());

  test('the demo data as loaded', async () => {
    expect((await stored(t.db)).length).toBeGreaterThan(0);
    await expectConsistent(t.db);
  });

  test('after form edits: a lift, a reversal of the lift, a supersession, a change of date, vendors and type', async () => {
    const lift = await createEvent(
      t.db,
      EDITOR,
      parseEventForm(
        eventForm(
          { title: 'NL lifts the phase-out', type: 'restriction-lifted', jurisdiction: 'NL', occurred_on: '2018-09-01' },
          'https://in-force.example/lift',
        ),
      ),
    );
    await createEvent(
      t.db,
      EDITOR,
      parseEventForm(
        eventForm(
          {
            title: 'Court reverses the lift',
            type: 'legal-action',
            jurisdiction: 'NL',
            occurred_on: '2019-02-01',
            links: [{ relation: 'reverses', event: lift }],
          },
          'https://in-force.example/reversal',
        ),
      ),
    );
    const superseding = await createEvent(
      t.db,
      EDITOR,
      parseEventForm(
        eventForm(
          {
            title: 'New guidance supersedes section 1634',
            type: 'advisory',
            jurisdiction: 'US',
            occurred_on: '2020-02-01',
            effective_on: '2020-03-01',
            links: [{ relation: 'supersedes', event: NDAA }],
          },
          'https://in-force.example/supersede',
        ),
      ),
    );
    await expectConsistent(t.db);

    // Move the superseding event earlier, onto two vendors, and make it a ban.
    const detail = await getEvent(t.db, superseding);
    const form = eventFormValues(detail);
    await updateEvent(
      t.db,
      EDITOR,
      superseding,
      Number(detail.version),
      parseEventForm({
        ...form,
        type: 'ban',
        occurred_on: '2019-01-01',
        effective_on: '',
        vendors: ['kaspersky-lab', 'huawei'],
        confirm_duplicate: '1',
      }),
    );
    await expectConsistent(t.db);

    // Drop its link: section 1634 is in force again.
    const again = await getEvent(t.db, superseding);
    await updateEvent(
      t.db,
      EDITOR,
      superseding,
      Number(again.version),
      parseEventForm({ ...eventFormValues(again), links: [], confirm_duplicate: '1' }),
    );
    await expectConsistent(t.db);
  });

  test('after deleting and restoring a measure, a lift and a reversing event', async () => {
    const reversal = await createEvent(
      t.db,
      EDITOR,
      parseEventForm(
        eventForm(
          {
            title: 'Court reverses the Dutch phase-out',
            type: 'legal-action',
            jurisdiction: 'NL',
            occurred_on: '2019-06-01',
            links: [{ relation: 'reverses', event: DUTCH }],
          },
          'https://in-force.example/dutch',
        ),
      ),
    );
    await expectConsistent(t.db);
    await deleteEvent(t.db, EDITOR, reversal);
    await expectConsistent(t.db);
    await restoreEvent(t.db, EDITOR, reversal);
    await expectConsistent(t.db);
    await deleteEvent(t.db, EDITOR, DUTCH);
    await expectConsistent(t.db);
    await restoreEvent(t.db, EDITOR, DUTCH);
    await expectConsistent(t.db);
    expect((await findEventRowByPublicIdAnyState(t.db, DUTCH))?.deleted_at).toBeNull();
  });

  test('after an import of new events and an import that changes them', async () => {
    const rows = (shift: number) =>
      Array.from({ length: 24 }, (_, i) => ({
        id: `in-force-import-${i}`,
        occurred_on: `20${10 + ((i + shift) % 12)}-0${(i % 9) + 1}-1${i % 10}`,
        effective_on: i % 5 === 0 ? `20${11 + ((i + shift) % 12)}-01-01` : '',
        vendors: i % 6 === 0 ? 'kaspersky-lab' : `in-force-vendor-${i % 4}`,
        jurisdiction: ['US', 'GB', 'DE'][i % 3],
        actor: 'in-force-agency',
        type: ['ban', 'advisory', 'restriction-lifted', 'sanction', 'removal-order', 'other'][(i + shift) % 6],
        title: `Imported event ${i}`,
        summary: `Imported event ${i}, version ${shift}.`,
        source_titles: `Imported article ${i}`,
        source_urls: `https://in-force.example/import/${i}`,
      }));
    await importEvents(t.db, csvFile(rows(0)), { by: CLI });
    const imported = await t
      .db('measures_in_force as m')
      .join('vendors as v', 'v.id', 'm.vendor_id')
      .where('v.slug', 'like', 'in-force-vendor-%')
      .count({ n: '*' })
      .first();
    expect(Number(imported?.n)).toBeGreaterThan(0);
    await expectConsistent(t.db);
    await importEvents(t.db, csvFile(rows(1)), { by: CLI });
    await expectConsistent(t.db);
  });

  test('event counts after many rows written straight to events in single statements: inserted, moved, retyped, trashed, deleted', async () => {
    const NOW = '2026-01-01T00:00:00.000Z';
    const rows = Array.from({ length: 40 }, (_, k) =>
      rawEventRow({
        public_id: `counted-${k}`,
        title: `Counted event ${k}`,
        type: k % 2 ? 'advisory' : 'ban',
        jurisdiction: k % 3 ? 'US' : 'DE',
        occurred_on: `${2010 + (k % 4)}`,
        occurred_start: `${2010 + (k % 4)}-01-01`,
        deleted_at: k % 5 === 0 ? NOW : null,
      }),
    );
    await t.db('events').insert(rows);
    await expectCountsMatch(t.db);
    await t.db('events').where('public_id', 'like', 'counted-%').update({ title: 'Only the title changes' });
    await expectCountsMatch(t.db);
    await t
      .db('events')
      .where('public_id', 'like', 'counted-1%')
      .update({ occurred_on: '1999', occurred_start: '1999-01-01', type: 'sanction' });
    await t.db('events').where('public_id', 'like', 'counted-2%').update({ deleted_at: NOW });
    await t.db('events').where('public_id', 'in', ['counted-0', 'counted-5']).update({ deleted_at: null });
    await expectCountsMatch(t.db);
    await t.db('events').where('public_id', 'like', 'counted-3%').del();
    await expectCountsMatch(t.db);
  });

  test('the board page by page names every vendor with a measure once, and the start page counts the cells', async () => {
    const asOf = '2024-01-01';
    const seen: string[] = [];
    let after: [string, number] | undefined;
    for (;;) {
      const page = await statusBoardPage(t.db, asOf, { limit: 3, after });
      seen.push(...new Set(page.cells.map((c) => c.vendorSlug)));
      if (!page.next) break;
      after = page.next;
    }
    const whole = await statusBoard(t.db, asOf);
    expect(seen).toEqual([...new Set(whole.map((c) => c.vendorSlug))]);
    expect(new Set(seen).size).toBe(seen.length);
    const home = await request(t.app).get('/');
    expect(home.status).toBe(200);
  });
});
