import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import {
  BSI,
  COMMERCE,
  DHS,
  DUTCH,
  FCC,
  GSA,
  KASPERSKY_TIMELINE,
  NDAA,
  REJECTION,
  RESOLUTION,
  SUSPENSION,
  SWISS_MOVE,
  card,
  decodeHtml,
  eventIds,
  sectionAfter,
  textOf,
} from './support';

const SEED_ARTICLE_TITLE = 'Kaspersky pulls a pause button on Europe’s Cybercrime project';
const SEED_ARTICLE_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'kaspersky-pause-article.txt'), 'utf8');

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
      const row = /<tr>\s*<td><a href="\/vendors\/kaspersky-lab">Kaspersky Lab<\/a><\/td>([\s\S]*?)<\/tr>/.exec(res.text);
      expect(row).not.toBeNull();
      expect(textOf(row![1])).toBe('Russia 12 2017–2024');
    });

    it('lists the two carriers, each with the one FCC event', async () => {
      const res = await get('/');
      for (const [slug, name] of [
        ['china-telecom-americas', 'China Telecom (Americas) Corp'],
        ['china-mobile-international-usa', 'China Mobile International USA Inc'],
      ]) {
        const row = new RegExp(`<tr>\\s*<td><a href="/vendors/${slug}">([^<]*)</a></td>([\\s\\S]*?)</tr>`).exec(res.text);
        expect(row).not.toBeNull();
        expect(decodeHtml(row![1])).toBe(name);
        expect(textOf(row![2])).toBe('— 1 2022');
      }
    });

    it('shows the latest events, newest first, with date, type and vendors', async () => {
      const res = await get('/');
      const latest = sectionAfter(res.text, 'Latest events');
      const linked = [...latest.matchAll(/<a href="\/events\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]));
      expect(linked).toEqual([
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
      expect(text).toContain('September 2024 Legal action Apple asks the court to drop its own suit against NSO Group (NSO Group Technologies Ltd)');
    });
  });

  describe('GET /vendors', () => {
    it('lists every vendor with its event count and a link to its timeline', async () => {
      const res = await get('/vendors');
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain('Kaspersky Lab Anti-virus and cybersecurity software maker headquartered in Moscow. 12 events, 2017–2024 · Russia');
      expect(text).toContain('China Telecom (Americas) Corp Named with Kaspersky on the FCC Covered List in March 2022. 1 event, 2022');
      expect(text).toContain('China Mobile International USA Inc Named with Kaspersky on the FCC Covered List in March 2022. 1 event, 2022');
      for (const slug of ['kaspersky-lab', 'china-telecom-americas', 'china-mobile-international-usa']) {
        expect(res.text).toContain(`<a href="/vendors/${slug}">`);
      }
    });
  });

  describe('GET /vendors/kaspersky-lab', () => {
    let html: string;
    beforeAll(async () => {
      const res = await get('/vendors/kaspersky-lab');
      expect(res.status).toBe(200);
      html = res.text;
    });

    it('shows the vendor, its aliases and its country', () => {
      const text = textOf(html);
      expect(text).toContain('Kaspersky Lab');
      // One alias holds a comma, so they are set apart by semicolons.
      expect(text).toContain('Also known as Kaspersky; AO Kaspersky Lab; Kaspersky Lab, Inc.');
      expect(text).toContain('Based in Russia.');
      expect(html).toContain('href="https://www.kaspersky.com/"');
    });

    it('shows all 12 demo events, oldest first', () => {
      expect(eventIds(html)).toEqual([...KASPERSKY_TIMELINE]);
      expect(textOf(html)).toContain('12 events.');
    });

    it('groups the events under a heading for each year', () => {
      const years = [...html.matchAll(/<h2 id="y(\d{4})">(\d{4})<\/h2>/g)].map((m) => m[2]);
      expect(years).toEqual(['2017', '2018', '2022', '2024']);
      const byYear = (year: string) => eventIds(html.split(`<h2 id="y${year}">`)[1].split('</section>')[0]);
      expect(byYear('2017')).toEqual([GSA, DHS, KASPERSKY_TIMELINE[2], NDAA]);
      expect(byYear('2018')).toEqual([DUTCH, SWISS_MOVE, RESOLUTION, SUSPENSION, REJECTION]);
      expect(byYear('2022')).toEqual([BSI, FCC]);
      expect(byYear('2024')).toEqual([COMMERCE]);
    });

    it('shows each date at the precision it is known to', () => {
      expect(card(html, RESOLUTION).html).toContain('<time datetime="2018-06-13" class="event-date">13 June 2018</time>');
      expect(card(html, SWISS_MOVE).html).toContain('<time datetime="2018-05-15" class="event-date">15 May 2018</time>');
      expect(card(html, GSA).html).toContain('>11 July 2017</time>');
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
        const c = card(html, id);
        expect(c.html).toMatch(new RegExp(`<span class="badge type-[a-z-]+">${label}</span>`));
        expect(c.text).toContain(`· by ${actor}`);
      }
      expect(card(html, NDAA).text).toContain('in force from 1 October 2018');
      expect(card(html, SUSPENSION).text).toContain('· affecting Europol, No More Ransom');
    });

    it('shows each source with its publisher, its title and a link out', () => {
      const gsa = card(html, GSA);
      expect(gsa.text).toContain('Sources (2)');
      expect(gsa.text).toContain('Engadget: US government drops Kaspersky from its approved vendor lists');
      expect(gsa.text).toContain('Dark Reading: US government limits purchases of Kaspersky Lab software');
      expect(gsa.html).toContain('href="https://www.engadget.com/2017/07/12/us-government-removes-kaspersky-approved-vendors-cybersecurity/"');
      expect(gsa.text).toContain('↗ engadget.com');

      const bsi = card(html, BSI);
      expect(bsi.text).toContain('Computer&Automation: BSI warns against using Kaspersky anti-virus protection');

      // The stored article has no address, so it gets no link out.
      const rejection = card(html, REJECTION);
      expect(rejection.text).toContain(SEED_ARTICLE_TITLE);
      expect(rejection.html).not.toContain('class="outbound"');
    });

    it('links the suspension to the resolution it answers, and the resolution to its responses', () => {
      const suspension = card(html, SUSPENSION);
      expect(suspension.html).toMatch(
        new RegExp(`In response to: <a href="/events/${RESOLUTION}">European Parliament resolution names Kaspersky software as malicious</a>`),
      );
      const resolution = card(html, RESOLUTION);
      expect(resolution.html).toContain(`Responses: <a href="/events/${SUSPENSION}">Kaspersky freezes its work with Europol and No More Ransom</a>`);
      expect(resolution.html).toContain(`Responses: <a href="/events/${REJECTION}">`);
    });

    it('offers the CSV of the same timeline', () => {
      expect(html).toContain('href="/vendors/kaspersky-lab/events.csv"');
    });
  });

  describe('GET /events/:id', () => {
    it('shows the suspension with its facts, quotes, affected bodies and the event it answers', async () => {
      const res = await get(`/events/${SUSPENSION}`);
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain('Kaspersky freezes its work with Europol and No More Ransom');
      expect(text).toContain('Date 13 June 2018 (known to the day)');
      expect(text).toContain('Type Cooperation suspended');
      expect(text).toContain('Jurisdiction European Union (EU)');
      expect(text).toContain('Acting body Kaspersky Lab (Vendor)');
      expect(text).toContain('Affected Europol, No More Ransom');
      expect(res.text).toContain('<a href="/actors/europol">Europol</a>');
      expect(res.text).toContain('<a href="/actors/no-more-ransom">No More Ransom</a>');
      expect(res.text).toContain(
        '<blockquote>cooperation with cyber-crime combating movements from Europe as well as Europol will be stopped till the company receives an official clarification from the parliament of Europe</blockquote>',
      );
      const related = sectionAfter(res.text, 'Related events');
      expect(related).toContain(`In response to: <a href="/events/${RESOLUTION}">European Parliament resolution names Kaspersky software as malicious</a>`);
      const sources = sectionAfter(res.text, 'Sources');
      expect(textOf(sources)).toContain(SEED_ARTICLE_TITLE);
      expect(textOf(sources)).toContain('CSO Australia: EU Parliament backs recommending a ban on Kaspersky products');
    });

    it('shows the responses on the resolution it answered', async () => {
      const res = await get(`/events/${RESOLUTION}`);
      expect(res.status).toBe(200);
      const related = sectionAfter(res.text, 'Related events');
      expect(related).toContain(`Responses: <a href="/events/${SUSPENSION}">Kaspersky freezes its work with Europol and No More Ransom</a>`);
      expect(related).toContain(`Responses: <a href="/events/${REJECTION}">`);
      expect(textOf(res.text)).toContain('Affected —');
    });

    it('shows when a law takes effect', async () => {
      const res = await get(`/events/${NDAA}`);
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain('In force from 1 October 2018');
      expect(textOf(res.text)).not.toContain('Related events');
    });

    it('shows a month-precision date as a month', async () => {
      const res = await get('/events/2024-09-apple-asks-to-drop-its-nso-suit');
      expect(textOf(res.text)).toContain('Date September 2024 (known to the month)');
    });
  });

  describe('GET /sources/:id', () => {
    it('shows the stored article, which has no address, with its full text and the events citing it', async () => {
      const row = await t.db('sources').whereNull('url').first('id');
      const res = await get(`/sources/${row.id}`);
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain(SEED_ARTICLE_TITLE);
      expect(text).toContain('Publisher Not known');
      expect(text).toContain('Published June 2018');
      expect(text).toContain('No web address is known; the text is stored below.');

      const stored = sectionAfter(res.text, 'Stored text');
      const paragraphs = SEED_ARTICLE_TEXT.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
      expect(paragraphs.length).toBeGreaterThan(5);
      const shown = [...stored.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => decodeHtml(m[1]));
      expect(shown).toEqual(paragraphs);

      const citing = sectionAfter(res.text, 'Events citing this source');
      const linked = [...citing.matchAll(/<a href="\/events\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]));
      expect(linked).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
      expect(textOf(citing)).toContain('this move by the parliament of Europe is calling for cybercrime');
    });

    it('shows a web source with its address as a link', async () => {
      const row = await t.db('sources').where({ publisher: 'Engadget' }).first('id', 'url');
      const res = await get(`/sources/${row.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<a href="${row.url}" rel="noopener noreferrer" target="_blank">${row.url}</a>`);
      const citing = sectionAfter(res.text, 'Events citing this source');
      expect(citing).toContain(`<a href="/events/${GSA}">`);
    });
  });

  describe('GET /actors/:slug', () => {
    it('shows what the European Parliament did', async () => {
      const res = await get('/actors/european-parliament');
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain('European Parliament Legislature · European Union');
      expect(eventIds(sectionAfter(res.text, 'What it did'))).toEqual([RESOLUTION]);
      expect(eventIds(sectionAfter(res.text, 'What affected it'))).toEqual([]);
      expect(textOf(sectionAfter(res.text, 'What affected it'))).toContain('No recorded event affected this body.');
    });

    it('shows Europol under what affected it', async () => {
      const res = await get('/actors/europol');
      expect(res.status).toBe(200);
      expect(eventIds(sectionAfter(res.text, 'What it did'))).toEqual([]);
      expect(textOf(sectionAfter(res.text, 'What it did'))).toContain('No recorded event was taken by this body.');
      expect(eventIds(sectionAfter(res.text, 'What affected it'))).toEqual([SUSPENSION]);
    });

    it('shows everything Kaspersky Lab did itself', async () => {
      const res = await get('/actors/kaspersky-lab');
      expect(eventIds(sectionAfter(res.text, 'What it did'))).toEqual([SWISS_MOVE, SUSPENSION, REJECTION]);
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
      expect(textOf(res.text)).toContain('Not found (404)');
    });

    it('does not echo an unknown slug as HTML', async () => {
      const res = await get('/vendors/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(res.status).toBe(404);
      // The page's own scripts are external files; the slug's markup must not be among them.
      expect(res.text).not.toMatch(/<script>alert/i);
      expect(res.text.match(/<script\b[^>]*>/gi)).toEqual(['<script src="/assets/forms.js" defer>', '<script src="/assets/regions.js" defer>']);
      expect(res.text).toContain('&lt;script&gt;');
    });
  });

  describe('an event concerning several vendors', () => {
    it.each([['kaspersky-lab'], ['china-telecom-americas'], ['china-mobile-international-usa']])(
      'the FCC Covered List event is on the timeline of %s',
      async (slug) => {
        const res = await get(`/vendors/${slug}`);
        expect(res.status).toBe(200);
        expect(eventIds(res.text)).toContain(FCC);
        if (slug !== 'kaspersky-lab') expect(eventIds(res.text)).toEqual([FCC]);
      },
    );

    it('the FCC event page names all three vendors', async () => {
      const res = await get(`/events/${FCC}`);
      expect(textOf(res.text)).toContain('Vendors China Mobile International USA Inc, China Telecom (Americas) Corp, Kaspersky Lab');
    });
  });
});
