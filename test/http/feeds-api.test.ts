import request from 'supertest';
import { createEvent, deleteEvent, updateEvent } from '../../src/events/editing';
import { eventFormValues } from '../../src/events/routes';
import { type EventFormValues, parseEventForm } from '../../src/events/schema';
import { getEvent } from '../../src/events/service';
import type { Editor } from '../../src/history/repo';
import { eventIdsOf, parseHtml } from '../helpers/dom';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { demoEvents } from '../../seeds';
import { COMMERCE, FCC, KASPERSKY_TIMELINE, NDAA, REJECTION, RESOLUTION, SUSPENSION } from './support';

jest.setTimeout(60000);

const EDITOR: Editor = { id: null, displayName: 'Feed test' };
const ATOM_NS = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SEED_ARTICLE_TITLE = 'Kaspersky pulls a pause button on Europe’s Cybercrime project';

// ---- a small, strict XML reader ---------------------------------------------

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, entities decoded (text of child elements excluded). */
  text: string;
}

class XmlError extends Error {}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Parses a whole XML document and throws XmlError unless it is well-formed: one root
 * element, properly nested and matching tags, quoted and unique attributes, only the five
 * predefined entities or character references, no raw `<` or `&` in text, no characters
 * XML forbids, nothing but white space, comments and processing instructions around the root.
 * No DTDs (an Atom feed has none).
 */
function parseXml(xml: string): XmlElement {
  let pos = 0;
  const fail = (message: string): never => {
    throw new XmlError(`${message} at offset ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
  };
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(xml);
  if (forbidden) {
    pos = forbidden.index;
    fail('a character XML forbids');
  }
  const startsWith = (s: string) => xml.startsWith(s, pos);
  const skipSpace = () => {
    while (pos < xml.length && ' \t\r\n'.includes(xml[pos])) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(xml);
    if (!m) return fail('a name was expected');
    pos += m[0].length;
    return m[0];
  };
  const decode = (raw: string, where: string): string =>
    raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) throw new XmlError(`a bare & in ${where}: ${JSON.stringify(raw.slice(0, 80))}`);
      if (ref in PREDEFINED) return PREDEFINED[ref];
      const num = /^#(\d+)$/.exec(ref) ?? null;
      const hex = /^#x([0-9a-fA-F]+)$/.exec(ref) ?? null;
      const code = num ? Number(num[1]) : hex ? parseInt(hex[1], 16) : NaN;
      if (Number.isNaN(code) || code > 0x10ffff || (code < 0x20 && ![9, 10, 13].includes(code)))
        throw new XmlError(`an unknown entity ${whole} in ${where}`);
      return String.fromCodePoint(code);
    });
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (startsWith('<!--')) {
        const end = xml.indexOf('-->', pos + 4);
        if (end < 0) fail('an unterminated comment');
        if (xml.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
        pos = end + 3;
      } else if (startsWith('<?')) {
        const end = xml.indexOf('?>', pos);
        if (end < 0) fail('an unterminated processing instruction');
        if (/^<\?xml[\s?]/i.test(xml.slice(pos, pos + 6))) fail('an XML declaration that is not at the very start');
        pos = end + 2;
      } else if (startsWith('<!DOCTYPE')) {
        fail('a DOCTYPE');
      } else {
        return;
      }
    }
  };
  const readElement = (): XmlElement => {
    if (!startsWith('<')) fail('an element was expected');
    pos++;
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (startsWith('/>')) {
        pos += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (startsWith('>')) {
        pos++;
        break;
      }
      if (pos === before) fail('white space was expected before an attribute');
      const attr = readName();
      skipSpace();
      if (!startsWith('=')) fail(`"=" was expected after attribute ${attr}`);
      pos++;
      skipSpace();
      const quote = xml[pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attr} is not quoted`);
      const end = xml.indexOf(quote, pos + 1);
      if (end < 0) fail(`attribute ${attr} is not closed`);
      const raw = xml.slice(pos + 1, end);
      if (raw.includes('<')) fail(`a raw < in attribute ${attr}`);
      if (attr in attrs) fail(`attribute ${attr} appears twice`);
      attrs[attr] = decode(raw, `attribute ${attr}`);
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (lt < 0) fail(`element <${name}> is not closed`);
      const raw = xml.slice(pos, lt);
      if (raw.includes(']]>')) fail('"]]>" in text');
      text += decode(raw, `<${name}>`);
      pos = lt;
      if (startsWith('</')) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (!startsWith('>')) fail(`">" was expected to close </${name}`);
        pos++;
        return { name, attrs, children, text };
      }
      if (startsWith('<![CDATA[')) {
        const end = xml.indexOf(']]>', pos);
        if (end < 0) fail('an unterminated CDATA section');
        text += xml.slice(pos + 9, end);
        pos = end + 3;
      } else if (startsWith('<!--') || startsWith('<?')) {
        skipMisc();
      } else {
        children.push(readElement());
      }
    }
  };

  if (xml.charCodeAt(0) === 0xfeff) pos = 1;
  if (startsWith('<?xml')) {
    const end = xml.indexOf('?>', pos);
    if (end < 0) fail('an unterminated XML declaration');
    const decl = xml.slice(pos, end + 2);
    if (!/^<\?xml\s+version="1\.[0-9]+"(\s+encoding="[A-Za-z][A-Za-z0-9._-]*")?(\s+standalone="(yes|no)")?\s*\?>$/.test(decl))
      fail('a malformed XML declaration');
    pos = end + 2;
  }
  skipMisc();
  const root = readElement();
  skipMisc();
  if (pos !== xml.length) fail('content after the root element');
  return root;
}

