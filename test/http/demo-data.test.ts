import fs from 'node:fs';
import path from 'node:path';
import { DEMO_EDITOR, isEmptyDatabase, loadDemoData } from '../../src/seed/loadDemoData';
import { SEED_ARTICLE_KEY, SWISS_MOVE_ID, demoActors, demoEvents, demoSources, demoVendors } from '../../seeds';
import type { Db } from '../../src/db/knex';
import { deleteEvent } from '../../src/events/editing';
import { listRevisions } from '../../src/history/repo';
import { normaliseUrl } from '../../src/lib/url';
import { statusBoard } from '../../src/status/board';
import { createTestDb, type TestDb, describeEachDatabase } from '../helpers/testDb';

const TABLES = [
  'vendors',
  'actors',
  'events',
  'event_vendors',
  'event_affected_actors',
  'event_links',
  'sources',
  'citations',
  'revisions',
] as const;
const OLD_SWISS_ID = '2018-05-kaspersky-moves-core-infrastructure-to-switzerland';
const GSA = '2017-07-11-gsa-removes-kaspersky-from-approved-vendors';
const DUTCH = '2018-05-14-dutch-government-phases-out-kaspersky';
const BLEEPING = 'https://www.bleepingcomputer.com/news/government/dutch-government-to-phase-out-use-of-kaspersky-antivirus/';
const TELECOMPAPER = 'https://www.telecompaper.com/news/dutch-govt-bans-use-of-kaspersky-lab-products--1244314';
const PAGE_CHROME = '\n\nAdd a Comment\n\nYour email address will not be published. Required fields are marked *';
const KASPERSKY_EVENT_COUNT = 12;
const ANALYST = { id: null, displayName: 'Ana Analyst' };

async function countRows(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await db(table).where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = await countRows(db, table);
  return counts;
}

async function eventRow(db: Db, publicId: string) {
  return db('events').where({ public_id: publicId }).first();
}

/** An edit made in a form: the row changes and the history names the analyst. */
async function analystEdit(
  db: Db,
  table: 'events' | 'vendors',
  id: number,
  patch: Record<string, unknown>,
  entityType: 'event' | 'vendor',
): Promise<void> {
  const row = await db(table).where({ id }).first();
  const version = Number(row.version) + 1;
  await db(table)
    .where({ id })
    .update({ ...patch, version, updated_at: '2026-01-01T00:00:00.000Z' });
  await db('revisions').insert({
    entity_type: entityType,
    entity_id: id,
    action: 'update',
    version,
    user_id: ANALYST.id,
    user_name: ANALYST.displayName,
    at: '2026-01-01T00:00:00.000Z',
    changes: JSON.stringify({ title: ['x', 'y'] }),
  });
}

/**
 * Turns a database with the current demo data into one holding the earlier demo data:
 * only the Kaspersky timeline, no history, quotes only from the seed article, the
 * Switzerland move under its month-precise id citing the two Dutch articles, the seed
 * article with the page's comment form, and the Commerce actor under its old name.
 */
async function rewindToEarlierDemo(db: Db): Promise<void> {
  await db('revisions').del();
  const kaspersky = demoEvents.slice(0, KASPERSKY_EVENT_COUNT).map((e) => e.publicId);
  await db('events').whereNotIn('public_id', kaspersky).del();
  const newVendors = demoVendors.slice(3).map((v) => v.slug);
  await db('vendors').whereIn('slug', newVendors).del();
  const oldActors = demoActors.slice(0, 12).map((a) => a.slug);
  await db('actors').whereNotIn('slug', oldActors).del();

  const seed = await db('sources').whereNull('url').first('id', 'body');
  await db('citations').whereNot('source_id', seed.id).update({ quote: '' });
  const swiss = await eventRow(db, SWISS_MOVE_ID);
  await db('events')
    .where({ id: swiss.id })
    .update({ public_id: OLD_SWISS_ID, occurred_on: '2018-05', occurred_start: '2018-05-01', summary: 'Old summary.' });
  await db('citations').where({ event_id: swiss.id }).del();
  const dutchSources = await db('sources').whereIn('url', [BLEEPING, TELECOMPAPER]).orderBy('url').select('id');
  await db('citations').insert(
    dutchSources.map((s: { id: number }, position: number) => ({ event_id: swiss.id, source_id: s.id, quote: '', locator: '', position })),
  );
  await db('sources')
    .where({ id: seed.id })
    .update({ body: `${seed.body.trimEnd()}${PAGE_CHROME}` });
  await db('actors').where({ slug: 'us-commerce-bis' }).update({ name: 'Department of Commerce (BIS, OICTS)' });

  const cited = db('citations').select('source_id');
  await db('sources').whereNotIn('id', cited).del();
}

