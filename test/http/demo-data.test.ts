import fs from 'node:fs';
import path from 'node:path';
import { loadDemoData, isEmptyDatabase } from '../../src/seed/loadDemoData';
import { SEED_ARTICLE_KEY, demoActors, demoEvents, demoSources, demoVendors } from '../../seeds/kaspersky-lab';
import type { Db } from '../../src/db/knex';
import { createTestDb, type TestDb, describeEachDatabase } from '../helpers/testDb';

const TABLES = ['vendors', 'actors', 'events', 'event_vendors', 'event_affected_actors', 'event_links', 'sources', 'citations'] as const;

async function countRows(db: Db, table: string): Promise<number> {
  const row = await db(table).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = await countRows(db, table);
  return counts;
}

describeEachDatabase('demo data on %s', (kind) => {
  let t: TestDb;
  let firstLoad: Awaited<ReturnType<typeof loadDemoData>>;
  let afterFirst: Record<string, number>;

  beforeAll(async () => {
    t = await createTestDb(kind);
    expect(await isEmptyDatabase(t.db)).toBe(true);
    firstLoad = await loadDemoData(t.db);
    afterFirst = await tableCounts(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('loads 3 vendors, 12 events and 12 actors, and reports what it added', async () => {
    expect(afterFirst.vendors).toBe(3);
    expect(afterFirst.events).toBe(12);
    expect(afterFirst.actors).toBe(12);
    expect(afterFirst.sources).toBe(demoSources.length);
    expect(afterFirst.event_links).toBe(2);
    expect(firstLoad).toEqual({ vendors: 3, actors: 12, sources: demoSources.length, events: 12 });
    expect(await isEmptyDatabase(t.db)).toBe(false);
  });

  it('loading a second time adds nothing to any table', async () => {
    const second = await loadDemoData(t.db);
    expect(second).toEqual({ vendors: 0, actors: 0, sources: 0, events: 0 });
    expect(await tableCounts(t.db)).toEqual(afterFirst);
    await loadDemoData(t.db);
    expect(await tableCounts(t.db)).toEqual(afterFirst);
  });

  it('stores the vendors, actors and events under their public keys', async () => {
    const vendorSlugs = (await t.db('vendors').select('slug')).map((r: { slug: string }) => r.slug).sort();
    expect(vendorSlugs).toEqual(demoVendors.map((v) => v.slug).sort());
    const actorSlugs = (await t.db('actors').select('slug')).map((r: { slug: string }) => r.slug).sort();
    expect(actorSlugs).toEqual(demoActors.map((a) => a.slug).sort());
    const eventIds = (await t.db('events').whereNull('deleted_at').select('public_id')).map((r: { public_id: string }) => r.public_id).sort();
    expect(eventIds).toEqual(demoEvents.map((e) => e.publicId).sort());
  });

  it('stores the seed article without an address and with the full article text', async () => {
    const seed = demoSources.find((s) => s.key === SEED_ARTICLE_KEY)!;
    const rows = await t.db('sources').whereNull('url');
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.title).toBe(seed.title);
    expect(row.published_on).toBe('2018-06');
    const fullText = fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'kaspersky-pause-article.txt'), 'utf8');
    expect(row.body).toBe(fullText);
    expect(row.body).toContain('Kaspersky has halted work on No More Ransom project');
  });

  it('takes every quote of the seed article word for word from its stored text', async () => {
    const source = await t.db('sources').whereNull('url').first('id', 'body');
    const quotes: Array<{ quote: string }> = await t.db('citations').where({ source_id: source.id }).select('quote');
    expect(quotes.length).toBe(3);
    for (const { quote } of quotes) {
      expect(quote).not.toBe('');
      expect(source.body).toContain(quote);
    }
  });

  it('has every event cite at least one source and concern at least one vendor', async () => {
    const events: Array<{ id: number; public_id: string }> = await t.db('events').select('id', 'public_id');
    expect(events).toHaveLength(12);
    const uncited: string[] = [];
    const withoutVendor: string[] = [];
    for (const event of events) {
      if ((await countWhere(t.db, 'citations', event.id)) === 0) uncited.push(event.public_id);
      if ((await countWhere(t.db, 'event_vendors', event.id)) === 0) withoutVendor.push(event.public_id);
    }
    expect(uncited).toEqual([]);
    expect(withoutVendor).toEqual([]);
  });

  it('gives each event its first day for sorting and filtering', async () => {
    const rows: Array<{ occurred_on: string; occurred_start: string; effective_on: string | null; effective_start: string | null }> = await t
      .db('events')
      .select('occurred_on', 'occurred_start', 'effective_on', 'effective_start');
    for (const r of rows) {
      expect(r.occurred_start).toBe(r.occurred_on.length === 10 ? r.occurred_on : r.occurred_on.length === 7 ? `${r.occurred_on}-01` : `${r.occurred_on}-01-01`);
      expect(r.effective_start).toBe(r.effective_on);
    }
  });
});

async function countWhere(db: Db, table: string, eventId: number): Promise<number> {
  const row = await db(table).where({ event_id: eventId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
