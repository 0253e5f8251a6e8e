import type { Db } from '../../src/db/knex';
import { findVendorsByLatestActivity } from '../../src/overview/repo';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

jest.setTimeout(60000);

const NOW = '2026-01-01T00:00:00.000Z';

/** Every live event's vendors, newest event first, reduced to the first `limit` distinct vendors: the answer by brute force. */
async function expected(db: Db, limit: number): Promise<string[]> {
  const rows = (await db('events')
    .join('event_vendors as ev', 'ev.event_id', 'events.id')
    .join('vendors as v', 'v.id', 'ev.vendor_id')
    .whereNull('events.deleted_at')
    .orderBy([{ column: 'events.occurred_start', order: 'desc' }, { column: 'events.id', order: 'desc' }, { column: 'v.name' }])
    .select('v.slug')) as Array<{ slug: string }>;
  return [...new Set(rows.map((r) => r.slug))].slice(0, limit);
}

describeEachDatabase('vendors by latest activity on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    const vendors = Array.from({ length: 12 }, (_, i) => ({
      slug: `busy-${i}`,
      name: `Busy ${i}`,
      aliases: '',
      description: '',
      version: 1,
      created_at: NOW,
      updated_at: NOW,
    }));
    await t.db('vendors').insert(vendors);
    const vendorIds = (await t.db('vendors').orderBy('id').pluck('id')).map(Number);
    // The newest 60 events all belong to two vendors; older ones, one event a vendor, to the
    // rest; one recent event has no vendor and one is deleted: the first window names too few.
    const events = Array.from({ length: 75 }, (_, k) => ({
      public_id: `busy-event-${k}`,
      title: `Busy event ${k}`,
      summary: '',
      type: 'advisory',
      jurisdiction: 'US',
      actor_id: null,
      occurred_on: `2020-01-01`,
      occurred_start: k < 60 ? `2024-${String((k % 12) + 1).padStart(2, '0')}-01` : `${2000 + (k - 60)}-06-01`,
      effective_on: null,
      effective_start: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
      deleted_at: k === 61 ? NOW : null,
    }));
    for (let i = 0; i < events.length; i += 25) await t.db('events').insert(events.slice(i, i + 25));
    const eventIds = (await t.db('events').where('public_id', 'like', 'busy-event-%').orderBy('id').pluck('id')).map(Number);
    const links = eventIds
      .map((event_id, k) => ({ event_id, k }))
      .filter(({ k }) => k !== 5)
      .map(({ event_id, k }) => ({ event_id, vendor_id: k < 60 ? vendorIds[k % 2] : vendorIds[2 + ((k - 60) % 10)] }));
    await t.db('event_vendors').insert(links);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test.each([1, 2, 3, 10, 12])(
    'the first %i distinct vendors of the newest events, read a window at a time, are the brute-force answer',
    async (limit) => {
      const found = (await findVendorsByLatestActivity(t.db, limit)).map((v) => v.slug);
      expect(found).toEqual(await expected(t.db, limit));
    },
  );

  test('the events read stop at the limit given: only vendors within it are listed', async () => {
    // 60 newest events name two vendors; with at most 50 events read, only those two.
    expect((await findVendorsByLatestActivity(t.db, 10, 50)).map((v) => v.slug).sort()).toEqual(['busy-0', 'busy-1']);
  });
});
