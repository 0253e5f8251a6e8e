import request from 'supertest';
import { insertRows } from '../../src/db/bulk';
import type { Db } from '../../src/db/knex';
import { reindexEvents, reindexSources } from '../../src/db/searchIndex';
import { MATCH_CAP, search } from '../../src/search/service';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { decodeHtml, rawVendorRow, textOf } from './support';

jest.setTimeout(120000);

const NOW = '2026-01-01T00:00:00.000Z';
/** Events that say the search word: more than two pages of 50. */
const HITS = 130;

/** `count` vendors named `<name> 0`, `<name> 1`… with slugs `<name>-0`… in lower case. */
async function addVendors(db: Db, name: string, count: number): Promise<void> {
  await insertRows(
    db,
    'vendors',
    Array.from({ length: count }, (_, i) => rawVendorRow(`${name.toLowerCase()}-${i}`, `${name} ${i}`)),
  );
}

/**
 * HITS events with "quokka" (a third in the title, so relevance differs; many with the very
 * same text, so paging must break ties), some without it, one deleted, and sources that
 * say it too. Two vendors share the events.
 */
async function seed(db: Db): Promise<void> {
  await insertRows(db, 'vendors', [rawVendorRow('odd-vendor', 'Odd Vendor'), rawVendorRow('even-vendor', 'Even Vendor')]);
  const [odd, even] = (await db('vendors').orderBy('id').pluck('id')) as number[];
  await insertRows(
    db,
    'sources',
    Array.from({ length: 5 }, (_, i) => ({
      url: `https://search-paging.example/${i}`,
      title: `Quokka report ${i}`,
      publisher: '',
      author: '',
      version: 1,
      created_at: NOW,
      updated_at: NOW,
    })),
  );
  const sourceIds = (await db('sources').orderBy('id').pluck('id')) as number[];
  const events = Array.from({ length: HITS + 20 }, (_, k) => {
    const date = `2020-0${(k % 9) + 1}-01`;
    const says = k < HITS;
    return {
      public_id: `search-paging-${k}`,
      title: says && k % 3 === 0 ? `Quokka event ${k}` : `Event ${k}`,
      summary: says ? 'A summary that names the quokka once.' : 'A summary about something else.',
      type: k % 2 ? 'ban' : 'advisory',
      jurisdiction: 'US',
      actor_id: null,
      occurred_on: date,
      occurred_start: date,
      effective_on: null,
      effective_start: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
      deleted_at: k === 7 ? NOW : null,
    };
  });
  await insertRows(db, 'events', events);
  const eventIds = (await db('events').orderBy('id').pluck('id')) as number[];
  await insertRows(
    db,
    'event_vendors',
    eventIds.map((event_id, k) => ({ event_id, vendor_id: k % 2 ? odd : even })),
  );
  await insertRows(
    db,
    'citations',
    eventIds.map((event_id, k) => ({ event_id, source_id: sourceIds[k % sourceIds.length], quote: '', locator: '', position: 0 })),
  );
  await db.transaction(async (trx) => {
    await reindexEvents(trx, eventIds);
    await reindexSources(trx, sourceIds);
  });
}

/** The links of a results page, as "events/<id>" or "sources/<id>", in page order. */
function hitsOf(html: string): string[] {
  const list = /<ol class="search-results"[^>]*>([\s\S]*?)<\/ol>/.exec(html);
  if (!list) return [];
  return [...list[1].matchAll(/<a href="\/((?:events|sources)\/[^"]+)">/g)].map((m) => decodeURIComponent(m[1]));
}

const nextLink = (html: string) => {
  const m = /<a href="([^"]+)" rel="next"/.exec(html);
  return m ? decodeHtml(m[1]) : null;
};

