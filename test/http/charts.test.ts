import request from 'supertest';
import { createEvent } from '../../src/events/editing';
import type { EventFormValues } from '../../src/events/schema';
import type { Editor } from '../../src/history/repo';
import { EVENTS_PAGE_SIZE } from '../../src/overview/service';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { decodeHtml, getRaw, NDAA, REJECTION, RESOLUTION, SUSPENSION, textOf } from './support';

const EDITOR: Editor = { id: null, displayName: 'Charts test' };
const HOSTILE = '<script>alert("x")</script></svg><a href="javascript:alert(1)">&amp; “quoted”';

function eventForm(values: Partial<EventFormValues> & { title: string; occurred_on: string }): EventFormValues {
  return {
    summary: '',
    type: 'advisory',
    jurisdiction: 'US',
    actor: '',
    affected: [],
    vendors: ['kaspersky-lab'],
    effective_on: '',
    links: [],
    citations: [{ source_id: '', url: 'https://charts-test.example/a', title: 'Charts test source', publisher: '', published_on: '', reliability: '', quote: '', locator: '' }],
    confirm_duplicate: '1',
    version: '',
    ...values,
  };
}

interface Mark {
  id: string;
  type: string;
  shape: 'circle' | 'rect';
  fill: string;
}

/** The chart's marks: each a link to its event, with its shape and colour. */
function marksOf(svg: string): Mark[] {
  return [...svg.matchAll(/<a href="[^"]*\/events\/[^"]+" class="mark" data-event="([^"]+)" data-type="([^"]+)"[^>]*><title>[^<]*<\/title>(?:<rect[^>]*class="effective"[^>]*\/><rect[^>]*\/>)?<(circle|rect) class="mark-shape"[^>]*fill="([^"]+)"/g)].map(
    (m) => ({ id: decodeHtml(m[1]), type: m[2], shape: m[3] as Mark['shape'], fill: m[4] }),
  );
}

function chartOf(html: string): string {
  const m = /<svg[^>]*class="chart timeline-chart"[\s\S]*?<\/svg>/.exec(html);
  if (!m) throw new Error('No timeline chart on the page');
  return m[0];
}

/** The compact list's events: id (from the card) and date (from the line). */
function listedEvents(html: string): Array<{ id: string; date: string }> {
  return [...html.matchAll(/<summary><time datetime="([^"]+)">[\s\S]*?<article class="event" id="([^"]+)">/g)].map((m) => ({ id: decodeHtml(m[2]), date: m[1] }));
}

