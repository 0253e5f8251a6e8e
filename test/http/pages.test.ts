import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { eventCardOf, eventIdsOf, hrefsOf, linksOf, parseHtml, sectionOf, textOf, textsOf, type Page, type Scope } from '../helpers/dom';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { BSI, COMMERCE, DHS, DUTCH, FCC, GSA, KASPERSKY_TIMELINE, NDAA, REJECTION, RESOLUTION, SUSPENSION, SWISS_MOVE } from './support';

const SEED_ARTICLE_TITLE = 'Kaspersky pulls a pause button on Europe’s Cybercrime project';
const SEED_ARTICLE_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'kaspersky-pause-article.txt'), 'utf8');

/** The cells of the table row whose first cell links to the vendor, as text. */
function vendorRow(page: Page, slug: string): string[] {
  const row = page(`tr > td:first-child > a[href="/vendors/${slug}"]`).closest('tr');
  expect(row).toHaveLength(1);
  return textsOf(row, 'td');
}

/** The event ids a scope links to (`/events/ID`), in page order. */
function eventsLinked(scope: Scope): string[] {
  return hrefsOf(scope, 'a[href^="/events/"]').map((href) => decodeURIComponent(href.slice('/events/'.length)));
}

/** The related-event lines (`In response to: <a>…</a>`) within a scope: relation, address and title of the event. */
function relationsOf(scope: Scope): Array<{ relation: string; href: string; title: string }> {
  const items = textsOf(scope, '.event-links > li');
  const links = linksOf(scope, '.event-links > li > a:first-of-type');
  return items.map((item, i) => ({ relation: item.slice(0, item.indexOf(':')), href: links[i].href, title: links[i].text }));
}

