/**
 * The import in many small batches, as a large file runs: the next batch is read while
 * one is written, and still every row or none is kept; a file where every row is an
 * update round-trips (export -> edit -> import -> export gives the edited file, and the
 * export imported again changes nothing).
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { EVENT_CSV_COLUMNS, type EventCsvColumn } from '../../src/events/csv';
import { AppError } from '../../src/lib/errors';
import { importEvents } from '../../src/imports/run';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { getRaw } from './support';

jest.setTimeout(120_000);

type Cells = Record<EventCsvColumn, string>;
const BY = { id: null, displayName: 'batch test' };
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
] as const;

const csvFile = (rows: Array<Partial<Cells>>) =>
  stringify(
    rows.map((r) => Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, r[c] ?? '']))),
    { header: true, columns: [...EVENT_CSV_COLUMNS], record_delimiter: '\r\n' },
  );
const rowsOf = (text: string) => parse(text, { columns: true, bom: true }) as Cells[];

/** n events over a few vendors and actors, some sharing a source, some responding to an earlier or a later row. */
function generated(n: number, prefix: string): Array<Partial<Cells>> {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    occurred_on: `20${10 + (i % 10)}-0${(i % 9) + 1}-1${i % 10}`,
    vendors: `${prefix}-vendor-${i % 4}`,
    jurisdiction: ['US', 'EU', 'DE'][i % 3],
    actor: `${prefix}-agency-${i % 3}`,
    affected: i % 5 === 0 ? `${prefix}-agency-${(i + 1) % 3}` : '',
    type: 'advisory',
    title: `${prefix} event ${i}`,
    summary: `Summary ${i}, with a comma.`,
    responds_to: i % 7 === 3 ? `${prefix}-${i - 1}` : i % 7 === 5 ? `${prefix}-${i + 1}` : '',
    source_titles: `${prefix} article ${Math.floor(i / 3)}`,
    source_urls: `https://batches.example/${prefix}/${Math.floor(i / 3)}`,
  }));
}

async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await t.db(table).count({ n: '*' }).first())?.n ?? 0);
  return out;
}

async function exportOf(t: TestApp, prefix: string): Promise<Cells[]> {
  const res = await getRaw(t.app, '/events.csv');
  expect(res.status).toBe(200);
  return rowsOf(res.body.toString('utf8'))
    .filter((r) => r.id.startsWith(`${prefix}-`))
    .sort((a, b) => a.id.localeCompare(b.id));
}