describeEachDatabase('pictures on %s', (kind) => {
  let t: TestApp;
  let hostileId = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    hostileId = await createEvent(t.db, EDITOR, eventForm({ title: HOSTILE, occurred_on: '2025-02', type: 'ban' }));
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const get = (url: string) => request(t.app).get(url);
  /** supertest leaves image bodies unread; this reads them as text. */
  const getSvg = async (url: string) => {
    const res = await getRaw(t.app, url);
    return { status: res.status, type: res.headers['content-type'], corp: res.headers['cross-origin-resource-policy'], text: res.body.toString('utf8') };
  };

  describe('the vendor page', () => {
    let html: string;
    beforeAll(async () => {
      const res = await get('/vendors/kaspersky-lab');
      expect(res.status).toBe(200);
      html = res.text;
    });

    it('draws one linked mark per event of the list, each with a native tooltip', () => {
      const listed = listedEvents(html);
      const marks = marksOf(chartOf(html));
      expect(listed.length).toBeGreaterThanOrEqual(13);
      expect(marks.map((m) => m.id).sort()).toEqual(listed.map((e) => e.id).sort());
      expect(chartOf(html)).toMatch(/<a href="\/events\/[^"]+" class="mark"[^>]*><title>\d/);
    });

    it('draws a day as a point and a month or a year as a span', () => {
      const dates = new Map(listedEvents(html).map((e) => [e.id, e.date]));
      for (const m of marksOf(chartOf(html))) expect([m.id, m.shape]).toEqual([m.id, dates.get(m.id)!.length === 10 ? 'circle' : 'rect']);
      expect(marksOf(chartOf(html)).find((m) => m.id === hostileId)?.shape).toBe('rect');
    });

    it('draws arrows for the responses to the European Parliament resolution', () => {
      const svg = chartOf(html);
      for (const from of [SUSPENSION, REJECTION]) {
        expect(svg).toContain(`data-relation="responds-to" data-from="${from}" data-to="${RESOLUTION}"`);
      }
    });

    it('draws the bar to the day the NDAA ban takes force', () => {
      expect(chartOf(html)).toMatch(new RegExp(`data-event="${NDAA}"[^>]*><title>[^<]*in force from 1 October 2018[^<]*</title><rect[^>]*class="effective"`));
    });

    it('gives every mark a colour of the legend, and a text alternative', () => {
      const legend = new Set([...html.matchAll(/<li data-key="type:[^"]+" data-fill="([^"]+)">/g)].map((m) => m[1]));
      for (const m of marksOf(chartOf(html))) expect(legend.has(m.fill)).toBe(true);
      expect(chartOf(html)).toMatch(/<desc id="tl-desc">\d+ events, 2017 to 2025, in \d+ jurisdictions/);
      expect(html).toMatch(/<div class="chart-scroll" tabindex="0" role="region" aria-label="Timeline chart/);
    });

    it('escapes a hostile title in the chart, the tooltip and the list', () => {
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('href="javascript:');
      expect(chartOf(html)).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/svg&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;&amp;amp;');
    });

    it('shows each event as one line that opens in place, and links to the comparison and the embed', () => {
      expect(html).toMatch(/<details class="event-line">\s*<summary><time datetime="2017-07-11">11 July 2017<\/time> <span class="badge type-procurement-exclusion">Procurement exclusion<\/span> <span class="line-title">/);
      expect(html).toContain('href="/compare?vendors=kaspersky-lab"');
      const snippet = decodeHtml(/<pre class="embed-code"><code>([\s\S]*?)<\/code>/.exec(html)![1]);
      expect(snippet).toMatch(/^<a href="http:\/\/[^"]+\/vendors\/kaspersky-lab"><img src="http:\/\/[^"]+\/vendors\/kaspersky-lab\/timeline.svg" alt="Kaspersky Lab: timeline. \d+ events/);
    });

    it('zooms to months when filtered to a short period, drawing only that period’s events', async () => {
      const res = await get('/vendors/kaspersky-lab?from=2018-05&to=2018-06');
      expect(res.status).toBe(200);
      const svg = chartOf(res.text);
      expect(svg).toMatch(/>May<\/text>/);
      expect(svg).toMatch(/>Jun<\/text>/);
      const marks = marksOf(svg);
      expect(marks.length).toBe(listedEvents(res.text).length);
      expect(marks.map((m) => m.id)).toEqual(expect.arrayContaining([RESOLUTION, SUSPENSION]));
    });
  });

  describe('GET /vendors/:slug/timeline.svg', () => {
    it('gives the chart alone as SVG, with a title, the date and a link back, for the same filters', async () => {
      const res = await getSvg('/vendors/kaspersky-lab/timeline.svg?type=ban');
      expect(res.status).toBe(200);
      expect(res.type).toBe('image/svg+xml; charset=utf-8');
      // Other sites may show it (helmet's default would allow only this one).
      expect(res.corp).toBe('cross-origin');
      const svg = res.text;
      expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toMatch(/<title id="tl-title">Kaspersky Lab: \d+ events<\/title>/);
      expect(svg).toMatch(/drawn \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(svg).toMatch(/<a href="http:\/\/[^"]+\/vendors\/kaspersky-lab\?type=ban" class="frame-link">/);
      const marks = marksOf(svg);
      expect(marks.length).toBeGreaterThan(1);
      for (const m of marks) expect(m.type).toBe('ban');
      expect(svg).toContain('class="legend"');
      expect(svg).not.toContain('<script');
      expect(svg).not.toMatch(/ style=/);
    });

    it('stays embeddable when asked again', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await getSvg('/vendors/kaspersky-lab/timeline.svg?type=advisory');
        expect([res.status, res.type, res.corp]).toEqual([200, 'image/svg+xml; charset=utf-8', 'cross-origin']);
      }
    });

    it('escapes a hostile title in the picture', async () => {
      const svg = (await getSvg('/vendors/kaspersky-lab/timeline.svg?from=2025')).text;
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('answers 404 for an unknown vendor and 400 naming a bad filter', async () => {
      expect((await get('/vendors/nobody/timeline.svg')).status).toBe(404);
      const bad = await get('/vendors/kaspersky-lab/timeline.svg?from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('from');
    });
  });

  describe('the status map', () => {
    it('colours the map on the day, hatches the EU members for the EU measure and lists what is in force beside it', async () => {
      const res = await get('/reports/status?as_of=2018-06-30');
      expect(res.status).toBe(200);
      const html = res.text;
      expect(html).toContain('class="chart status-map"');
      expect(html).toMatch(/<a href="\/jurisdictions\/US" class="country" data-code="US"><title>United States: Removal ordered \(Kaspersky Lab\)<\/title>/);
      expect(html).toContain('<g class="eu-overlay" pointer-events="none" data-measure="ban-called-for">');
      expect(html).toMatch(/<li data-key="eu" data-fill="[^"]+">[\s\S]*?EU-wide: Ban called for/);
      const side = /<div class="status-side"[\s\S]*?<\/div>/.exec(html)![0];
      expect(textOf(side)).toContain('European Union : Ban called for (non-binding) (Kaspersky Lab; hatched on the map)');
      expect(textOf(side)).toContain('United States : Removal ordered (Kaspersky Lab)');
    });

    it('shows a new measure on the map as soon as it is recorded (computed boards are kept only while nothing changes)', async () => {
      const nz = /<a href="\/jurisdictions\/NZ" class="country"/;
      expect((await get('/reports/status?as_of=2030-01-01')).text).not.toMatch(nz);
      expect((await get('/')).text).not.toMatch(nz);
      await createEvent(t.db, EDITOR, eventForm({ title: 'New Zealand advises against Kaspersky (made up for the test)', jurisdiction: 'NZ', occurred_on: '2026-01-05' }));
      expect((await get('/reports/status?as_of=2030-01-01')).text).toMatch(nz);
    });

    it('tabulates the strongest measure at the end of each year, escalation reading left to right', async () => {
      const html = (await get('/reports/status?vendor=kaspersky-lab')).text;
      const table = /<table class="status-matrix">[\s\S]*?<\/table>/.exec(html)![0];
      const years = [...table.matchAll(/<th scope="col">(\d{4})<\/th>/g)].map((m) => m[1]);
      expect(years[0]).toBe('2017');
      const us = /<a href="\/jurisdictions\/US">United States<\/a><\/th>([\s\S]*?)<\/tr>/.exec(table)![1];
      const measures = [...us.matchAll(/<td data-measure="([^"]*)">/g)].map((m) => m[1]);
      expect(measures.slice(0, 2)).toEqual(['removal-ordered', 'banned']);
      expect(us).toContain('aria-label="United States, end of 2017: Removal ordered (Kaspersky Lab)"');
    });

    it('gives the map alone as SVG with its legend, the day and a link back', async () => {
      const res = await getSvg('/reports/status.svg?as_of=2018-06-30&vendor=kaspersky-lab');
      expect(res.status).toBe(200);
      expect(res.type).toBe('image/svg+xml; charset=utf-8');
      expect(res.corp).toBe('cross-origin');
      expect(res.text).toContain('Measures in force against Kaspersky Lab on 2018-06-30');
      expect(res.text).toMatch(/<a href="http:\/\/[^"]+\/reports\/status\?as_of=2018-06-30&amp;vendor=kaspersky-lab">/);
      expect(res.text).toContain('class="legend"');
      expect((await get('/reports/status.svg?as_of=2018-02-30')).status).toBe(400);
    });
  });

  describe('GET /compare', () => {
    it('draws the vendors on one axis in groups and tabulates what is in force side by side', async () => {
      const res = await get('/compare?vendors=kaspersky-lab,china-telecom-americas&as_of=2023-01-01');
      expect(res.status).toBe(200);
      const svg = /<svg[^>]*class="chart timeline-chart"[\s\S]*?<\/svg>/.exec(res.text)![0];
      expect([...svg.matchAll(/class="chart-label group-label">([^<]+)</g)].map((m) => decodeHtml(m[1]))).toEqual(['Kaspersky Lab', 'China Telecom (Americas) Corp']);
      const table = /<table class="striped compare-table">[\s\S]*?<\/table>/.exec(res.text)![0];
      const us = /United States<\/a><\/th>([\s\S]*?)<\/tr>/.exec(table)![1];
      expect(textOf(us)).toBe('Banned since 1 October 2018 Excluded from procurement since 25 March 2022');
      expect(res.text).toContain('<input type="checkbox" name="vendors" value="kaspersky-lab" checked>');
    });

    it('offers the choice of vendors with none chosen, and refuses unknown or too many vendors naming the parameter', async () => {
      const empty = await get('/compare');
      expect(empty.status).toBe(200);
      expect(empty.text).not.toContain('class="chart timeline-chart"');
      const unknown = await get('/compare?vendors=kaspersky-lab,nobody');
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain('nobody');
      expect((await get('/compare?vendors=a,b,c,d,e,f,g')).status).toBe(400);
      expect((await get('/compare?vendors=kaspersky-lab&as_of=2018')).status).toBe(400);
    });
  });

  describe('jurisdictions and the start page', () => {
    it('lists the jurisdictions with their measures in force, and shows one with a lane per acting body', async () => {
      const list = await get('/jurisdictions');
      expect(list.status).toBe(200);
      expect(list.text).toContain('<a href="/jurisdictions/US">United States</a>');
      const us = await get('/jurisdictions/us');
      expect(us.status).toBe(200);
      const svg = chartOf(us.text);
      expect(svg).toMatch(/class="chart-label lane-label">Department of Homeland Security</);
      expect(marksOf(svg).length).toBe(listedEvents(us.text).length);
      expect((await get('/jurisdictions/XX')).status).toBe(404);
    });

    it('shows the map of today, key figures and vendors by latest activity on the start page', async () => {
      const res = await get('/');
      expect(res.status).toBe(200);
      expect(res.text).toContain('class="chart status-map"');
      expect(textOf(res.text)).toMatch(/Vendors \d+ Events \d+ Sources \d+/);
      const recent = /<ol class="latest-vendors">([\s\S]*?)<\/ol>/.exec(res.text)![1];
      expect(recent).toContain('href="/vendors/kaspersky-lab"');
    });
  });
});

describeEachDatabase('/events pages on %s', (kind) => {
  let t: TestApp;
  const created: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    // A page and a bit of events in one jurisdiction (Fiji), all on the same few days, so paging must use the id too.
    for (let i = 0; i < EVENTS_PAGE_SIZE + 5; i++) {
      created.push(await createEvent(t.db, EDITOR, eventForm({ title: `Paging test event ${i}`, jurisdiction: 'FJ', occurred_on: `2020-01-0${1 + (i % 3)}`, citations: [{ source_id: '1', url: '', title: '', publisher: '', published_on: '', reliability: '', quote: '', locator: '' }] })));
    }
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it('pages through every matching event once, by key, with the chart of each page', async () => {
    const seen: string[] = [];
    let url: string | null = '/events?jurisdiction=FJ';
    let pages = 0;
    while (url) {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(200);
      const ids = listedEvents(res.text).map((e) => e.id);
      expect(ids.length).toBeLessThanOrEqual(EVENTS_PAGE_SIZE);
      expect(marksOf(chartOf(res.text)).length + [...chartOf(res.text).matchAll(/data-count="(\d+)"/g)].reduce((s, m) => s + Number(m[1]), 0)).toBe(ids.length);
      seen.push(...ids);
      const next = /<a href="([^"]+)" rel="next">/.exec(res.text);
      url = next ? decodeHtml(next[1]) : null;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([...created].sort());
  });

  it('lists every vendor’s events with the filters, and refuses a bad page key', async () => {
    const all = await request(t.app).get('/events?vendor=china-telecom-americas');
    expect(all.status).toBe(200);
    expect(listedEvents(all.text)).toHaveLength(1);
    expect(textOf(all.text)).toContain('Vendor: China Telecom (Americas) Corp');
    const bad = await request(t.app).get('/events?after=not-a-key');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('after');
  });
});
