/**
 * The vendor list's counts and date spans come from event_vendors alone, which carries its
 * event's first day and whether the event is live (db/migrations/202611291800_vendor_link_dates.ts).
 * Triggers keep those copies right whoever writes: the demo loader, rows written straight to the
 * tables, and (in in-force.test.ts, after every kind of edit) the forms and the import.
 */
import type { Db } from '../../src/db/knex';
import { listVendorsWithStats, vendorStatsQuery } from '../../src/vendors/repo';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { rawEventRow, staleVendorLinks } from './support';

jest.setTimeout(120000);

const NOW = '2026-01-01T00:00:00.000Z';

/** Per vendor, its live events' count and first and last day, counted from `events`. */
async function recounted(db: Db): Promise<Record<string, [number, string | null, string | null]>> {
  const rows = (await db('vendors as v')
    .leftJoin('event_vendors as ev', 'ev.vendor_id', 'v.id')
    .leftJoin('events as e', (j) => j.on('e.id', 'ev.event_id').andOnNull('e.deleted_at'))
    .groupBy('v.slug')
    .select('v.slug')
    .count({ n: 'e.id' })
    .min({ first: 'e.occurred_start' })
    .max({ last: 'e.occurred_start' })) as Array<{ slug: string; n: number | string; first: string | null; last: string | null }>;
  return Object.fromEntries(rows.map((r) => [r.slug, [Number(r.n), r.first ?? null, r.last ?? null]]));
}

async function listed(db: Db): Promise<Record<string, [number, string | null, string | null]>> {
  return Object.fromEntries((await listVendorsWithStats(db)).map((v) => [v.slug, [v.eventCount, v.firstOccurred, v.lastOccurred]]));
}

