import request from 'supertest';
import { createEvent, deleteEvent, restoreEvent, updateEvent } from '../../src/events/editing';
import { eventFormValues } from '../../src/events/routes';
import { type EventFormValues, parseEventForm } from '../../src/events/schema';
import { getEvent } from '../../src/events/service';
import type { Editor } from '../../src/history/repo';
import { getSource, updateSource } from '../../src/sources/service';
import { search as runSearch } from '../../src/search/service';
import { SourceInput } from '../../src/sources/schema';
import { parseForm } from '../../src/lib/input';
import { createTestUser } from '../helpers/users';
import { attrsOf, fieldValue, parseHtml, textOf, textsOf, type Page } from '../helpers/dom';
import { signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { COMMERCE, FCC, GSA, NDAA, REJECTION, RESOLUTION, SUSPENSION } from './support';

jest.setTimeout(60000);

const EDITOR: Editor = { id: null, displayName: 'Search test' };
const SEED_ARTICLE_TITLE = 'Kaspersky pulls a pause button on Europe’s Cybercrime project';

interface SearchResult {
  kind: 'event' | 'source';
  /** The event's public id, or the source's numeric id as text. */
  id: string;
  title: string;
  /** The type badge of an event, "Source" for a source. */
  badge: string;
  /** The text of each <mark> in the snippet, in order. */
  marks: string[];
}

/** The results list of a search page, in page order. */
function resultsOf(page: Page): SearchResult[] {
  return page('ol.search-results > li')
    .toArray()
    .map((li) => {
      const item = page(li);
      const link = item.find('a[href^="/events/"], a[href^="/sources/"]').first();
      if (link.length === 0) throw new Error(`A search result without a link: ${item.html()}`);
      const snippet = item.find('p.snippet');
      if (snippet.length === 0) throw new Error(`A search result without a snippet: ${item.html()}`);
      const [, folder, id] = /^\/(events|sources)\/(.+)$/.exec(link.attr('href') ?? '') ?? [];
      return {
        kind: folder === 'events' ? 'event' : 'source',
        id: decodeURIComponent(id),
        title: textOf(link),
        badge: textOf(item, 'span.badge'),
        marks: textsOf(snippet, 'mark'),
      };
    });
}

const eventIdsOf = (results: SearchResult[]) => results.filter((r) => r.kind === 'event').map((r) => r.id);
const sourceTitlesOf = (results: SearchResult[]) => results.filter((r) => r.kind === 'source').map((r) => r.title);

function searchPath(params: Record<string, string>): string {
  return `/search?${new URLSearchParams(params).toString()}`;
}

/** A new-event form for the editing service, with one new source. */
function newEventForm(values: Partial<EventFormValues> & { title: string }): EventFormValues {
  return {
    summary: '',
    type: 'other',
    jurisdiction: 'INT',
    actor: '',
    affected: [],
    vendors: ['kaspersky-lab'],
    occurred_on: '2025-02-03',
    effective_on: '',
    links: [],
    citations: [
      {
        source_id: '',
        url: 'https://search-test.example/article',
        title: 'Search test article',
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

describeEachDatabase('search on %s', (kind) => {
  let t: TestApp;
  let sourceIdsByTitle: Map<string, string>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const sources = (await t.db('sources').select('id', 'title')) as Array<{ id: number; title: string }>;
    sourceIdsByTitle = new Map(sources.map((s) => [s.title, String(s.id)]));
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  async function search(params: Record<string, string>) {
    const res = await request(t.app).get(searchPath(params));
    const page = parseHtml(res.text);
    return { res, page, results: resultsOf(page) };
  }

  /** The ids of the sources an event cites. */
  async function citedSourceIds(publicIds: string[]): Promise<Set<string>> {
    const rows = await t
      .db('citations')
      .join('events', 'events.id', 'citations.event_id')
      .whereIn('events.public_id', publicIds)
      .pluck('citations.source_id');
    return new Set(rows.map((id: number | string) => String(id)));
  }

  describe('finding demo records', () => {
    test('the empty search page shows the form and no results', async () => {
      const res = await request(t.app).get('/search');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(page('form[action="/search"]')).toHaveLength(1);
      expect(page('.search-results')).toHaveLength(0);
      expect(textOf(page, 'html')).not.toContain('Nothing found');
    });

    test('a word in an event title finds the event first, with the word marked in its snippet', async () => {
      const { res, page, results } = await search({ q: 'Europol' });
      expect(res.status).toBe(200);
      expect(results.length).toBeGreaterThan(0);
      // The title hit ranks above the article that only mentions Europol in its text.
      expect(results[0]).toMatchObject({
        kind: 'event',
        id: SUSPENSION,
        title: 'Kaspersky freezes its work with Europol and No More Ransom',
      });
      expect(results[0].marks.map((m) => m.toLowerCase())).toContain('europol');
      expect(sourceTitlesOf(results)).toContain(SEED_ARTICLE_TITLE);
      const article = results.find((r) => r.title === SEED_ARTICLE_TITLE) as SearchResult;
      expect(article.marks.map((m) => m.toLowerCase())).toContain('europol');
      expect(results.findIndex((r) => r.title === SEED_ARTICLE_TITLE)).toBeGreaterThan(0);
      expect(textOf(page)).toMatch(/\d+ results?, best first/);
    });

    test('a word found only in a citation quote finds the event that quotes it, and the source it comes from', async () => {
      // "agreed" is in the resolution's quote from the seed article, not in any event title or summary.
      const { results } = await search({ q: 'agreed' });
      expect(eventIdsOf(results)).toEqual([RESOLUTION]);
      expect(sourceTitlesOf(results)).toEqual([SEED_ARTICLE_TITLE]);
      for (const r of results) expect(r.marks.map((m) => m.toLowerCase())).toContain('agreed');
    });

    test('"cybercrime" finds the statement that quotes it and the seed article whose title and text contain it', async () => {
      const { results } = await search({ q: 'cybercrime' });
      expect(eventIdsOf(results)).toEqual([REJECTION]);
      expect(sourceTitlesOf(results)).toEqual([SEED_ARTICLE_TITLE]);
      const article = results.find((r) => r.kind === 'source') as SearchResult;
      expect(article.id).toBe(sourceIdsByTitle.get(SEED_ARTICLE_TITLE));
      expect(article.badge).toBe('Source');
      expect(article.marks.some((m) => m.toLowerCase().startsWith('cybercrime'))).toBe(true);
    });

    test('a word of a summary finds the event', async () => {
      // "photography" is only in the GSA event's summary.
      const { results } = await search({ q: 'photography' });
      expect(eventIdsOf(results)).toEqual([GSA]);
      expect(sourceTitlesOf(results)).toEqual([]);
      expect(results[0].marks.map((m) => m.toLowerCase())).toContain('photography');
      expect(results[0].badge).toBe('Procurement exclusion');
    });

    test('a word of a source title finds the source', async () => {
      const { results } = await search({ q: 'Whitehall' });
      expect(results.map((r) => r.kind)).toEqual(['source']);
      expect(results[0].title).toBe('UK cyber security chief tells Whitehall to avoid Russia-linked anti-virus firms');
      expect(results[0].marks).toContain('Whitehall');
    });

    test('a publisher name finds its sources', async () => {
      const { results } = await search({ q: 'Computer&Automation' });
      expect(results.map((r) => r.title)).toEqual(['BSI warns against using Kaspersky anti-virus protection']);
      expect(results[0].kind).toBe('source');
      expect(results[0].marks).toContain('Automation');
    });

    test('a word of a source’s stored text finds the source', async () => {
      // "conned" is only in the stored text of the seed article.
      const { results } = await search({ q: 'conned' });
      const article = results.find((r) => r.kind === 'source' && r.title === SEED_ARTICLE_TITLE);
      expect(article).toBeDefined();
      expect(article?.marks).toContain('conned');
    });

    test('a source found by its stored text is listed without reading that text (up to 100,000 characters)', async () => {
      const { results } = await runSearch(t.db, { q: 'conned' });
      const hit = results.find((r) => r.kind === 'source');
      expect(hit?.kind === 'source' && hit.source.title).toBe(SEED_ARTICLE_TITLE);
      expect(hit?.kind === 'source' ? hit.source : null).not.toHaveProperty('body');
    });

    test('a whole word finds the records containing it, not every word that starts with the same letters', async () => {
      // Only the seed article contains "conned"; "contracts", "confirmed" and "considered" are other words.
      const { results } = await search({ q: 'conned' });
      expect(results.map((r) => [r.kind, r.title])).toEqual([['source', SEED_ARTICLE_TITLE]]);
      for (const r of results) for (const m of r.marks) expect(m.toLowerCase()).toBe('conned');
    });

    test('a last word still being typed finds the words it starts', async () => {
      const { results } = await search({ q: 'Kaspersky Europ' });
      expect(eventIdsOf(results)).toContain(SUSPENSION);
      expect((await search({ q: 'Europ' })).results.length).toBeGreaterThan(0);
    });

    test('every word of the query must match', async () => {
      const both = await search({ q: 'Europol ransom' });
      expect(eventIdsOf(both.results)).toContain(SUSPENSION);
      const none = await search({ q: 'Europol photography' });
      expect(none.results).toEqual([]);
      expect(textOf(none.page)).toContain('Nothing found for europol photography');
    });

    test('a word that is nowhere gives a clear "Nothing found"', async () => {
      const { res, page, results } = await search({ q: 'zyzzyvaqq' });
      expect(res.status).toBe(200);
      expect(results).toEqual([]);
      expect(textOf(page)).toContain('Nothing found for zyzzyvaqq');
    });

    test('each result links to its event or source page, which exists', async () => {
      const { results } = await search({ q: 'Kaspersky' });
      expect(results.length).toBeGreaterThan(5);
      for (const r of results.slice(0, 6)) {
        const res = await request(t.app).get(r.kind === 'event' ? `/events/${encodeURIComponent(r.id)}` : `/sources/${r.id}`);
        expect(res.status).toBe(200);
        expect(textOf(parseHtml(res.text), 'h1')).toBe(r.title);
      }
    });
  });

  describe('filters', () => {
    test('the vendor filter keeps the events of that vendor and the sources they cite', async () => {
      const all = await search({ q: 'Kaspersky' });
      expect(eventIdsOf(all.results).length).toBeGreaterThan(3);
      const { res, page, results } = await search({ q: 'Kaspersky', vendor: 'china-telecom-americas' });
      expect(res.status).toBe(200);
      expect(eventIdsOf(results)).toEqual([FCC]);
      const allowed = await citedSourceIds([FCC]);
      const sources = results.filter((r) => r.kind === 'source');
      expect(sources.length).toBeGreaterThan(0);
      for (const s of sources) expect(allowed.has(s.id)).toBe(true);
      expect(attrsOf(page, 'option[selected]', 'value')).toContain('china-telecom-americas');
    });

    test('the type filter keeps the events of that type and the sources they cite', async () => {
      const { results } = await search({ q: 'Kaspersky', type: 'ban' });
      expect(new Set(eventIdsOf(results))).toEqual(new Set([NDAA, COMMERCE]));
      for (const r of results.filter((x) => x.kind === 'event')) expect(r.badge).toBe('Ban');
      const allowed = await citedSourceIds([NDAA, COMMERCE]);
      for (const s of results.filter((r) => r.kind === 'source')) expect(allowed.has(s.id)).toBe(true);
    });

    test('vendor and type together narrow further, and a filter without matches says so', async () => {
      const both = await search({ q: 'Kaspersky', vendor: 'kaspersky-lab', type: 'procurement-exclusion' });
      expect(new Set(eventIdsOf(both.results))).toEqual(new Set([GSA, FCC]));
      const none = await search({ q: 'Europol', type: 'ban' });
      expect(none.res.status).toBe(200);
      expect(none.results).toEqual([]);
      expect(textOf(none.page)).toContain('Nothing found for europol with these filters');
    });

    test('an unknown type is a 400 that names the type parameter', async () => {
      const res = await request(t.app).get(searchPath({ q: 'Kaspersky', type: 'bannned' }));
      expect(res.status).toBe(400);
      const page = parseHtml(res.text);
      expect(textsOf(page, 'code')).toContain('type');
      expect(textOf(page)).toContain('unknown event type "bannned"');
    });

    test('an unknown vendor is a 400 that names the vendor parameter', async () => {
      const res = await request(t.app).get(searchPath({ q: 'Kaspersky', vendor: 'no-such-vendor' }));
      expect(res.status).toBe(400);
      const page = parseHtml(res.text);
      expect(textsOf(page, 'code')).toContain('vendor');
      expect(textOf(page)).toContain('no-such-vendor');
    });

    test('a parameter given twice is a 400 that names it', async () => {
      const res = await request(t.app).get('/search?q=Europol&q=Kaspersky');
      expect(res.status).toBe(400);
      expect(textsOf(parseHtml(res.text), 'code')).toContain('q');
    });
  });

  describe('hostile and odd queries', () => {
    const LONG_WORD = 'x'.repeat(10_000);
    const LONG_QUERY = 'Europol '.repeat(1250);
    const hostile: Array<[string, string]> = [
      ['a double-quoted phrase', '"Kaspersky Lab"'],
      ['an unbalanced double quote', '"Europol'],
      ['a lone double quote', '"'],
      ['a single quote', "Kaspersky's"],
      ['AND', 'Kaspersky AND Europol'],
      ['OR', 'Europol OR ransom'],
      ['OR alone', 'OR'],
      ['a star', 'Euro*'],
      ['a lone star', '*'],
      ['a minus', '-Europol'],
      ['a lone minus', '-'],
      ['NEAR(', 'NEAR(Kaspersky Europol'],
      ['unbalanced parentheses', '((Europol'],
      ['a closing parenthesis', 'Europol)'],
      ['a column filter', 'title:Europol'],
      ['tsquery operators', 'Europol & !ransom | <-> kaspersky:*'],
      ['a caret and braces', '^Europol {kaspersky}'],
      ['a backslash', 'Europol\\'],
      ['SQL', "'; drop table events; --"],
      ['emoji', '🦠 Europol 🔒'],
      ['emoji only', '🦠🔒'],
      ['a percent sign', '100% Europol'],
      ['a lone percent sign', '%'],
      ['an underscore', 'Europol_'],
      ['a script tag', '<script>alert(1)</script>'],
      ['accented letters', 'Ünïcödé Europol'],
      ['a 10,000-character word', LONG_WORD],
      ['a 10,000-character query', LONG_QUERY],
    ];

    test.each(hostile)('%s: 200 with results or "Nothing found", never an error page', async (_name, q) => {
      const { res, page, results } = await search({ q });
      expect(res.status).toBe(200);
      const found = results.length > 0;
      expect(found || textOf(page).includes('Nothing found')).toBe(true);
      expect(textOf(page, 'html')).not.toContain('Server error');
    });

    test('queries with real words among the operators still find the record', async () => {
      for (const q of ['"Kaspersky" Europol', '((Europol', '-Europol', 'Europol)', '🦠 Europol 🔒', 'Europol:']) {
        const { results } = await search({ q });
        expect({ q, found: eventIdsOf(results).includes(SUSPENSION) }).toEqual({ q, found: true });
      }
    });

    test('a NUL character is refused with a 400 naming q (the app refuses NUL in every parameter), never a 500', async () => {
      for (const q of ['Europol\u0000', '\u0000']) {
        const res = await request(t.app).get(searchPath({ q }));
        expect(res.status).toBe(400);
        const page = parseHtml(res.text);
        expect(textsOf(page, 'code')).toContain('q');
        expect(textOf(page)).toContain('NUL character');
      }
    });

    test('a query without letters or digits explains why nothing was searched', async () => {
      for (const q of ['*', '"', '🦠🔒', '%', '-', '(((']) {
        const { page } = await search({ q });
        expect(textOf(page)).toContain('Nothing found: the query has no letters or digits to look for.');
      }
    });

    test('the query is escaped in the page, never run as markup', async () => {
      const q = '<script>alert(1)</script> "quoted" & \'single\'';
      const res = await request(t.app).get(searchPath({ q }));
      expect(res.status).toBe(200);
      // Escaping is a property of the raw bytes: the markup must not be there as markup.
      expect(res.text).not.toContain('<script>alert(1)</script>');
      // Read back through a parser, the field and the title hold the query exactly as typed: a quote
      // left unescaped would end the attribute early, so the round trip shows the escaping is right.
      const page = parseHtml(res.text);
      expect(fieldValue(page, 'q')).toBe(q);
      expect(textOf(page, 'title')).toBe(`Search: ${q} · Vendor Policy Tracker`);
    });

    test('a very long query is cut, with a notice, and still searched', async () => {
      const { res, page, results } = await search({ q: LONG_QUERY });
      expect(res.status).toBe(200);
      expect(textOf(page)).toContain('Only the first words of a long query were used.');
      expect(eventIdsOf(results)).toContain(SUSPENSION);
    });

    test('a query of many different words is cut to its first words, with a notice', async () => {
      const q = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
      const { res, page, results } = await search({ q });
      expect(res.status).toBe(200);
      expect(results).toEqual([]);
      expect(textOf(page)).toContain('Only the first words of a long query were used.');
    });
  });

  describe('keeping the index in step with edits', () => {
    test('an event edited through the form is found by its new words and no longer by the old ones', async () => {
      const before = await search({ q: 'photography' });
      expect(eventIdsOf(before.results)).toEqual([GSA]);
      const gsa = await getEvent(t.db, GSA);
      const form = eventFormValues(gsa);
      form.summary = 'The schedules of the General Services Administration no longer list the wombatoid vendor.';
      form.citations[0].quote = 'quoted xylophonist sentence';
      await updateEvent(t.db, EDITOR, GSA, gsa.version, parseEventForm(form));

      expect(eventIdsOf((await search({ q: 'wombatoid' })).results)).toEqual([GSA]);
      expect(eventIdsOf((await search({ q: 'xylophonist' })).results)).toEqual([GSA]);
      const after = await search({ q: 'photography' });
      expect(after.results).toEqual([]);
      expect(textOf(after.page)).toContain('Nothing found');
    });

    test('an event edited through the HTTP form is found by its new title', async () => {
      const user = { email: 'search-analyst@example.org', password: 'a long enough password 42' };
      await createTestUser(t.db, { ...user, display_name: 'Search Analyst', role: 'analyst' });
      const browser = await signedInBrowser(t.app, user);
      const ndaa = await getEvent(t.db, NDAA);
      const form = eventFormValues(ndaa);
      const res = await browser.post(`/events/${NDAA}`, {
        title: 'NDAA section 1634 quagmirish ban',
        summary: form.summary,
        type: form.type,
        jurisdiction: form.jurisdiction,
        actor: form.actor,
        vendors: form.vendors,
        occurred_on: form.occurred_on,
        effective_on: form.effective_on,
        citation_source_id: form.citations.map((c) => c.source_id),
        citation_quote: form.citations.map((c) => c.quote),
        citation_locator: form.citations.map((c) => c.locator),
        version: String(ndaa.version),
      });
      expect(res.status).toBe(303);
      const { results } = await search({ q: 'quagmirish' });
      expect(eventIdsOf(results)).toEqual([NDAA]);
      expect(results[0].title).toBe('NDAA section 1634 quagmirish ban');
    });

    test('a source edited through its form is found by its new title and no longer by the old one', async () => {
      const id = sourceIdsByTitle.get('UK cyber security chief tells Whitehall to avoid Russia-linked anti-virus firms') as string;
      const source = await getSource(t.db, id);
      await updateSource(
        t.db,
        EDITOR,
        id,
        source.version,
        parseForm(SourceInput, {
          url: source.url ?? '',
          title: 'UK cyber security chief tells departments to avoid marmaladish anti-virus firms',
          publisher: source.publisher,
          author: source.author,
          published_on: source.publishedOn ?? '',
          archived_url: source.archivedUrl ?? '',
          language: source.language ?? '',
          reliability: source.reliability ?? '',
          body: source.body ?? '',
        }),
      );
      const found = await search({ q: 'marmaladish' });
      expect(found.results.map((r) => [r.kind, r.id])).toEqual([['source', id]]);
      expect((await search({ q: 'Whitehall' })).results).toEqual([]);
    });

    test('a new event is findable at once; deleted it disappears; restored it comes back', async () => {
      const publicId = await createEvent(
        t.db,
        EDITOR,
        parseEventForm(newEventForm({ title: 'Platypusian agency reviews Kaspersky', summary: 'A made-up review for the search test.' })),
      );
      let found = await search({ q: 'platypusian' });
      expect(eventIdsOf(found.results)).toEqual([publicId]);
      // The new source typed in the event form is indexed too.
      expect(sourceTitlesOf((await search({ q: 'Search test article' })).results)).toEqual(['Search test article']);

      await deleteEvent(t.db, EDITOR, publicId);
      found = await search({ q: 'platypusian' });
      expect(found.results).toEqual([]);
      expect(textOf(found.page)).toContain('Nothing found');

      await restoreEvent(t.db, EDITOR, publicId);
      found = await search({ q: 'platypusian' });
      expect(eventIdsOf(found.results)).toEqual([publicId]);
    });
  });
});