describeEachDatabase('read-only pages on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const get = (url: string) => request(t.app).get(url);

  describe('GET /', () => {
    it('lists Kaspersky Lab with its number of events and the span of years', async () => {
      const res = await get('/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(vendorRow(parseHtml(res.text), 'kaspersky-lab')).toEqual(['Kaspersky Lab', 'Russia', '12', '2017–2024']);
    });

    it('lists the two carriers, each with the one FCC event', async () => {
      const page = parseHtml((await get('/')).text);
      for (const [slug, name] of [
        ['china-telecom-americas', 'China Telecom (Americas) Corp'],
        ['china-mobile-international-usa', 'China Mobile International USA Inc'],
      ]) {
        expect(vendorRow(page, slug)).toEqual([name, '—', '1', '2022']);
      }
    });

    it('shows the latest events, newest first, with date, type and vendors', async () => {
      const res = await get('/');
      const latest = sectionOf(parseHtml(res.text), 'Latest events');
      expect(eventsLinked(latest)).toEqual([
        '2025-10-17-court-bars-nso-from-targeting-whatsapp',
        '2025-10-nso-welcomes-reduced-damages',
        '2025-05-06-nso-to-appeal-whatsapp-verdict',
        '2025-05-06-jury-awards-whatsapp-damages-against-nso',
        '2024-12-20-court-finds-nso-liable-to-whatsapp',
        '2024-09-apple-asks-to-drop-its-nso-suit',
        COMMERCE,
        '2024-01-court-denies-nso-motion-to-dismiss-apple-suit',
      ]);
      const text = textOf(latest);
      expect(text).toContain('20 June 2024 Ban US Commerce Department bars Kaspersky from selling to US persons (Kaspersky Lab)');
      expect(text).toContain(
        'September 2024 Legal action Apple asks the court to drop its own suit against NSO Group (NSO Group Technologies Ltd)',
      );
    });
  });

  describe('GET /vendors', () => {
    it('lists every vendor with its event count and a link to its timeline', async () => {
      const res = await get('/vendors');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const text = textOf(page);
      expect(text).toContain(
        'Kaspersky Lab Anti-virus and cybersecurity software maker headquartered in Moscow. 12 events, 2017–2024 · Russia',
      );
      expect(text).toContain('China Telecom (Americas) Corp Named with Kaspersky on the FCC Covered List in March 2022. 1 event, 2022');
      expect(text).toContain(
        'China Mobile International USA Inc Named with Kaspersky on the FCC Covered List in March 2022. 1 event, 2022',
      );
      for (const slug of ['kaspersky-lab', 'china-telecom-americas', 'china-mobile-international-usa']) {
        expect(hrefsOf(page)).toContain(`/vendors/${slug}`);
      }
    });
  });

  describe('GET /vendors/kaspersky-lab', () => {
    let html: Page;
    beforeAll(async () => {
      const res = await get('/vendors/kaspersky-lab');
      expect(res.status).toBe(200);
      html = parseHtml(res.text);
    });
    const card = (id: string) => eventCardOf(html, id);

    it('shows the vendor, its aliases and its country', () => {
      const text = textOf(html);
      expect(text).toContain('Kaspersky Lab');
      // One alias holds a comma, so they are set apart by semicolons.
      expect(text).toContain('Also known as Kaspersky; AO Kaspersky Lab; Kaspersky Lab, Inc.');
      expect(text).toContain('Based in Russia.');
      expect(hrefsOf(html)).toContain('https://www.kaspersky.com/');
    });

    it('shows all 12 demo events, oldest first', () => {
      expect(eventIdsOf(html)).toEqual([...KASPERSKY_TIMELINE]);
      expect(textOf(html)).toContain('12 events.');
    });

    it('groups the events under a heading for each year', () => {
      const headings = html('h2[id^="y"]').toArray();
      const years = headings.map((h) => textOf(html(h)));
      expect(years).toEqual(['2017', '2018', '2022', '2024']);
      // Each heading is the anchor of its year (#y2017).
      expect(headings.map((h) => h.attribs.id)).toEqual(years.map((y) => `y${y}`));
      const byYear = (year: string) => eventIdsOf(sectionOf(html, year));
      expect(byYear('2017')).toEqual([GSA, DHS, KASPERSKY_TIMELINE[2], NDAA]);
      expect(byYear('2018')).toEqual([DUTCH, SWISS_MOVE, RESOLUTION, SUSPENSION, REJECTION]);
      expect(byYear('2022')).toEqual([BSI, FCC]);
      expect(byYear('2024')).toEqual([COMMERCE]);
    });

    it('shows each date at the precision it is known to', () => {
      const dateOf = (id: string) => {
        const time = card(id).node.find('time.event-date');
        return [time.attr('datetime'), textOf(time)];
      };
      expect(dateOf(RESOLUTION)).toEqual(['2018-06-13', '13 June 2018']);
      expect(dateOf(SWISS_MOVE)).toEqual(['2018-05-15', '15 May 2018']);
      expect(textsOf(card(GSA).node, 'time')).toContain('11 July 2017');
    });

    it('labels each event with its type and the body that acted', () => {
      const expectations: Array<[string, string, string]> = [
        [GSA, 'Procurement exclusion', 'General Services Administration'],
        [DHS, 'Removal order', 'Department of Homeland Security'],
        [NDAA, 'Ban', 'US Congress and President'],
        [SWISS_MOVE, 'Vendor measure', 'Kaspersky Lab'],
        [DUTCH, 'Removal order', 'Dutch Ministry of Justice and Security'],
        [RESOLUTION, 'Resolution', 'European Parliament'],
        [SUSPENSION, 'Cooperation suspended', 'Kaspersky Lab'],
        [REJECTION, 'Vendor statement', 'Kaspersky Lab'],
        [BSI, 'Advisory', 'Federal Office for Information Security (BSI)'],
        [FCC, 'Procurement exclusion', 'Federal Communications Commission'],
        [COMMERCE, 'Ban', 'Department of Commerce, Bureau of Industry and Security (BIS)'],
      ];
      for (const [id, label, actor] of expectations) {
        const c = card(id);
        expect(textsOf(c.node, 'span.badge[class*=" type-"]')).toEqual([label]);
        expect(c.text).toContain(`· by ${actor}`);
      }
      expect(card(NDAA).text).toContain('in force from 1 October 2018');
      expect(card(SUSPENSION).text).toContain('· affecting Europol, No More Ransom');
    });

    it('shows each source with its publisher, its title and a link out', () => {
      const gsa = card(GSA);
      expect(gsa.text).toContain('Sources (2)');
      expect(gsa.text).toContain('Engadget: US government drops Kaspersky from its approved vendor lists');
      expect(gsa.text).toContain('Dark Reading: US government limits purchases of Kaspersky Lab software');
      expect(hrefsOf(gsa.node)).toContain(
        'https://www.engadget.com/2017/07/12/us-government-removes-kaspersky-approved-vendors-cybersecurity/',
      );
      expect(gsa.text).toContain('↗ engadget.com');

      const bsi = card(BSI);
      expect(bsi.text).toContain('Computer&Automation: BSI warns against using Kaspersky anti-virus protection');

      // The stored article has no address, so it gets no link out.
      const rejection = card(REJECTION);
      expect(rejection.text).toContain(SEED_ARTICLE_TITLE);
      expect(rejection.node.find('.outbound')).toHaveLength(0);
    });

    it('links the suspension to the resolution it answers, and the resolution to its responses', () => {
      const suspension = card(SUSPENSION);
      expect(relationsOf(suspension.node)).toContainEqual({
        relation: 'In response to',
        href: `/events/${RESOLUTION}`,
        title: 'European Parliament resolution names Kaspersky software as malicious',
      });
      const resolution = relationsOf(card(RESOLUTION).node);
      expect(resolution).toContainEqual({
        relation: 'Responses',
        href: `/events/${SUSPENSION}`,
        title: 'Kaspersky freezes its work with Europol and No More Ransom',
      });
      expect(resolution).toContainEqual(expect.objectContaining({ relation: 'Responses', href: `/events/${REJECTION}` }));
    });

    it('offers the CSV of the same timeline', () => {
      expect(hrefsOf(html)).toContain('/vendors/kaspersky-lab/events.csv');
    });
  });

  describe('GET /events/:id', () => {
    it('shows the suspension with its facts, quotes, affected bodies and the event it answers', async () => {
      const res = await get(`/events/${SUSPENSION}`);
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const text = textOf(page);
      expect(text).toContain('Kaspersky freezes its work with Europol and No More Ransom');
      expect(text).toContain('Date 13 June 2018 (known to the day)');
      expect(text).toContain('Type Cooperation suspended');
      expect(text).toContain('Jurisdiction European Union (EU)');
      expect(text).toContain('Acting body Kaspersky Lab (Vendor)');
      expect(text).toContain('Affected Europol, No More Ransom');
      expect(linksOf(page)).toContainEqual({ href: '/actors/europol', text: 'Europol' });
      expect(linksOf(page)).toContainEqual({ href: '/actors/no-more-ransom', text: 'No More Ransom' });
      expect(textsOf(page, 'blockquote')).toContain(
        'cooperation with cyber-crime combating movements from Europe as well as Europol will be stopped till the company receives an official clarification from the parliament of Europe',
      );
      const related = sectionOf(page, 'Related events');
      expect(relationsOf(related)).toContainEqual({
        relation: 'In response to',
        href: `/events/${RESOLUTION}`,
        title: 'European Parliament resolution names Kaspersky software as malicious',
      });
      const sources = sectionOf(page, 'Sources');
      expect(textOf(sources)).toContain(SEED_ARTICLE_TITLE);
      expect(textOf(sources)).toContain('CSO Australia: EU Parliament backs recommending a ban on Kaspersky products');
    });

    it('shows the responses on the resolution it answered', async () => {
      const res = await get(`/events/${RESOLUTION}`);
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const related = relationsOf(sectionOf(page, 'Related events'));
      expect(related).toContainEqual({
        relation: 'Responses',
        href: `/events/${SUSPENSION}`,
        title: 'Kaspersky freezes its work with Europol and No More Ransom',
      });
      expect(related).toContainEqual(expect.objectContaining({ relation: 'Responses', href: `/events/${REJECTION}` }));
      expect(textOf(page)).toContain('Affected —');
    });

    it('shows when a law takes effect', async () => {
      const res = await get(`/events/${NDAA}`);
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(textOf(page)).toContain('In force from 1 October 2018');
      expect(textOf(page, 'html')).not.toContain('Related events');
    });

    it('shows a month-precision date as a month', async () => {
      const res = await get('/events/2024-09-apple-asks-to-drop-its-nso-suit');
      expect(textOf(parseHtml(res.text))).toContain('Date September 2024 (known to the month)');
    });
  });

  describe('GET /sources/:id', () => {
    it('shows the stored article, which has no address, with its full text and the events citing it', async () => {
      const row = await t.db('sources').whereNull('url').first('id');
      const res = await get(`/sources/${row.id}`);
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const text = textOf(page);
      expect(text).toContain(SEED_ARTICLE_TITLE);
      expect(text).toContain('Publisher Not known');
      expect(text).toContain('Published June 2018');
      expect(text).toContain('No web address is known; the text is stored below.');

      const stored = sectionOf(page, 'Stored text');
      const paragraphs = SEED_ARTICLE_TEXT.split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean);
      expect(paragraphs.length).toBeGreaterThan(5);
      // Each paragraph exactly as stored, its line breaks included, so no collapsing of white space here.
      const shown = stored
        .find('p')
        .toArray()
        .map((p) => page(p).text());
      expect(shown).toEqual(paragraphs);

      const citing = sectionOf(page, 'Events citing this source');
      expect(eventsLinked(citing)).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
      expect(textOf(citing)).toContain('this move by the parliament of Europe is calling for cybercrime');
    });

    it('shows a web source with its address as a link', async () => {
      const row = await t.db('sources').where({ publisher: 'Engadget' }).first('id', 'url');
      const res = await get(`/sources/${row.id}`);
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      const address = page('a').filter((_, a) => a.attribs.href === row.url && textOf(page(a)) === row.url);
      expect(address).toHaveLength(1);
      expect([address.attr('rel'), address.attr('target')]).toEqual(['noopener noreferrer', '_blank']);
      const citing = sectionOf(page, 'Events citing this source');
      expect(eventsLinked(citing)).toContain(GSA);
    });
  });

  describe('GET /actors/:slug', () => {
    it('shows what the European Parliament did', async () => {
      const res = await get('/actors/european-parliament');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(textOf(page)).toContain('European Parliament Legislature · European Union');
      expect(eventIdsOf(sectionOf(page, 'What it did'))).toEqual([RESOLUTION]);
      expect(eventIdsOf(sectionOf(page, 'What affected it'))).toEqual([]);
      expect(textOf(sectionOf(page, 'What affected it'))).toContain('No recorded event affected this body.');
    });

    it('shows Europol under what affected it', async () => {
      const res = await get('/actors/europol');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(eventIdsOf(sectionOf(page, 'What it did'))).toEqual([]);
      expect(textOf(sectionOf(page, 'What it did'))).toContain('No recorded event was taken by this body.');
      expect(eventIdsOf(sectionOf(page, 'What affected it'))).toEqual([SUSPENSION]);
    });

    it('shows everything Kaspersky Lab did itself', async () => {
      const res = await get('/actors/kaspersky-lab');
      expect(eventIdsOf(sectionOf(parseHtml(res.text), 'What it did'))).toEqual([SWISS_MOVE, SUSPENSION, REJECTION]);
    });
  });

  it('GET /healthz answers 200 with JSON when the database is up', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok', database: 'up', schema: 'current' });
  });

  describe('unknown addresses', () => {
    it.each([
      ['/vendors/no-such-vendor'],
      ['/vendors/no-such-vendor/events.csv'],
      ['/events/no-such-event'],
      ['/events/1'],
      ['/sources/999999'],
      ['/sources/0'],
      ['/sources/abc'],
      ['/sources/1.5'],
      ['/sources/-1'],
      ['/sources/99999999999999999999'],
      ['/actors/nobody'],
      ['/no/such/page'],
      // A NUL byte is not a character PostgreSQL can compare; it must still be a plain 404.
      ['/vendors/%00'],
      ['/vendors/%00/events.csv'],
      ['/events/%00'],
      ['/actors/a%00b'],
      ['/sources/%00'],
    ])('%s is a 404 page', async (url) => {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(textOf(parseHtml(res.text))).toContain('Not found (404)');
    });

    it('does not echo an unknown slug as HTML', async () => {
      const res = await get('/vendors/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(res.status).toBe(404);
      // Escaping is a property of the raw bytes: the slug's markup is there only in its escaped form.
      expect(res.text).not.toMatch(/<script>alert/i);
      expect(res.text).toContain('&lt;script&gt;');
      // The page's own scripts are external files; the slug's markup must not be among them.
      const page = parseHtml(res.text);
      expect(
        page('script')
          .toArray()
          .map((s) => [s.attribs.src, 'defer' in s.attribs]),
      ).toEqual([
        ['/assets/forms.js', true],
        ['/assets/regions.js', true],
      ]);
    });
  });

  describe('an event concerning several vendors', () => {
    it.each([['kaspersky-lab'], ['china-telecom-americas'], ['china-mobile-international-usa']])(
      'the FCC Covered List event is on the timeline of %s',
      async (slug) => {
        const res = await get(`/vendors/${slug}`);
        expect(res.status).toBe(200);
        const ids = eventIdsOf(parseHtml(res.text));
        expect(ids).toContain(FCC);
        if (slug !== 'kaspersky-lab') expect(ids).toEqual([FCC]);
      },
    );

    it('the FCC event page names all three vendors', async () => {
      const res = await get(`/events/${FCC}`);
      expect(textOf(parseHtml(res.text))).toContain(
        'Vendors China Mobile International USA Inc, China Telecom (Americas) Corp, Kaspersky Lab',
      );
    });
  });
});