describeEachDatabase('the vendor list counts from the links on %s', (kind) => {
  let t: TestApp;
  let vendorId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const [vendor] = await t
      .db('vendors')
      .insert({
        slug: 'linked-vendor',
        name: 'Linked Vendor',
        country: null,
        description: '',
        version: 1,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id');
    vendorId = Number(typeof vendor === 'object' ? vendor.id : vendor);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('the demo data as loaded: every link carries its event’s day and state, and the list’s counts are the events’', async () => {
    expect(await staleVendorLinks(t.db)).toEqual([]);
    expect(await listed(t.db)).toEqual(await recounted(t.db));
  });

  test('rows written straight to the tables, then events moved, trashed and restored straight in the table', async () => {
    const rows = Array.from({ length: 30 }, (_, k) =>
      rawEventRow({
        public_id: `linked-${k}`,
        title: `Linked event ${k}`,
        occurred_on: `${2001 + k}`,
        occurred_start: `${2001 + k}-01-01`,
        deleted_at: k % 7 === 0 ? NOW : null,
      }),
    );
    await t.db('events').insert(rows);
    const ids = (await t.db('events').where('public_id', 'like', 'linked-%').pluck('id')) as number[];
    await t.db('event_vendors').insert(ids.map((id) => ({ event_id: Number(id), vendor_id: vendorId })));
    expect(await staleVendorLinks(t.db)).toEqual([]);
    expect((await listed(t.db))['linked-vendor']).toEqual([25, '2002-01-01', '2030-01-01']);

    await t.db('events').where('public_id', 'linked-1').update({ occurred_on: '1999', occurred_start: '1999-01-01' });
    await t.db('events').where('public_id', 'linked-29').update({ deleted_at: NOW });
    await t.db('events').where('public_id', 'linked-0').update({ deleted_at: null });
    expect(await staleVendorLinks(t.db)).toEqual([]);
    expect((await listed(t.db))['linked-vendor']).toEqual([25, '1999-01-01', '2028-01-01']);
    expect(await listed(t.db)).toEqual(await recounted(t.db));
  });

  test('a link written with copies that are not its event’s gets its event’s; one written with the right ones keeps them', async () => {
    await t.db('events').insert([
      rawEventRow({ public_id: 'copied-live', title: 'Copied live', occurred_on: '2011', occurred_start: '2011-01-01' }),
      rawEventRow({
        public_id: 'copied-trashed',
        title: 'Copied trashed',
        occurred_on: '2012',
        occurred_start: '2012-01-01',
        deleted_at: NOW,
      }),
    ]);
    const idOf = async (publicId: string) =>
      Number(
        await t
          .db('events')
          .where('public_id', publicId)
          .first('id')
          .then((r) => r.id),
      );
    const live = await idOf('copied-live');
    const trashed = await idOf('copied-trashed');
    const [actor] = (await t.db('actors').select('id').limit(1)) as Array<{ id: number }>;
    await t.db('event_vendors').insert([
      { event_id: live, vendor_id: vendorId, occurred_start: '1900-01-01', live: 0 },
      { event_id: trashed, vendor_id: vendorId, occurred_start: '2012-01-01', live: 1 },
    ]);
    await t.db('event_affected_actors').insert([
      { event_id: live, actor_id: actor.id, occurred_start: '2011-01-01' },
      { event_id: trashed, actor_id: actor.id, occurred_start: '1900-01-01' },
    ]);
    expect(await staleVendorLinks(t.db)).toEqual([]);
    const affected = (await t
      .db('event_affected_actors')
      .whereIn('event_id', [live, trashed])
      .orderBy('event_id')
      .pluck('occurred_start')) as string[];
    expect(affected).toEqual(['2011-01-01', '2012-01-01']);
    expect(await listed(t.db)).toEqual(await recounted(t.db));
  });

  test('a link moved to another event takes that event’s copies; one statement of many links corrects only the stale ones', async () => {
    await t
      .db('events')
      .insert([
        rawEventRow({ public_id: 'moved-from', title: 'Moved from', occurred_on: '2013', occurred_start: '2013-01-01' }),
        rawEventRow({ public_id: 'moved-to', title: 'Moved to', occurred_on: '2014', occurred_start: '2014-01-01', deleted_at: NOW }),
      ]);
    const ids = (await t.db('events').whereIn('public_id', ['moved-from', 'moved-to']).orderBy('public_id').pluck('id')) as number[];
    const [from, to] = ids.map(Number);
    const [actor] = (await t.db('actors').select('id').limit(1)) as Array<{ id: number }>;
    await t.db('event_vendors').insert({ event_id: from, vendor_id: vendorId, occurred_start: '2013-01-01', live: 1 });
    await t.db('event_affected_actors').insert({ event_id: from, actor_id: actor.id, occurred_start: '2013-01-01' });
    await t.db('event_vendors').where({ event_id: from, vendor_id: vendorId }).update({ event_id: to });
    await t.db('event_affected_actors').where({ event_id: from, actor_id: actor.id }).update({ event_id: to });
    expect(await staleVendorLinks(t.db)).toEqual([]);
    expect(await t.db('event_vendors').where({ event_id: to, vendor_id: vendorId }).first('occurred_start', 'live')).toEqual({
      occurred_start: '2014-01-01',
      live: 0,
    });
    expect(await t.db('event_affected_actors').where({ event_id: to, actor_id: actor.id }).first('occurred_start')).toEqual({
      occurred_start: '2014-01-01',
    });

    // Many links in one insert, every third with no copies at all: all end right.
    const many = Array.from({ length: 12 }, (_, k) =>
      rawEventRow({
        public_id: `batch-linked-${k}`,
        title: `Batch linked ${k}`,
        occurred_on: `${1990 + k}`,
        occurred_start: `${1990 + k}-01-01`,
      }),
    );
    await t.db('events').insert(many);
    const batchIds = (await t.db('events').where('public_id', 'like', 'batch-linked-%').orderBy('id').pluck('id')) as number[];
    await t.db('event_vendors').insert(
      batchIds.map((id, k) => ({
        event_id: Number(id),
        vendor_id: vendorId,
        occurred_start: k % 3 ? `${1990 + k}-01-01` : null,
        live: k % 3 ? 1 : null,
      })),
    );
    expect(await staleVendorLinks(t.db)).toEqual([]);
    expect(await listed(t.db)).toEqual(await recounted(t.db));
  });

  if (kind === 'sqlite') {
    test('a page of vendors is counted from the links’ index, without reading events', async () => {
      const q = vendorStatsQuery(t.db, [1, 2, 3]).toSQL();
      const plan = (await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never)) as Array<{ detail: string }>;
      const details = plan.map((p) => p.detail).join('\n');
      expect(details).toMatch(/COVERING INDEX event_vendors_live_dates_idx/);
      expect(details).not.toMatch(/\bevents\b/);
    });
  }
});