const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);

function onlyChild(el: XmlElement, name: string): XmlElement {
  const found = childrenNamed(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}> elements, expected exactly one`);
  return found[0];
}

function isRfc3339(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

interface FeedEntry {
  id: string;
  title: string;
  updated: string;
  published: string;
  alternate: string;
  categories: string[];
  summary: string;
}

/**
 * Checks an Atom 1.0 document (RFC 4287) and returns its entries: a <feed> root in the
 * Atom namespace with one id, title and updated and an author; each entry with exactly
 * one id, title and updated (RFC 3339), and one alternate link.
 */
function readAtom(xml: string): { feed: XmlElement; entries: FeedEntry[] } {
  const feed = parseXml(xml);
  expect(feed.name).toBe('feed');
  expect(feed.attrs.xmlns).toBe(ATOM_NS);
  expect(onlyChild(feed, 'id').text).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/);
  expect(onlyChild(feed, 'title').text.trim()).not.toBe('');
  expect(isRfc3339(onlyChild(feed, 'updated').text)).toBe(true);
  expect(onlyChild(onlyChild(feed, 'author'), 'name').text.trim()).not.toBe('');
  const selfLinks = childrenNamed(feed, 'link').filter((l) => l.attrs.rel === 'self');
  expect(selfLinks).toHaveLength(1);
  const allowed = new Set([
    'id',
    'title',
    'updated',
    'link',
    'author',
    'generator',
    'entry',
    'subtitle',
    'category',
    'contributor',
    'icon',
    'logo',
    'rights',
  ]);
  for (const c of feed.children) expect(allowed.has(c.name)).toBe(true);

  const entries = childrenNamed(feed, 'entry').map((entry) => {
    const id = onlyChild(entry, 'id').text;
    expect(id).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/);
    const updated = onlyChild(entry, 'updated').text;
    expect(isRfc3339(updated)).toBe(true);
    const published = childrenNamed(entry, 'published').map((p) => p.text);
    expect(published.length).toBeLessThanOrEqual(1);
    for (const p of published) expect(isRfc3339(p)).toBe(true);
    const alternates = childrenNamed(entry, 'link').filter((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
    expect(alternates).toHaveLength(1);
    const title = onlyChild(entry, 'title');
    expect(title.attrs.type ?? 'text').toBe('text');
    return {
      id,
      title: title.text,
      updated,
      published: published[0] ?? '',
      alternate: alternates[0].attrs.href,
      categories: childrenNamed(entry, 'category').map((c) => c.attrs.term),
      summary: childrenNamed(entry, 'summary')[0]?.text ?? '',
    };
  });
  return { feed, entries };
}

function newEventForm(values: Partial<EventFormValues> & { title: string }): EventFormValues {
  return {
    summary: 'Made up for the feed test.',
    type: 'other',
    jurisdiction: 'INT',
    actor: '',
    affected: [],
    vendors: ['kaspersky-lab'],
    occurred_on: '2025-03-04',
    effective_on: '',
    links: [],
    citations: [
      {
        source_id: '',
        url: 'https://feed-test.example/article',
        title: 'Feed test article',
        publisher: 'Feed & Co',
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

describe('the XML reader used by these tests', () => {
  test('accepts a well-formed document and decodes entities', () => {
    const doc = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<a x="1 &amp; 2"><b>&lt;&#65;&#x42;&quot;</b><c/><!-- note --></a>\n');
    expect(doc.attrs.x).toBe('1 & 2');
    expect(doc.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(doc.children[0].text).toBe('<AB"');
  });

  test.each([
    ['a bare ampersand', '<a>Tom & Jerry</a>'],
    ['a raw < in text', '<a>1 < 2</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['two roots', '<a/><b/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['a raw < in an attribute', '<a x="<"/>'],
    ['a control character', '<a>\u0001</a>'],
    ['text after the root', '<a/>trailing'],
    ['a late XML declaration', '<a/><?xml version="1.0"?>'],
  ])('refuses %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
  });
});

describeEachDatabase('Atom feeds on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const getFeed = (path: string, host?: string) => {
    const req = request(t.app).get(path);
    if (host) req.set('Host', host);
    return req;
  };

  test.each(['/feed.atom', '/vendors/kaspersky-lab/feed.atom'])(
    '%s is served as application/atom+xml and is well-formed Atom 1.0',
    async (path) => {
      const res = await getFeed(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      const { feed, entries } = readAtom(res.text);
      const expectedIds: readonly string[] = path === '/feed.atom' ? demoEvents.map((e) => e.publicId) : KASPERSKY_TIMELINE;
      expect(entries.map((e) => e.id).sort()).toEqual(expectedIds.map((id) => `tag:vendor-policy-tracker,2026:event/${id}`).sort());
      for (const e of entries) {
        const publicId = e.id.slice(e.id.lastIndexOf('/') + 1);
        expect(new URL(e.alternate).pathname).toBe(`/events/${publicId}`);
      }
      // The feed's updated is its newest entry's, and entries come newest change first.
      const updates = entries.map((e) => e.updated);
      expect([...updates].sort().reverse()).toEqual(updates);
      expect(onlyChild(feed, 'updated').text).toBe(updates[0]);
      const self = childrenNamed(feed, 'link').find((l) => l.attrs.rel === 'self') as XmlElement;
      expect(new URL(self.attrs.href).pathname).toBe(path);
    },
  );

  test('an entry carries the event’s title, vendor and type categories, and a summary naming its sources', async () => {
    const { entries } = readAtom((await getFeed('/feed.atom')).text);
    const fcc = entries.find((e) => e.id.endsWith(`/${FCC}`)) as FeedEntry;
    expect(fcc.title).toBe('FCC adds Kaspersky and two Chinese carriers to its Covered List');
    expect(fcc.categories.sort()).toEqual(
      ['china-mobile-international-usa', 'china-telecom-americas', 'kaspersky-lab', 'procurement-exclusion'].sort(),
    );
    expect(fcc.summary).toContain('chjunkong.com: US FCC puts Kaspersky on its national-security threat list');
  });

  test('a vendor’s feed holds only that vendor’s events', async () => {
    const res = await getFeed('/vendors/china-telecom-americas/feed.atom');
    const { feed, entries } = readAtom(res.text);
    expect(entries.map((e) => e.id)).toEqual([`tag:vendor-policy-tracker,2026:event/${FCC}`]);
    expect(onlyChild(feed, 'id').text).toBe('tag:vendor-policy-tracker,2026:feed/vendor/china-telecom-americas');
    expect(onlyChild(feed, 'title').text).toContain('China Telecom (Americas) Corp');
  });

  test('entry ids are the same between requests and whatever the host; they never contain the host', async () => {
    const first = readAtom((await getFeed('/feed.atom', 'feeds.example.org')).text);
    const second = readAtom((await getFeed('/feed.atom', 'tracker.example.net:8080')).text);
    expect(second.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
    expect(onlyChild(second.feed, 'id').text).toBe(onlyChild(first.feed, 'id').text);
    for (const e of [...first.entries, ...second.entries]) {
      expect(e.id).not.toContain('example.org');
      expect(e.id).not.toContain('example.net');
      expect(e.id).not.toContain('127.0.0.1');
    }
    // Links, unlike ids, point at the host that served the feed.
    expect(new URL(first.entries[0].alternate).host).toBe('feeds.example.org');
    expect(new URL(second.entries[0].alternate).host).toBe('tracker.example.net:8080');
  });

  test('a vendor without events has a well-formed feed with no entries', async () => {
    await t.db('vendors').insert({
      slug: 'quiet-vendor',
      name: 'Quiet <Vendor> & Co',
      aliases: '',
      description: '',
      version: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    const res = await getFeed('/vendors/quiet-vendor/feed.atom');
    expect(res.status).toBe(200);
    const { feed, entries } = readAtom(res.text);
    expect(entries).toEqual([]);
    expect(onlyChild(feed, 'title').text).toBe('Quiet <Vendor> & Co: new and changed events');
  });

  test('an unknown vendor’s feed is a 404', async () => {
    const res = await getFeed('/vendors/no-such-vendor/feed.atom');
    expect(res.status).toBe(404);
  });

  test('a title with <, & and " is escaped and reads back exactly', async () => {
    const title = 'Tom & Jerry <script>alert("x")</script> say \'hi\' > 1';
    const publicId = await createEvent(t.db, EDITOR, parseEventForm(newEventForm({ title, summary: 'A < B && C > "D"' })));
    const res = await getFeed('/vendors/kaspersky-lab/feed.atom');
    // Escaping, so on the bytes: no tag from the title in the XML.
    expect(res.text).not.toContain('<script>');
    const { entries } = readAtom(res.text);
    // The newest change comes first.
    expect(entries[0].id).toBe(`tag:vendor-policy-tracker,2026:event/${publicId}`);
    expect(entries[0].title).toBe(title);
    expect(entries[0].summary).toContain('A < B && C > "D"');
    expect(entries[0].summary).toContain('Feed & Co: Feed test article');
  });

  test('an edited event moves to the top of the feed with its new title', async () => {
    const event = await getEvent(t.db, NDAA);
    await updateEvent(
      t.db,
      EDITOR,
      NDAA,
      event.version,
      parseEventForm({
        ...eventFormValues(event),
        title: 'NDAA FY2018 section 1634 (edited for the feed test)',
      }),
    );
    const { entries } = readAtom((await getFeed('/feed.atom')).text);
    expect(entries[0]).toMatchObject({
      id: `tag:vendor-policy-tracker,2026:event/${NDAA}`,
      title: 'NDAA FY2018 section 1634 (edited for the feed test)',
    });
    expect(entries.filter((e) => e.id.endsWith(`/${NDAA}`))).toHaveLength(1);
  });

  test('a deleted event is not in the feeds', async () => {
    const publicId = await createEvent(
      t.db,
      EDITOR,
      parseEventForm(newEventForm({ title: 'Short-lived feed event', occurred_on: '2025-05-06' })),
    );
    const entryId = `tag:vendor-policy-tracker,2026:event/${publicId}`;
    expect(readAtom((await getFeed('/feed.atom')).text).entries.map((e) => e.id)).toContain(entryId);
    await deleteEvent(t.db, EDITOR, publicId);
    for (const path of ['/feed.atom', '/vendors/kaspersky-lab/feed.atom']) {
      expect(readAtom((await getFeed(path)).text).entries.map((e) => e.id)).not.toContain(entryId);
    }
  });
});

interface ApiEvent {
  id: string;
  [key: string]: unknown;
}

describeEachDatabase('JSON API on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const api = (path: string) => request(t.app).get(path);

  /** Follows next_cursor from the first page to the last; returns every page. */
  async function allPages(path: string): Promise<Array<{ events: ApiEvent[]; next_cursor: string | null }>> {
    const pages = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await api(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.next_cursor;
      if (cursor === null) return pages;
    }
    throw new Error('next_cursor never became null');
  }

  function expectBadParameter(res: request.Response, parameter: string) {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: 'bad_parameter', parameter });
    expect(res.body.error.message).toMatch(new RegExp(`^${parameter}: `));
  }

  function expectNotFound(res: request.Response) {
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('not_found');
    expect(typeof res.body.error.message).toBe('string');
  }

  test('/api/vendors lists every vendor with its event count and date span', async () => {
    const res = await api('/api/vendors');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.vendors.map((v: { slug: string }) => v.slug)).toEqual([
      'candiru',
      'china-mobile-international-usa',
      'china-telecom-americas',
      'coseinc',
      'dahua',
      'hikvision',
      'huawei',
      'hytera',
      'kaspersky-lab',
      'nso-group',
      'positive-technologies',
      'zte',
    ]);
    const bySlug = (slug: string) => res.body.vendors.find((v: { slug: string }) => v.slug === slug);
    const kaspersky = bySlug('kaspersky-lab');
    expect(Object.keys(kaspersky).sort()).toEqual(
      [
        'aliases',
        'country',
        'description',
        'event_count',
        'first_occurred',
        'last_occurred',
        'name',
        'slug',
        'updated_at',
        'website',
      ].sort(),
    );
    expect(kaspersky).toMatchObject({
      slug: 'kaspersky-lab',
      name: 'Kaspersky Lab',
      aliases: ['Kaspersky', 'AO Kaspersky Lab', 'Kaspersky Lab, Inc.'],
      country: 'RU',
      website: 'https://www.kaspersky.com/',
      event_count: 12,
      first_occurred: '2017-07-11',
      last_occurred: '2024-06-20',
    });
    expect(bySlug('china-telecom-americas')).toMatchObject({
      slug: 'china-telecom-americas',
      event_count: 1,
      first_occurred: '2022-03-25',
      last_occurred: '2022-03-25',
      country: null,
      website: null,
    });
  });

  test('limit=5 pages through all 12 events via next_cursor, in timeline order, without duplicates', async () => {
    const pages = await allPages('/api/vendors/kaspersky-lab/events?limit=5');
    expect(pages.map((p) => p.events.length)).toEqual([5, 5, 2]);
    expect(pages.map((p) => p.next_cursor === null)).toEqual([false, false, true]);
    const ids = pages.flatMap((p) => p.events.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...KASPERSKY_TIMELINE]);
    const timeline = await request(t.app).get('/vendors/kaspersky-lab');
    expect(ids).toEqual(eventIdsOf(parseHtml(timeline.text)));
  });

  test.each([1, 3, 4, 6, 11, 12, 13, 200])(
    'limit=%i gives the same events in the same order, the last page without a cursor',
    async (limit) => {
      const pages = await allPages(`/api/vendors/kaspersky-lab/events?limit=${limit}`);
      expect(pages.flatMap((p) => p.events.map((e) => e.id))).toEqual([...KASPERSKY_TIMELINE]);
      expect(pages).toHaveLength(Math.ceil(12 / limit));
      for (const p of pages.slice(0, -1)) expect(p.events).toHaveLength(limit);
    },
  );

  test('without a limit one page holds all 12 events', async () => {
    const res = await api('/api/vendors/kaspersky-lab/events');
    expect(res.body.vendor).toBe('kaspersky-lab');
    expect(res.body.events).toHaveLength(12);
    expect(res.body.next_cursor).toBeNull();
  });

  test('newest first (order=desc) pages through the events in reverse', async () => {
    const pages = await allPages('/api/vendors/kaspersky-lab/events?limit=5&order=desc');
    expect(pages.flatMap((p) => p.events.map((e) => e.id))).toEqual([...KASPERSKY_TIMELINE].reverse());
  });

  test('filters apply, and keep applying across pages', async () => {
    const bans = await allPages('/api/vendors/kaspersky-lab/events?type=ban&limit=1');
    expect(bans.map((p) => p.events.map((e) => e.id))).toEqual([[NDAA], [COMMERCE]]);
    for (const p of bans) for (const e of p.events) expect(e.type).toBe('ban');
    const june2018 = await allPages('/api/vendors/kaspersky-lab/events?from=2018-06&to=2018-06&limit=2');
    expect(june2018.flatMap((p) => p.events.map((e) => e.id))).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
    const us = await allPages('/api/vendors/kaspersky-lab/events?jurisdiction=us&limit=4');
    const usIds = us.flatMap((p) => p.events.map((e) => e.id));
    const usEvents: string[] = [KASPERSKY_TIMELINE[0], KASPERSKY_TIMELINE[1], NDAA, FCC, COMMERCE];
    expect(usIds).toEqual(usEvents);
    const other = await allPages('/api/vendors/china-telecom-americas/events');
    expect(other.flatMap((p) => p.events.map((e) => e.id))).toEqual([FCC]);
  });

  test.each([
    ['cursor', 'cursor=garbage'],
    ['cursor', `cursor=${Buffer.from('2018-01-01|abc').toString('base64url')}`],
    ['cursor', `cursor=${Buffer.from('not a date|12').toString('base64url')}`],
    ['cursor', 'cursor=%F0%9F%A6%A0'],
    ['limit', 'limit=0'],
    ['limit', 'limit=201'],
    ['limit', 'limit=-1'],
    ['limit', 'limit=abc'],
    ['limit', 'limit=5.5'],
    ['limit', 'limit=5&limit=6'],
    ['type', 'type=embargo'],
    ['jurisdiction', 'jurisdiction=XX'],
    ['from', 'from=2018-13'],
    ['order', 'order=sideways'],
  ])('a bad %s (%s) is a 400 JSON error naming the parameter', async (parameter, query) => {
    expectBadParameter(await api(`/api/vendors/kaspersky-lab/events?${query}`), parameter);
  });

  test('/api/events/:id has the event’s fields, its citations with quotes and its links both ways', async () => {
    const res = await api(`/api/events/${SUSPENSION}`);
    expect(res.status).toBe(200);
    const e = res.body.event;
    expect(Object.keys(e).sort()).toEqual(
      [
        'actor',
        'affected',
        'citations',
        'created_at',
        'date_precision',
        'effective_on',
        'id',
        'jurisdiction',
        'linked_from',
        'links',
        'occurred_on',
        'summary',
        'title',
        'type',
        'type_label',
        'updated_at',
        'vendors',
        'version',
      ].sort(),
    );
    expect(e).toMatchObject({
      id: SUSPENSION,
      title: 'Kaspersky freezes its work with Europol and No More Ransom',
      type: 'cooperation-suspended',
      type_label: 'Cooperation suspended',
      jurisdiction: 'EU',
      occurred_on: '2018-06-13',
      date_precision: 'day',
      effective_on: null,
      actor: { slug: 'kaspersky-lab', name: 'Kaspersky Lab', kind: 'vendor' },
      vendors: [{ slug: 'kaspersky-lab', name: 'Kaspersky Lab' }],
      links: [{ relation: 'responds-to', event_id: RESOLUTION }],
      linked_from: [],
      version: 1,
    });
    expect(e.affected.map((a: { slug: string }) => a.slug).sort()).toEqual(['europol', 'no-more-ransom']);
    expect(isRfc3339(e.created_at) && isRfc3339(e.updated_at)).toBe(true);
    expect(e.citations).toHaveLength(2);
    expect(e.citations[0].source).toMatchObject({ title: SEED_ARTICLE_TITLE, url: null, published_on: '2018-06' });
    expect(e.citations[0].source).not.toHaveProperty('body');
    expect(e.citations[0].quote).toContain('Europol will be stopped');
    expect(Object.keys(e.citations[0]).sort()).toEqual(['locator', 'quote', 'source']);

    const resolution = (await api(`/api/events/${RESOLUTION}`)).body.event;
    expect(resolution.linked_from.map((l: { event_id: string }) => l.event_id).sort()).toEqual([REJECTION, SUSPENSION].sort());
    const ndaa = (await api(`/api/events/${NDAA}`)).body.event;
    expect(ndaa).toMatchObject({ effective_on: '2018-10-01', type: 'ban', date_precision: 'day' });
    const monthOnly = (await api('/api/events/2024-09-apple-asks-to-drop-its-nso-suit')).body.event;
    expect(monthOnly).toMatchObject({ occurred_on: '2024-09', date_precision: 'month' });
  });

  test('/api/sources/:id has the source with its stored text and the events citing it, with their quotes', async () => {
    const row = await t.db('sources').where({ title: SEED_ARTICLE_TITLE }).first('id');
    const res = await api(`/api/sources/${row.id}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['cited_by', 'next_cursor', 'source']);
    expect(Object.keys(res.body.source).sort()).toEqual(
      ['archived_url', 'author', 'body', 'id', 'language', 'published_on', 'publisher', 'reliability', 'title', 'updated_at', 'url'].sort(),
    );
    expect(res.body.source).toMatchObject({
      id: Number(row.id),
      title: SEED_ARTICLE_TITLE,
      url: null,
      published_on: '2018-06',
      language: 'en',
    });
    expect(res.body.source.body).toContain('Kaspersky has halted work on No More Ransom project');
    expect(res.body.cited_by.map((c: { event_id: string }) => c.event_id)).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
    for (const c of res.body.cited_by) {
      expect(Object.keys(c).sort()).toEqual(['event_id', 'locator', 'quote']);
      expect(res.body.source.body.replace(/\s+/g, ' ')).toContain(c.quote);
    }
  });

  test('unknown ids are a 404 JSON error with code not_found', async () => {
    expectNotFound(await api('/api/events/no-such-event'));
    expectNotFound(await api('/api/sources/999999'));
    expectNotFound(await api('/api/sources/abc'));
    expectNotFound(await api('/api/sources/0'));
    expectNotFound(await api('/api/vendors/no-such-vendor/events'));
    expectNotFound(await api('/api/no-such-endpoint'));
  });

  test('a deleted event is gone from the API', async () => {
    const publicId = await createEvent(t.db, EDITOR, parseEventForm(newEventForm({ title: 'Short-lived API event' })));
    expect((await api(`/api/events/${publicId}`)).status).toBe(200);
    await deleteEvent(t.db, EDITOR, publicId);
    expectNotFound(await api(`/api/events/${publicId}`));
    const ids = (await allPages('/api/vendors/kaspersky-lab/events?limit=5')).flatMap((p) => p.events.map((e) => e.id));
    expect(ids).toEqual([...KASPERSKY_TIMELINE]);
  });
});