describeEachDatabase('paging through search results on %s', (kind) => {
  let t: TestApp;
  /** Every live event that says the word, and every source. */
  let expected: string[];

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    await seed(t.db);
    const events = (await t
      .db('events')
      .whereNull('deleted_at')
      .where('title', 'like', '%Quokka%')
      .orWhere('summary', 'like', '%quokka%')
      .whereNull('deleted_at')
      .pluck('public_id')) as string[];
    const sources = (await t.db('sources').pluck('id')) as number[];
    expected = [...events.map((id) => `events/${id}`), ...sources.map((id) => `sources/${id}`)].sort();
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  async function follow(first: string): Promise<{ hits: string[]; pages: string[] }> {
    const hits: string[] = [];
    const pages: string[] = [];
    let path: string | null = first;
    while (path) {
      const res = await request(t.app).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      pages.push(res.text);
      hits.push(...hitsOf(res.text));
      path = nextLink(res.text);
      if (pages.length > 50) throw new Error('paging does not end');
    }
    return { hits, pages };
  }

  test('following "More results" visits every hit once, and the count says how many there are', async () => {
    const { hits, pages } = await follow('/search?q=quokka');
    expect(expected.length).toBe(HITS - 1 + 5);
    expect(pages.length).toBe(Math.ceil(expected.length / 50));
    expect(hits.length).toBe(new Set(hits).size);
    expect([...hits].sort()).toEqual(expected);
    expect(textOf(pages[0])).toContain(`${expected.length} results, best first.`);
    // Title hits rank first: the page starts with them.
    const titled = new Set(
      ((await t.db('events').where('title', 'like', 'Quokka%').whereNull('deleted_at').pluck('public_id')) as string[]).map(
        (id) => `events/${id}`,
      ),
    );
    expect(hits.slice(0, 5).every((h) => titled.has(h) || h.startsWith('sources/'))).toBe(true);
    // Later pages number on from the previous ones and link back.
    expect(pages[1]).toContain('<ol class="search-results" start="51">');
    expect(pages[1]).toMatch(/<a href="[^"]*" rel="prev"/);
  });

  test('paging keeps the filters, and visits every hit of the filtered list once', async () => {
    const { hits, pages } = await follow('/search?q=quokka&vendor=odd-vendor');
    const oddEvents = (await t
      .db('events')
      .join('event_vendors', 'event_vendors.event_id', 'events.id')
      .join('vendors', 'vendors.id', 'event_vendors.vendor_id')
      .where('vendors.slug', 'odd-vendor')
      .whereNull('events.deleted_at')
      .where('events.summary', 'like', '%quokka%')
      .pluck('events.public_id')) as string[];
    expect(pages.length).toBeGreaterThan(1);
    expect(hits.length).toBe(new Set(hits).size);
    expect(hits.filter((h) => h.startsWith('events/')).sort()).toEqual(oddEvents.map((id) => `events/${id}`).sort());
    for (const page of pages.slice(1)) expect(page).toContain('<option value="odd-vendor" selected>');
  });

  test('with more matches than the cap, the count says "more than" and the pages cover exactly the capped list once', async () => {
    const limits = { pageSize: 7, cap: 40 };
    const seen: string[] = [];
    let page = 1;
    let first: Awaited<ReturnType<typeof search>> | undefined;
    for (;;) {
      const result = await search(t.db, { q: 'quokka', page: String(page) }, limits);
      first ??= result;
      expect(result.start).toBe((page - 1) * limits.pageSize + 1);
      seen.push(...result.results.map((r) => (r.kind === 'event' ? `events/${r.event.publicId}` : `sources/${r.source.id}`)));
      if (!result.nextHref) break;
      expect(result.nextHref).toContain(`page=${page + 1}`);
      page += 1;
    }
    expect(first?.capped).toBe(true);
    expect(first?.matches).toBe(limits.cap);
    expect(page).toBe(Math.ceil(limits.cap / limits.pageSize));
    expect(seen.length).toBe(limits.cap);
    expect(new Set(seen).size).toBe(limits.cap);
    for (const hit of seen) expect(expected).toContain(hit);
  });

  test('a cap of exactly as many matches ranks them all; one fewer says "more than"', async () => {
    const all = await search(t.db, { q: 'quokka' }, { pageSize: 50, cap: expected.length });
    expect({ capped: all.capped, matches: all.matches }).toEqual({ capped: false, matches: expected.length });
    const under = await search(t.db, { q: 'quokka' }, { pageSize: 50, cap: expected.length - 1 });
    expect({ capped: under.capped, matches: under.matches }).toEqual({ capped: true, matches: expected.length - 1 });
  });

  test('a page number past the last result says so and links back to the first page', async () => {
    const res = await request(t.app).get('/search?q=quokka&page=9');
    expect(res.status).toBe(200);
    expect(hitsOf(res.text)).toEqual([]);
    expect(textOf(res.text)).toContain('This page is past the last result.');
    expect(res.text).toContain('href="/search?q=quokka"');
  });

  test.each(['0', '-1', 'two', '1.5', '21', '99999999', ''])(
    'page=%s that is no page of the capped list is a 400 naming page (empty means the first)',
    async (page) => {
      const res = await request(t.app).get(`/search?q=quokka&page=${encodeURIComponent(page)}`);
      if (page === '') {
        expect(res.status).toBe(200);
        return;
      }
      expect(res.status).toBe(400);
      expect(res.text).toContain('<code>page</code>');
    },
  );

  test('with exactly 200 vendors the vendor filter is still a drop-down offering every one', async () => {
    const before = Number((await t.db('vendors').count({ n: '*' }).first())?.n);
    await addVendors(t.db, 'Few', 200 - before);
    const res = await request(t.app).get('/search?q=quokka');
    expect(res.status).toBe(200);
    expect(res.text.match(/<option value="[^"]+"/g)?.length).toBeGreaterThanOrEqual(200);
    expect(res.text).toContain('<option value="few-0"');
    expect(res.text).toContain('<option value="odd-vendor"');
    expect(res.text).not.toContain('<input type="text" name="vendor"');
  });

  test('with more than 200 vendors the vendor filter is a text field for the vendor id, and still filters', async () => {
    await addVendors(t.db, 'Many', 200);
    const res = await request(t.app).get('/search?q=quokka&vendor=odd-vendor');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<option value="many-0"');
    expect(res.text).toContain('<input type="text" name="vendor" value="odd-vendor"');
    const oddHits = hitsOf(res.text).filter((h) => h.startsWith('events/'));
    expect(oddHits.length).toBeGreaterThan(0);
    const odd = new Set(
      (await t
        .db('events')
        .join('event_vendors', 'event_vendors.event_id', 'events.id')
        .join('vendors', 'vendors.id', 'event_vendors.vendor_id')
        .where('vendors.slug', 'odd-vendor')
        .pluck('events.public_id')) as string[],
    );
    for (const h of oddHits) expect(odd.has(h.slice('events/'.length))).toBe(true);
  });

  // Last: it adds events.
  test('past 1,000 matches the page says "more than 1,000" and still pages 50 at a time', async () => {
    const more = Array.from({ length: MATCH_CAP }, (_, k) => ({
      public_id: `search-paging-more-${k}`,
      title: `More ${k}`,
      summary: 'Another quokka.',
      type: 'advisory',
      jurisdiction: 'US',
      actor_id: null,
      occurred_on: '2021-01-01',
      occurred_start: '2021-01-01',
      effective_on: null,
      effective_start: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
      deleted_at: null,
    }));
    await insertRows(t.db, 'events', more);
    const ids = (await t.db('events').where('public_id', 'like', 'search-paging-more-%').pluck('id')) as number[];
    await t.db.transaction((trx) => reindexEvents(trx, ids));
    const res = await request(t.app).get('/search?q=quokka');
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain('More than 1,000 results, best first among the first 1,000 found.');
    expect(hitsOf(res.text)).toHaveLength(50);
    expect(nextLink(res.text)).toBe('/search?q=quokka&page=2');
    const last = await request(t.app).get('/search?q=quokka&page=20');
    expect(hitsOf(last.text)).toHaveLength(50);
    expect(nextLink(last.text)).toBeNull();
  });
});

// PostgreSQL ranks the matches its GIN bitmap yields first, in no promised order; SQLite promises the newest.
describe('a capped search on SQLite', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite', { demo: false });
    await seed(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('more matches than the cap: the newest documents are the ones ranked', async () => {
    const cap = 25;
    const newest = (await t
      .db('search_document_content')
      .where((w) => w.where('title', 'like', '%uokka%').orWhere('body', 'like', '%uokka%'))
      .orderBy('id', 'desc')
      .limit(cap)
      .select('entity_type', 'entity_id')) as Array<{ entity_type: string; entity_id: number }>;
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const result = await search(t.db, { q: 'quokka', page: String(page) }, { pageSize: 5, cap });
      seen.push(...result.results.map((r) => (r.kind === 'event' ? `event:${r.event.id}` : `source:${r.source.id}`)));
    }
    expect(seen.sort()).toEqual(newest.map((d) => `${d.entity_type}:${d.entity_id}`).sort());
  });
});