describeEachDatabase('imports in batches on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('a file where every row is an update round-trips, and importing its export again changes nothing', async () => {
    const created = await importEvents(t.db, Buffer.from(csvFile(generated(40, 'upd'))), { by: BY, batchSize: 3 });
    expect(created.summary).toMatchObject({ created: 40, updated: 0, unchanged: 0 });
    const exported = await exportOf(t, 'upd');
    expect(exported).toHaveLength(40);

    // Every row edited, in the copy just exported (with its updated_at): all 40 are updates.
    const edited = exported.map((r, i) => ({
      ...r,
      title: `${r.title} (edited)`,
      summary: `${r.summary} Edited.`,
      vendors: i % 2 ? r.vendors : `${r.vendors} | upd-vendor-new`,
    }));
    // A quote kept with a citation (the file has no quote column) survives the update.
    const quoted = await t.db('events').where({ public_id: 'upd-7' }).first('id');
    await t.db('citations').where({ event_id: quoted.id }).update({ quote: 'Kept word for word.', locator: 'p. 3' });
    const revisionsBefore = Number((await t.db('revisions').where({ entity_type: 'event' }).count({ n: '*' }).first())?.n);
    const updated = await importEvents(t.db, Buffer.from(csvFile(edited)), { by: BY, batchSize: 3 });
    expect(updated.summary).toMatchObject({ created: 0, updated: 40, unchanged: 0, newVendors: 1 });
    expect(Number((await t.db('revisions').where({ entity_type: 'event' }).count({ n: '*' }).first())?.n)).toBe(revisionsBefore + 40);
    expect(await t.db('citations').where({ event_id: quoted.id }).select('quote', 'locator')).toEqual([
      { quote: 'Kept word for word.', locator: 'p. 3' },
    ]);

    // The export now is the edited file, cell for cell, but for the new updated_at.
    const after = await exportOf(t, 'upd');
    const withoutStamp = (rows: Array<Partial<Cells>>) => rows.map((r) => ({ ...r, updated_at: '' }));
    const sortedVendors = (rows: Array<Partial<Cells>>) =>
      rows.map((r) => ({ ...r, vendors: (r.vendors ?? '').split(' | ').sort().join(' | ') }));
    expect(withoutStamp(after)).toEqual(withoutStamp(sortedVendors(edited)));

    // That export imported again: every row unchanged, nothing written.
    const before = await rowCounts(t);
    const again = await importEvents(t.db, Buffer.from(csvFile(after)), { by: BY, batchSize: 3 });
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 40 });
    expect(await rowCounts(t)).toEqual(before);
    expect(await exportOf(t, 'upd')).toEqual(after);
  });

  test('a bad row in a late batch, or a responds_to naming no row, keeps every batch written before it out', async () => {
    const before = await rowCounts(t);
    const rows = generated(30, 'late');
    const badType = importEvents(t.db, Buffer.from(csvFile([...rows.slice(0, 29), { ...rows[29], type: 'not-a-type' }])), {
      by: BY,
      batchSize: 4,
    });
    await expect(badType).rejects.toBeInstanceOf(AppError);
    await expect(badType).rejects.toMatchObject({
      status: 422,
      details: { invalid: [{ line: 31, id: 'late-29', reasons: ['type: Choose the type of event.'] }] },
    });
    expect(await rowCounts(t)).toEqual(before);

    const danglingLink = importEvents(t.db, Buffer.from(csvFile([...rows.slice(0, 29), { ...rows[29], responds_to: 'late-nowhere' }])), {
      by: BY,
      batchSize: 4,
    });
    await expect(danglingLink).rejects.toMatchObject({
      status: 422,
      details: { invalid: [{ line: 31, reasons: ['responds_to: no event has the id late-nowhere'] }] },
    });
    expect(await rowCounts(t)).toEqual(before);

    // A file that stops being CSV after a few batches were written (a row of the wrong length).
    const broken = `${csvFile(rows)}only,three,cells\r\n`;
    await expect(importEvents(t.db, Buffer.from(broken), { by: BY, batchSize: 4 })).rejects.toMatchObject({ code: 'not_csv' });
    expect(await rowCounts(t)).toEqual(before);
    expect(await t.db('events').where('public_id', 'like', 'late-%').select('id')).toEqual([]);

    // The same file, whole: every row, links to earlier and later rows included.
    const whole = await importEvents(t.db, Buffer.from(csvFile(rows)), { by: BY, batchSize: 4 });
    expect(whole.summary).toMatchObject({ created: 30 });
    const links = await t
      .db('event_links as l')
      .join('events as f', 'f.id', 'l.from_event_id')
      .join('events as e', 'e.id', 'l.to_event_id')
      .where('f.public_id', 'like', 'late-%')
      .select('f.public_id as from', 'e.public_id as to');
    const expected = rows.filter((r) => r.responds_to).map((r) => ({ from: r.id, to: r.responds_to }));
    expect(links.sort((a, b) => a.from.localeCompare(b.from))).toEqual(
      expected.sort((a, b) => (a.from as string).localeCompare(b.from as string)),
    );
  });

  // Batches of one row: each new record is named again in the next batch, which must find it
  // (a writer that plans ahead of its writes would have to remember what it created).
  test('a vendor, an actor and sources new in one batch and named again in the next are each created once', async () => {
    const before = await rowCounts(t);
    const rows = Array.from({ length: 6 }, (_, i) => ({
      id: `once-${i}`,
      occurred_on: `2021-01-0${i + 1}`,
      vendors: 'once-vendor',
      jurisdiction: 'US',
      actor: 'once-agency',
      affected: 'once-affected',
      type: 'advisory',
      title: `Once event ${i}`,
      source_titles: 'Once article | Once note without an address',
      source_urls: 'https://batches.example/once/1 | ',
    }));
    const result = await importEvents(t.db, Buffer.from(csvFile(rows)), { by: BY, batchSize: 1 });
    expect(result.summary).toMatchObject({ created: 6, newVendors: 1, newActors: 2, newSources: 2 });
    const after = await rowCounts(t);
    expect({
      vendors: after.vendors - before.vendors,
      actors: after.actors - before.actors,
      sources: after.sources - before.sources,
    }).toEqual({
      vendors: 1,
      actors: 2,
      sources: 2,
    });
    const cited = await t
      .db('citations as c')
      .join('events as e', 'e.id', 'c.event_id')
      .join('sources as s', 's.id', 'c.source_id')
      .where('e.public_id', 'like', 'once-%')
      .distinct('s.title');
    expect(cited.map((r) => r.title).sort()).toEqual(['Once article', 'Once note without an address']);
    const vendorLinks = await t
      .db('event_vendors as ev')
      .join('events as e', 'e.id', 'ev.event_id')
      .where('e.public_id', 'like', 'once-%')
      .countDistinct({ vendors: 'ev.vendor_id', events: 'ev.event_id' })
      .first();
    expect({ vendors: Number(vendorLinks?.vendors), events: Number(vendorLinks?.events) }).toEqual({ vendors: 1, events: 6 });
  });

  test('a dry run in batches counts every row and writes nothing', async () => {
    const before = await rowCounts(t);
    const result = await importEvents(t.db, Buffer.from(csvFile(generated(25, 'dry'))), { by: BY, batchSize: 2, dryRun: true });
    expect(result.total).toBe(25);
    expect(result.plan.counts).toEqual({ create: 25, update: 0, unchanged: 0, invalid: 0 });
    expect(result.plan.newVendors).toEqual(['dry-vendor-0', 'dry-vendor-1', 'dry-vendor-2', 'dry-vendor-3']);
    expect(result.plan.newSourceCount).toBe(9);
    expect(await rowCounts(t)).toEqual(before);
  });

  test('afterBatch (where the import command pauses while the CPUs are contended) is awaited after each batch, writing or checking', async () => {
    for (const dryRun of [true, false]) {
      let rows = 0;
      const pausedAfter: number[] = [];
      const result = await importEvents(t.db, Buffer.from(csvFile(generated(10, 'paced'))), {
        by: BY,
        batchSize: 3,
        dryRun,
        onProgress: (p) => (rows = p.rows),
        afterBatch: async () => {
          pausedAfter.push(rows);
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      });
      expect(pausedAfter).toEqual([3, 6, 9, 10]);
      expect(dryRun ? result.plan.counts.create : result.summary?.created).toBe(10);
    }
  });

  // The file is read in pieces of 32 KB, parsed between the database's callbacks: a stream that
  // hands over far larger chunks, with two- and four-byte characters falling across the places
  // where those pieces are cut, gives every row once, in order, and every character intact.
  test('a file streamed in large chunks is read whole, with characters cut across pieces intact', async () => {
    const rows = generated(900, 'piece').map((r, i) => ({
      ...r,
      title: `Zürich 🦠 piece ${i} ${'é'.repeat(i % 13)}.`,
      summary: `Größe ${i}: ${'😀'.repeat(i % 7)} ${'x'.repeat(i % 5)}.`,
    }));
    const file = Buffer.from(csvFile(rows));
    expect(file.length).toBeGreaterThan(3 * 32 * 1024);
    async function* bigChunks() {
      for (let at = 0; at < file.length; at += 100_003) yield file.subarray(at, at + 100_003);
    }
    const before = await rowCounts(t);
    const result = await importEvents(t.db, bigChunks(), { by: BY, batchSize: 50 });
    expect(result.summary).toMatchObject({ created: 900 });
    const stored = await t.db('events').where('public_id', 'like', 'piece-%').orderBy('id').select('public_id', 'title', 'summary');
    expect(stored).toEqual(rows.map((r) => ({ public_id: r.id, title: r.title, summary: r.summary })));

    // The sources it created are in the search index, written from the text just stored.
    const after = await rowCounts(t);
    const newSources = after.sources - before.sources;
    expect(newSources).toBe(300);
    const sourceDocuments = await t
      .db('search_documents')
      .where('entity_type', 'source')
      .whereIn('entity_id', t.db('sources').where('url', 'like', 'https://batches.example/piece/%').select('id'))
      .select('title');
    expect(sourceDocuments.map((d) => d.title).sort()).toEqual([...new Set(rows.map((r) => r.source_titles))].sort());
  });
});
