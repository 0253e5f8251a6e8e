import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { insertRows } from '../../src/db/bulk';
import type { Db } from '../../src/db/knex';
import { eventCsvRecord, EVENT_CSV_COLUMNS } from '../../src/events/csv';
import { ACTOR_PAGE_LIMIT, getActorPage, iterateEvents } from '../../src/events/service';
import { hydrateEvents } from '../../src/events/repo';
import { neutraliseCell } from '../../src/lib/csv';
import { iterateStatusCells, statusBoard, statusBoardPage } from '../../src/status/board';
import { eventIdsOf, hrefsOf, parseHtml, sectionOf, type Page } from '../helpers/dom';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { getRaw, rawVendorRow } from './support';

jest.setTimeout(120000);

const NOW = '2026-01-01T00:00:00.000Z';
const VENDORS = 230;
const ACTORS = 120;
const EVENTS = 450;

/**
 * Many vendors (several sharing a name, so paging must break ties by id), many actors,
 * and events spread so that one vendor, one actor and one source hold more than a page.
 */
async function seed(db: Db): Promise<void> {
  const names = (i: number) => (i % 7 === 0 ? 'Same Name' : `Vendor ${String(i).padStart(3, '0')}`);
  await insertRows(
    db,
    'vendors',
    Array.from({ length: VENDORS }, (_, i) => rawVendorRow(`v-${i}`, names(i))),
  );
  await insertRows(
    db,
    'actors',
    Array.from({ length: ACTORS }, (_, i) => ({
      slug: `a-${i}`,
      name: i % 5 === 0 ? 'Same Body' : `Body ${String(i).padStart(3, '0')}`,
      kind: 'government',
      description: '',
      version: 1,
      created_at: NOW,
      updated_at: NOW,
    })),
  );
  await insertRows(db, 'sources', [
    { url: 'https://paging.example/one', title: 'One source', publisher: '', author: '', version: 1, created_at: NOW, updated_at: NOW },
  ]);
  const vendorIds = (await db('vendors').orderBy('id').pluck('id')) as number[];
  const actorIds = (await db('actors').orderBy('id').pluck('id')) as number[];
  const sourceId = (await db('sources').first('id')).id as number;
  const events = Array.from({ length: EVENTS }, (_, k) => {
    // Few distinct dates, so many events share one and paging must break ties by id.
    const date = `20${String(10 + (k % 6)).padStart(2, '0')}-0${(k % 3) + 1}-01`;
    return {
      public_id: `paging-${k}`,
      title: `Paging event ${k}`,
      summary: k % 9 === 0 ? '=cmd, "quoted"\nline' : 'plain',
      type: k % 4 === 0 ? 'ban' : 'advisory',
      jurisdiction: k % 2 ? 'US' : 'GB',
      actor_id: actorIds[0],
      occurred_on: date,
      occurred_start: date,
      effective_on: null,
      effective_start: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
      deleted_at: k === 17 ? NOW : null,
    };
  });
  await insertRows(db, 'events', events);
  const eventIds = (await db('events').orderBy('id').pluck('id')) as number[];
  await insertRows(
    db,
    'event_vendors',
    eventIds.map((event_id, k) => ({ event_id, vendor_id: vendorIds[k % 3 === 0 ? 0 : k % vendorIds.length] })),
  );
  await insertRows(
    db,
    'event_affected_actors',
    eventIds.map((event_id) => ({ event_id, actor_id: actorIds[1] })),
  );
  await insertRows(
    db,
    'citations',
    eventIds.map((event_id) => ({ event_id, source_id: sourceId, quote: 'q', locator: '', position: 0 })),
  );
  await insertRows(
    db,
    'event_links',
    eventIds.slice(1, 40).map((from_event_id, k) => ({ from_event_id, to_event_id: eventIds[k], relation: 'responds-to' })),
  );
}

/** Follows `rel="next"` links (or the given extractor) from `first` until none is left. */
async function followPages(
  t: TestApp,
  first: string,
  itemsOf: (page: Page) => string[],
  nextOf: (page: Page) => string | null,
): Promise<{ items: string[]; pages: number }> {
  const items: string[] = [];
  let path: string | null = first;
  let pages = 0;
  while (path) {
    const res = await request(t.app).get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    const page = parseHtml(res.text);
    items.push(...itemsOf(page));
    path = nextOf(page);
    pages += 1;
    if (pages > 100) throw new Error('paging does not end');
  }
  return { items, pages };
}

const nextLink = (page: Page) => hrefsOf(page, 'a[rel="next"]')[0] ?? null;

/** The slugs a list links to with `<a href="/vendors/SLUG">` inside the given element (a heading, a cell). */
const slugsLinked = (page: Page, within: string, folder: string) =>
  hrefsOf(page, `${within} > a[href^="/${folder}/"]`).map((href) => href.slice(folder.length + 2));

