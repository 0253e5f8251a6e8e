import type { Db } from '../../src/db/knex';
import { type EventFilter, findEventExportRows, findEventKeys } from '../../src/events/repo';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

jest.setTimeout(60000);

/** The public ids of the live events matching `where`, in the filter's timeline order. */
async function expectedIds(db: Db, order: 'asc' | 'desc', where: (q: ReturnType<Db>) => void = () => {}): Promise<string[]> {
  const query = db('events').whereNull('deleted_at');
  where(query);
  return (
    await query.orderBy([
      { column: 'occurred_start', order },
      { column: 'id', order },
    ])
  ).map((r: { public_id: string }) => r.public_id);
}

/** The export's rows page by page, `size` keys a page, as the export reads them. */
async function pagedIds(db: Db, filter: EventFilter, size: number): Promise<string[]> {
  const keys = await findEventKeys(db, filter, 100_000);
  const out: string[] = [];
  for (let i = 0; i < keys.length; i += size) {
    const rows = await findEventExportRows(db, filter, { after: i > 0 ? keys[i - 1] : undefined, keys: keys.slice(i, i + size) });
    out.push(...rows.map((r) => r.public_id));
  }
  return out;
}

describeEachDatabase('the export read a page of keys at a time on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test.each(['asc', 'desc'] as const)('pages of keys give every live event once, in %s order, with or without a filter', async (order) => {
    expect(await pagedIds(t.db, { order }, 4)).toEqual(await expectedIds(t.db, order));
    expect(await pagedIds(t.db, { order, type: 'ban' }, 3)).toEqual(await expectedIds(t.db, order, (q) => q.where('type', 'ban')));
    const vendor = await t.db('vendors').where({ slug: 'kaspersky-lab' }).first('id');
    const ofVendor = await pagedIds(t.db, { order, vendorId: Number(vendor.id) }, 5);
    expect(ofVendor).toEqual(
      await expectedIds(t.db, order, (q) => q.whereIn('id', t.db('event_vendors').where('vendor_id', vendor.id).select('event_id'))),
    );
    expect(ofVendor.length).toBeGreaterThan(5);
  });

  test('an event deleted, or changed so that it no longer matches, after its key was read is left out of its page', async () => {
    const filter: EventFilter = { order: 'asc', type: 'ban' };
    const keys = await findEventKeys(t.db, filter, 100);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const [gone, changed] = keys;
    await t.db('events').where({ id: gone.id }).update({ deleted_at: '2026-01-01T00:00:00.000Z' });
    await t.db('events').where({ id: changed.id }).update({ type: 'advisory' });
    try {
      const rows = await findEventExportRows(t.db, filter, { keys });
      const ids = (await t.db('events').whereIn('id', [gone.id, changed.id]).pluck('public_id')) as string[];
      expect(rows).toHaveLength(keys.length - 2);
      for (const id of ids) expect(rows.map((r) => r.public_id)).not.toContain(id);
    } finally {
      await t.db('events').where({ id: gone.id }).update({ deleted_at: null });
      await t.db('events').where({ id: changed.id }).update({ type: 'ban' });
    }
  });

  if (kind === 'sqlite') {
    test('on SQLite a page reads its events through the primary key, not a range of the date index', async () => {
      const vendor = await t.db('vendors').where({ slug: 'kaspersky-lab' }).first('id');
      for (const filter of [
        { order: 'asc' },
        { order: 'desc', type: 'ban' },
        { order: 'asc', vendorId: Number(vendor.id) },
      ] as EventFilter[]) {
        const keys = await findEventKeys(t.db, filter, 5);
        const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
        const listener = (q: { sql: string; bindings?: readonly unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
        t.db.on('query', listener);
        try {
          await findEventExportRows(t.db, filter, { after: keys[0], keys: keys.slice(1) });
        } finally {
          t.db.off('query', listener);
        }
        expect(statements).toHaveLength(1);
        const plan = (await t.db.raw(`explain query plan ${statements[0].sql}`, statements[0].bindings as never)) as Array<{
          detail: string;
        }>;
        const details = plan.map((p) => p.detail);
        expect(details).toContain('SEARCH events USING INTEGER PRIMARY KEY (rowid=?)');
        expect(details.join('\n')).not.toMatch(/SCAN events|events_occurred_idx|events_type_timeline_idx/);
      }
    });
  }
});