describeEachDatabase('demo data on %s', (kind) => {
  describe('a fresh database', () => {
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

    it('loads every demo vendor, actor, source and event, and reports what it added', async () => {
      expect(demoVendors.map((v) => v.slug)).toEqual(
        expect.arrayContaining(['kaspersky-lab', 'nso-group', 'candiru', 'positive-technologies', 'coseinc', 'huawei', 'zte']),
      );
      expect(afterFirst.vendors).toBe(demoVendors.length);
      expect(afterFirst.events).toBe(demoEvents.length);
      expect(afterFirst.actors).toBe(demoActors.length);
      expect(afterFirst.sources).toBe(demoSources.length);
      expect(afterFirst.event_links).toBe(demoEvents.reduce((n, e) => n + (e.links?.length ?? 0), 0));
      expect(firstLoad).toEqual({
        vendors: demoVendors.length,
        actors: demoActors.length,
        sources: demoSources.length,
        events: demoEvents.length,
        corrected: 0,
      });
      expect(await isEmptyDatabase(t.db)).toBe(false);
    });

    it('loading again changes nothing in any table, history included', async () => {
      const second = await loadDemoData(t.db);
      expect(second).toEqual({ vendors: 0, actors: 0, sources: 0, events: 0, corrected: 0 });
      expect(await tableCounts(t.db)).toEqual(afterFirst);
      await loadDemoData(t.db);
      expect(await tableCounts(t.db)).toEqual(afterFirst);
      expect(await countRows(t.db, 'events', { version: 1 })).toBe(demoEvents.length);
    });

    it('stores the vendors, actors and events under their public keys', async () => {
      const vendorSlugs = (await t.db('vendors').select('slug')).map((r: { slug: string }) => r.slug).sort();
      expect(vendorSlugs).toEqual(demoVendors.map((v) => v.slug).sort());
      const actorSlugs = (await t.db('actors').select('slug')).map((r: { slug: string }) => r.slug).sort();
      expect(actorSlugs).toEqual(demoActors.map((a) => a.slug).sort());
      const eventIds = (await t.db('events').whereNull('deleted_at').select('public_id'))
        .map((r: { public_id: string }) => r.public_id)
        .sort();
      expect(eventIds).toEqual(demoEvents.map((e) => e.publicId).sort());
    });

    it('stores one Entity List event for all four vendors it names', async () => {
      const row = await eventRow(t.db, '2021-11-03-entity-list-adds-nso-candiru-positive-coseinc');
      expect(row).toMatchObject({ type: 'export-control', jurisdiction: 'US', occurred_on: '2021-11-03', effective_on: '2021-11-04' });
      const slugs = (
        await t.db('event_vendors as ev').join('vendors as v', 'v.id', 'ev.vendor_id').where('ev.event_id', row.id).pluck('v.slug')
      ).sort();
      expect(slugs).toEqual(['candiru', 'coseinc', 'nso-group', 'positive-technologies']);
      expect(await eventRow(t.db, '2021-04-15-treasury-sanctions-positive-technologies')).toMatchObject({ type: 'sanction' });
    });

    it('keeps court rulings and lawsuits as legal actions, linked to what they answer', async () => {
      const ruling = await eventRow(t.db, '2024-12-20-court-finds-nso-liable-to-whatsapp');
      expect(ruling.type).toBe('legal-action');
      const suit = await eventRow(t.db, '2019-10-29-whatsapp-sues-nso-group');
      expect(await t.db('event_links').where({ from_event_id: ruling.id }).select('to_event_id', 'relation')).toEqual([
        { to_event_id: suit.id, relation: 'responds-to' },
      ]);
    });

    it('stores the Switzerland move as the day-precise announcement with its own sources', async () => {
      const row = await eventRow(t.db, SWISS_MOVE_ID);
      expect(row).toMatchObject({ occurred_on: '2018-05-15', occurred_start: '2018-05-15' });
      const urls = await t
        .db('citations as c')
        .join('sources as s', 's.id', 'c.source_id')
        .where('c.event_id', row.id)
        .orderBy('c.position')
        .pluck('s.url');
      expect(urls).not.toContain(BLEEPING);
      expect(urls).toContain('https://www.scworld.com/news/kaspersky-lab-to-set-up-shop-in-switzerland-amid-kremlin-concerns');
      expect(await eventRow(t.db, OLD_SWISS_ID)).toBeUndefined();
    });

    it('stores the seed article without an address and with the article’s words only', async () => {
      const seed = demoSources.find((s) => s.key === SEED_ARTICLE_KEY)!;
      const rows = await t.db('sources').whereNull('url');
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row.title).toBe(seed.title);
      expect(row.published_on).toBe('2018-06');
      const fullText = fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'kaspersky-pause-article.txt'), 'utf8');
      expect(row.body).toBe(fullText);
      expect(row.body).toContain('Kaspersky has halted work on No More Ransom project');
      expect(row.body).not.toMatch(/Add a Comment|Required fields|email address will not be published/);
      expect(row.body).not.toMatch(/ {2,}/);
    });

    it('gives every citation a quote, and takes the seed article’s quotes word for word from its text', async () => {
      expect(await countRows(t.db, 'citations', { quote: '' })).toBe(0);
      const source = await t.db('sources').whereNull('url').first('id', 'body');
      const quotes: Array<{ quote: string }> = await t.db('citations').where({ source_id: source.id }).select('quote');
      expect(quotes.length).toBe(3);
      for (const { quote } of quotes) expect(source.body).toContain(quote);
    });

    it('stores every source address the way the forms do, so an analyst citing it finds it', async () => {
      const urls: string[] = await t.db('sources').whereNotNull('url').pluck('url');
      expect(urls).toHaveLength(demoSources.length - 1);
      for (const url of urls) expect(url).toBe(normaliseUrl(url));
    });

    it('puts sanctions and export-control listings on the status board as measures of their own', async () => {
      const cells = (await statusBoard(t.db, '2022-01-01')).filter((c) =>
        ['positive-technologies', 'nso-group', 'candiru', 'coseinc'].includes(c.vendorSlug),
      );
      expect(cells.map((c) => [c.vendorSlug, c.jurisdiction, c.measure, c.inForceSince])).toEqual([
        ['candiru', 'US', 'export-restricted', '2021-11-04'],
        ['coseinc', 'US', 'export-restricted', '2021-11-04'],
        ['nso-group', 'US', 'export-restricted', '2021-11-04'],
        // The April sanction outranks both Entity List listings.
        ['positive-technologies', 'US', 'sanctioned', '2021-04-15'],
      ]);
      // Lawsuits and rulings are not measures: before the listing NSO Group has none in force.
      expect((await statusBoard(t.db, '2021-11-03')).filter((c) => c.vendorSlug === 'nso-group')).toEqual([]);
    });

    it('has every event cite at least one source and concern at least one vendor', async () => {
      const events: Array<{ id: number; public_id: string }> = await t.db('events').select('id', 'public_id');
      expect(events).toHaveLength(demoEvents.length);
      const cited = new Set((await t.db('citations').distinct('event_id')).map((r: { event_id: number }) => Number(r.event_id)));
      const withVendor = new Set((await t.db('event_vendors').distinct('event_id')).map((r: { event_id: number }) => Number(r.event_id)));
      expect(events.filter((e) => !cited.has(Number(e.id))).map((e) => e.public_id)).toEqual([]);
      expect(events.filter((e) => !withVendor.has(Number(e.id))).map((e) => e.public_id)).toEqual([]);
    });

    it('gives each event its first day for sorting and filtering', async () => {
      const rows: Array<{ occurred_on: string; occurred_start: string; effective_on: string | null; effective_start: string | null }> =
        await t.db('events').select('occurred_on', 'occurred_start', 'effective_on', 'effective_start');
      for (const r of rows) {
        expect(r.occurred_start).toBe(
          r.occurred_on.length === 10 ? r.occurred_on : r.occurred_on.length === 7 ? `${r.occurred_on}-01` : `${r.occurred_on}-01-01`,
        );
        expect(r.effective_start).toBe(r.effective_on);
      }
    });

    it('records the creation of every demo record in its history, made by the demo data', async () => {
      for (const [entityType, table] of [
        ['event', 'events'],
        ['source', 'sources'],
        ['vendor', 'vendors'],
        ['actor', 'actors'],
      ] as const) {
        const creates = await t
          .db('revisions')
          .where({ entity_type: entityType, action: 'create', user_name: DEMO_EDITOR.displayName })
          .whereNull('user_id')
          .count({ n: '*' })
          .first();
        expect([entityType, Number(creates?.n)]).toEqual([entityType, await countRows(t.db, table)]);
      }
      const dutch = await eventRow(t.db, DUTCH);
      const [revision] = await listRevisions(t.db, 'event', dutch.id);
      expect(revision).toMatchObject({ action: 'create', version: 1, userName: 'Demo data' });
      expect(revision.changes.title).toEqual(['', 'Dutch government to phase out Kaspersky anti-virus']);
      expect(revision.changes.citations[1]).toContain(
        '“the national government will no longer use anti-virus software from Kaspersky Lab”',
      );
    });
  });

  describe('a database with the current demo data and later activity', () => {
    let t: TestDb;

    beforeAll(async () => {
      t = await createTestDb(kind);
      await loadDemoData(t.db);
    });

    afterAll(async () => {
      await t?.cleanup();
    });

    it('brings a demo record nobody edited up to date when the demo data changes, in its history', async () => {
      // As if the previous release had shipped another title: the record's history is the demo's own.
      const dutch = await eventRow(t.db, DUTCH);
      await t.db('events').where({ id: dutch.id }).update({ title: 'An older demo title' });
      expect(await loadDemoData(t.db)).toEqual({ vendors: 0, actors: 0, sources: 0, events: 0, corrected: 1 });
      const row = await eventRow(t.db, DUTCH);
      expect(row).toMatchObject({ title: 'Dutch government to phase out Kaspersky anti-virus', version: 2 });
      const [update] = await listRevisions(t.db, 'event', row.id);
      expect(update).toMatchObject({
        action: 'update',
        version: 2,
        userName: 'Demo data',
        changes: { title: ['An older demo title', 'Dutch government to phase out Kaspersky anti-virus'] },
      });
    });

    it('leaves an event an analyst moved to the trash there, and links nothing new to it', async () => {
      const resolution = '2018-06-13-european-parliament-cyber-defence-resolution';
      await deleteEvent(t.db, ANALYST, resolution);
      const before = await tableCounts(t.db);
      expect(await loadDemoData(t.db)).toEqual({ vendors: 0, actors: 0, sources: 0, events: 0, corrected: 0 });
      expect(await tableCounts(t.db)).toEqual(before);
      expect((await eventRow(t.db, resolution)).deleted_at).not.toBeNull();
    });
  });

  describe('a database holding the earlier demo data', () => {
    let t: TestDb;
    let result: Awaited<ReturnType<typeof loadDemoData>>;
    let analystEvent: { id: number; title: string; version: number };
    let analystVendor: { id: number; description: string };
    let analystAdded: { id: number };

    beforeAll(async () => {
      t = await createTestDb(kind);
      await loadDemoData(t.db);
      await rewindToEarlierDemo(t.db);
      expect(await countRows(t.db, 'events')).toBe(KASPERSKY_EVENT_COUNT);
      expect(await countRows(t.db, 'revisions')).toBe(0);

      const gsa = await eventRow(t.db, GSA);
      await analystEdit(t.db, 'events', gsa.id, { title: 'GSA delists Kaspersky (analyst wording)' }, 'event');
      analystEvent = await eventRow(t.db, GSA);
      const vendor = await t.db('vendors').where({ slug: 'china-telecom-americas' }).first();
      await analystEdit(t.db, 'vendors', vendor.id, { description: 'Edited by an analyst.' }, 'vendor');
      analystVendor = await t.db('vendors').where({ id: vendor.id }).first();
      const [added] = await t
        .db('events')
        .insert({ ...(({ id: _id, ...rest }) => rest)(gsa), public_id: 'analyst-added-event', title: 'Added by an analyst', version: 1 })
        .returning('id');
      analystAdded = { id: typeof added === 'object' ? Number(added.id) : Number(added) };
      await t.db('revisions').insert({
        entity_type: 'event',
        entity_id: analystAdded.id,
        action: 'create',
        version: 1,
        user_id: null,
        user_name: ANALYST.displayName,
        at: '2026-01-01T00:00:00.000Z',
        changes: '{}',
      });

      result = await loadDemoData(t.db);
    });

    afterAll(async () => {
      await t?.cleanup();
    });

    it('gains the new vendors and their events', async () => {
      expect(result.vendors).toBe(demoVendors.length - 3);
      expect(result.events).toBe(demoEvents.length - KASPERSKY_EVENT_COUNT);
      expect(await countRows(t.db, 'vendors')).toBe(demoVendors.length);
      expect(await countRows(t.db, 'events')).toBe(demoEvents.length + 1);
      expect(await eventRow(t.db, '2019-05-15-entity-list-adds-huawei')).toMatchObject({ type: 'export-control' });
    });

    it('moves the Switzerland event to its new id and date, and its history shows the correction by the demo data', async () => {
      expect(await eventRow(t.db, OLD_SWISS_ID)).toBeUndefined();
      const row = await eventRow(t.db, SWISS_MOVE_ID);
      expect(row).toMatchObject({ occurred_on: '2018-05-15', version: 2 });
      const [update, create] = await listRevisions(t.db, 'event', row.id);
      expect(create).toMatchObject({ action: 'create', version: 1, userName: 'Demo data' });
      expect(create.changes.occurred_on).toEqual(['', '2018-05']);
      expect(update).toMatchObject({ action: 'update', version: 2, userName: 'Demo data' });
      expect(update.changes.occurred_on).toEqual(['2018-05', '2018-05-15']);
      expect(update.changes.citations[0]).toContain('Dutch government to phase out Kaspersky anti-virus');
      expect(update.changes.citations[1]).toContain('scworld.com');
    });

    it('fills in the quotes of the demo’s own events and cleans the seed article', async () => {
      const dutch = await eventRow(t.db, DUTCH);
      expect(await countRows(t.db, 'citations', { event_id: dutch.id, quote: '' })).toBe(0);
      const seed = await t.db('sources').whereNull('url').first();
      expect(seed.body).not.toContain('Add a Comment');
      const [update] = await listRevisions(t.db, 'source', seed.id);
      expect(update).toMatchObject({ action: 'update', userName: 'Demo data' });
      expect(update.changes.body[0]).toContain('Required fields are marked *');
      const actor = await t.db('actors').where({ slug: 'us-commerce-bis' }).first();
      expect(actor.name).toBe('Department of Commerce, Bureau of Industry and Security (BIS)');
    });

    it('leaves an event, a vendor and an event the analyst added or edited exactly as they were', async () => {
      expect(await t.db('events').where({ id: analystEvent.id }).first()).toEqual(analystEvent);
      expect(await countRows(t.db, 'citations', { event_id: analystEvent.id, quote: '' })).toBeGreaterThan(0);
      expect((await listRevisions(t.db, 'event', analystEvent.id)).map((r) => r.userName)).toEqual([ANALYST.displayName]);
      expect(await t.db('vendors').where({ id: analystVendor.id }).first()).toEqual(analystVendor);
      expect((await listRevisions(t.db, 'vendor', analystVendor.id)).map((r) => r.userName)).toEqual([ANALYST.displayName]);
      expect((await listRevisions(t.db, 'event', analystAdded.id)).map((r) => r.userName)).toEqual([ANALYST.displayName]);
    });

    it('gives the earlier demo events their first revision, and a further start changes nothing', async () => {
      const dutch = await eventRow(t.db, DUTCH);
      expect((await listRevisions(t.db, 'event', dutch.id)).map((r) => r.action)).toEqual(['update', 'create']);
      const before = await tableCounts(t.db);
      expect(await loadDemoData(t.db)).toEqual({ vendors: 0, actors: 0, sources: 0, events: 0, corrected: 0 });
      expect(await tableCounts(t.db)).toEqual(before);
    });
  });
});