describeEachDatabase('keyset paging on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    await seed(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('/vendors shows a bounded page and its next links visit every vendor once, in name order', async () => {
    const { items, pages } = await followPages(t, '/vendors', (page) => slugsLinked(page, 'h2', 'vendors'), nextLink);
    expect(pages).toBeGreaterThan(1);
    const expected = (await t
      .db('vendors')
      .orderBy([{ column: 'name' }, { column: 'id' }])
      .pluck('slug')) as string[];
    expect(items).toEqual(expected);
  });

  test('the start page lists a bounded number of vendors and links to the rest', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(200);
    const listed = slugsLinked(parseHtml(res.text), 'td', 'vendors').length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(VENDORS);
  });

  test('/actors pages visit every actor once, in name order', async () => {
    const { items, pages } = await followPages(t, '/actors', (page) => slugsLinked(page, 'td', 'actors'), nextLink);
    expect(pages).toBeGreaterThan(1);
    expect(items).toEqual(
      (await t
        .db('actors')
        .orderBy([{ column: 'name' }, { column: 'id' }])
        .pluck('slug')) as string[],
    );
  });

  test('/api/vendors pages by cursor through every vendor once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app).get(
        `/api/vendors?limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.vendors.length).toBeLessThanOrEqual(37);
      seen.push(...res.body.vendors.map((v: { slug: string }) => v.slug));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(
      (await t
        .db('vendors')
        .orderBy([{ column: 'name' }, { column: 'id' }])
        .pluck('slug')) as string[],
    );
    const first = await request(t.app).get('/api/vendors?limit=37');
    const v0 = first.body.vendors.find((v: { slug: string }) => v.slug === 'v-0');
    // The counts are those of the listed vendor, read for the page: live events only.
    expect(v0.event_count).toBe(
      Number(
        (
          await t
            .db('event_vendors')
            .join('events', 'events.id', 'event_vendors.event_id')
            .where('vendor_id', (await t.db('vendors').where({ slug: 'v-0' }).first('id')).id)
            .whereNull('deleted_at')
            .count({ n: '*' })
        )[0].n,
      ),
    );
  });

  test('a page key that was not made by the app is a 400 naming the parameter', async () => {
    for (const path of ['/vendors?after=nonsense', '/actors?after=WzFd', '/api/vendors?cursor=x', '/reports/status?after=bad']) {
      const res = await request(t.app).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });

  test('a source cited by more events than a page shows: the API cursor visits every live citing event once, in date order', async () => {
    const sourceId = (await t.db('sources').first('id')).id;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app).get(
        `/api/sources/${sourceId}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.cited_by.map((c: { event_id: string }) => c.event_id));
      cursor = res.body.next_cursor;
    } while (cursor);
    const expected = (await t
      .db('events')
      .whereNull('deleted_at')
      .orderBy([{ column: 'occurred_start' }, { column: 'id' }])
      .pluck('public_id')) as string[];
    expect(seen).toEqual(expected);
  });

  test('the actor page shows a page of each list, with keys that continue them', async () => {
    const res = await request(t.app).get('/actors/a-1');
    expect(res.status).toBe(200);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof getActorPage>> = await getActorPage(t.db, 'a-1', after ? { affected_after: after } : {});
      expect(page.affectedBy.length).toBeLessThanOrEqual(ACTOR_PAGE_LIMIT);
      seen.push(...page.affectedBy.map((e) => e.publicId));
      after = page.affectedNext;
    } while (after);
    expect(seen).toEqual(
      (await t
        .db('events')
        .whereNull('deleted_at')
        .orderBy([{ column: 'occurred_start' }, { column: 'id' }])
        .pluck('public_id')) as string[],
    );
  });

  test('the actor page links its next page of each list, and following the links visits every event once', async () => {
    const seen: string[] = [];
    let href: string | null = '/actors/a-1';
    while (href) {
      const res = await request(t.app).get(href);
      expect(res.status).toBe(200);
      const affected = sectionOf(parseHtml(res.text), 'What affected it');
      seen.push(...eventIdsOf(affected));
      href = hrefsOf(affected, 'a[rel="next"][href*="affected_after="]')[0] ?? null;
    }
    expect(seen).toEqual(
      (await t
        .db('events')
        .whereNull('deleted_at')
        .orderBy([{ column: 'occurred_start' }, { column: 'id' }])
        .pluck('public_id')) as string[],
    );
  });

  test('the status board page by page gives the whole board, and its next link carries as_of', async () => {
    const asOf = '2016-01-01';
    const whole = await statusBoard(t.db, asOf);
    expect(whole.length).toBeGreaterThan(0);
    const paged = [];
    let after: [string, number] | undefined;
    for (;;) {
      const page = await statusBoardPage(t.db, asOf, { limit: 40, after });
      paged.push(...page.cells);
      if (!page.next) break;
      after = page.next;
    }
    const key = (c: { vendorSlug: string; jurisdiction: string }) => `${c.vendorSlug}|${c.jurisdiction}`;
    expect(paged.map(key).sort()).toEqual(whole.map(key).sort());
    const first = await request(t.app).get(`/reports/status?as_of=${asOf}`);
    expect(first.status).toBe(200);
    const csv = await getRaw(t.app, `/reports/status.csv?as_of=${asOf}`);
    const rows = (parse(csv.body.toString('utf8')) as string[][]).slice(1);
    expect(rows.map((r) => `${r[0]}|${r[1]}`).sort()).toEqual(whole.map(key).sort());
  });

  test('the status CSV’s pages, growing from one vendor to a full page, give every cell of the board once', async () => {
    const key = (c: { vendorSlug: string; jurisdiction: string }) => `${c.vendorSlug}|${c.jurisdiction}`;
    for (const asOf of ['2016-01-01', '2026-01-01']) {
      const whole = (await statusBoard(t.db, asOf)).map(key);
      const streamed: string[] = [];
      // Pages of 1, 2, 4, … 32, then 32 each: several sizes and the last partial page.
      for await (const cell of iterateStatusCells(t.db, asOf, 32, 1)) streamed.push(key(cell));
      expect(whole.length).toBeGreaterThan(0);
      expect(new Set(streamed).size).toBe(streamed.length);
      expect(streamed.sort()).toEqual(whole.sort());
    }
  });

  test('the CSV export writes exactly what the hydrated events give, row for row', async () => {
    const csv = await getRaw(t.app, '/events.csv');
    expect(csv.status).toBe(200);
    const rows = parse(csv.body.toString('utf8')) as string[][];
    expect(rows[0]).toEqual([...EVENT_CSV_COLUMNS]);
    const expected: string[][] = [];
    for await (const event of iterateEvents(t.db, { order: 'asc' })) {
      const record = eventCsvRecord(event);
      expected.push(EVENT_CSV_COLUMNS.map((c) => record[c]));
    }
    expect(rows.slice(1)).toEqual(expected.map((r) => r.map(neutraliseCell)));
    expect(rows.length - 1).toBe(EVENTS - 1);
  });

  test('hydrating events inside a transaction runs its queries one after another (no overlapping queries on one client)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const rows = await t.db('events').whereNull('deleted_at').limit(20);
      const inTrx = await t.db.transaction(async (trx) => hydrateEvents(trx, rows));
      expect(inTrx).toEqual(await hydrateEvents(t.db, rows));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
  });

  test('an event list reads its sources without their stored text (up to 100,000 characters each), which no list shows', async () => {
    const cited = await t.db('citations').first('event_id', 'source_id');
    await t
      .db('sources')
      .where({ id: cited.source_id })
      .update({ body: 'The article as stored. '.repeat(2000) });
    const selects: string[] = [];
    const onQuery = (q: { sql: string }) => selects.push(q.sql);
    t.db.on('query', onQuery);
    try {
      const [event] = await hydrateEvents(t.db, await t.db('events').where({ id: cited.event_id }));
      const source = event.citations.find((c) => c.source.id === Number(cited.source_id))?.source;
      expect(source).toMatchObject({ id: Number(cited.source_id), title: expect.any(String) });
      expect(source).not.toHaveProperty('body');
    } finally {
      t.db.off('query', onQuery);
    }
    const citationQuery = selects.find((sql) => /from\s+["`]citations["`]/i.test(sql));
    expect(citationQuery).toBeDefined();
    expect(citationQuery).not.toMatch(/["`]s["`]\.\*|["`]?body["`]?/);
  });

  test('a write goes through while a long export is being read', async () => {
    const server = http.createServer(t.app).listen(0);
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const body: Buffer[] = [];
      let resume: () => void = () => undefined;
      const finished = new Promise<void>((resolve, reject) => {
        http.get({ port, path: '/events.csv', agent: false }, (res) => {
          // Hold the download after its first chunk, as a slow client does.
          res.once('data', (chunk: Buffer) => {
            body.push(chunk);
            res.pause();
            res.on('data', (c: Buffer) => body.push(c));
            resume = () => res.resume();
          });
          res.on('end', resolve);
          res.on('error', reject);
        });
      });
      while (body.length === 0) await new Promise((r) => setTimeout(r, 10));
      await t.db('vendors').insert({
        slug: 'written-during-export',
        name: 'Written during export',
        aliases: '',
        description: '',
        version: 1,
        created_at: NOW,
        updated_at: NOW,
      });
      expect(await t.db('vendors').where({ slug: 'written-during-export' }).first('id')).toBeTruthy();
      resume();
      await finished;
      const rows = parse(Buffer.concat(body).toString('utf8')) as string[][];
      expect(rows.length - 1).toBe(EVENTS - 1);
    } finally {
      server.close();
    }
  });
});
