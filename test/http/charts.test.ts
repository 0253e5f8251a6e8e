import request from 'supertest';
import { createEvent } from '../../src/events/editing';
import { type EventFormValues, parseEventForm } from '../../src/events/schema';
import type { Editor } from '../../src/history/repo';
import { EVENTS_PAGE_SIZE } from '../../src/overview/service';
import {
  attrsOf,
  checkedValues,
  hrefsOf,
  linksOf,
  parseHtml,
  parseSvg,
  textOf,
  textsOf,
  type Nodes,
  type Page,
  type Scope,
} from '../helpers/dom';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { getRaw, NDAA, REJECTION, RESOLUTION, SUSPENSION } from './support';

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
    citations: [
      {
        source_id: '',
        url: 'https://charts-test.example/a',
        title: 'Charts test source',
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

interface Mark {
  id: string;
  type: string;
  shape: string;
  fill: string;
  /** The native tooltip (the mark's `<title>`). */
  tooltip: string;
  node: Nodes;
}

/** The chart's marks: each a link to its event, with its tooltip, shape and colour. */
function marksOf(scope: Scope): Mark[] {
  const links = (typeof scope === 'function' ? scope.root() : scope).find('a.mark[href*="/events/"]');
  return links.toArray().map((a, i) => {
    const node = links.eq(i);
    const shape = node.children('.mark-shape').first();
    return {
      id: a.attribs['data-event'],
      type: a.attribs['data-type'],
      shape: shape.prop('tagName')?.toLowerCase() ?? '',
      fill: shape.attr('fill') ?? '',
      tooltip: textOf(node.children('title')),
      node,
    };
  });
}

function chartOf(page: Page): Nodes {
  const svg = page('svg.timeline-chart').first();
  if (svg.length === 0) throw new Error('No timeline chart on the page');
  return svg;
}

/** The compact list's events: id (from the card) and date (from the line). */
function listedEvents(page: Page): Array<{ id: string; date: string }> {
  return page('details.event-line')
    .toArray()
    .map((line) => ({
      id: page(line).find('article.event').attr('id') ?? '',
      date: page(line).find('> summary > time').attr('datetime') ?? '',
    }));
}

describeEachDatabase('pictures on %s', (kind) => {
  let t: TestApp;
  let hostileId = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    hostileId = await createEvent(t.db, EDITOR, parseEventForm(eventForm({ title: HOSTILE, occurred_on: '2025-02', type: 'ban' })));
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const get = (url: string) => request(t.app).get(url);
  /** supertest leaves image bodies unread; this reads them as text. */
  const getSvg = async (url: string) => {
    const res = await getRaw(t.app, url);
    return {
      status: res.status,
      type: res.headers['content-type'],
      corp: res.headers['cross-origin-resource-policy'],
      text: res.body.toString('utf8'),
    };
  };

  describe('the vendor page', () => {
    let html: string;
    let page: Page;
    beforeAll(async () => {
      const res = await get('/vendors/kaspersky-lab');
      expect(res.status).toBe(200);
      html = res.text;
      page = parseHtml(html);
    });

    it('draws one linked mark per event of the list, each with a native tooltip', () => {
      const listed = listedEvents(page);
      const marks = marksOf(chartOf(page));
      expect(listed.length).toBeGreaterThanOrEqual(13);
      expect(marks.map((m) => m.id).sort()).toEqual(listed.map((e) => e.id).sort());
      // A mark links to its event page, and its first child is its tooltip, which starts with the date.
      const tooltipped = marks.filter(
        (m) => m.node.attr('href')?.startsWith('/events/') && m.node.children().first().is('title') && /^\d/.test(m.tooltip),
      );
      expect(tooltipped.length).toBeGreaterThan(0);
    });

    it('draws a day as a point and a month or a year as a span', () => {
      const dates = new Map(listedEvents(page).map((e) => [e.id, e.date]));
      for (const m of marksOf(chartOf(page))) expect([m.id, m.shape]).toEqual([m.id, dates.get(m.id)!.length === 10 ? 'circle' : 'rect']);
      expect(marksOf(chartOf(page)).find((m) => m.id === hostileId)?.shape).toBe('rect');
    });

    it('draws arrows for the responses to the European Parliament resolution', () => {
      const svg = chartOf(page);
      for (const from of [SUSPENSION, REJECTION]) {
        expect(svg.find(`[data-relation="responds-to"][data-from="${from}"][data-to="${RESOLUTION}"]`)).toHaveLength(1);
      }
    });

    it('draws the bar to the day the NDAA ban takes force', () => {
      const ndaa = marksOf(chartOf(page)).find((m) => m.id === NDAA)!;
      expect(ndaa.tooltip).toContain('in force from 1 October 2018');
      expect(ndaa.node.children('title').next().is('rect.effective')).toBe(true);
    });

    it('gives every mark a colour of the legend, and a text alternative', () => {
      const legend = new Set(attrsOf(page, 'li[data-key^="type:"][data-fill]', 'data-fill'));
      for (const m of marksOf(chartOf(page))) expect(legend.has(m.fill)).toBe(true);
      expect(textOf(chartOf(page), 'desc#tl-desc')).toMatch(/^\d+ events, 2017 to 2025, in \d+ jurisdictions/);
      const region = page('div.chart-scroll');
      expect([region.attr('tabindex'), region.attr('role')]).toEqual(['0', 'region']);
      expect(region.attr('aria-label')).toMatch(/^Timeline chart/);
    });

    it('escapes a hostile title in the chart, the tooltip and the list', () => {
      // Escaping is a property of the raw bytes: the title's markup is there only escaped.
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('href="javascript:');
      expect(html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/svg&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;&amp;amp;',
      );
      // Read back, the chart shows the title as text in its tooltip, and no link leads to a script.
      expect(marksOf(chartOf(page)).find((m) => m.id === hostileId)?.tooltip).toContain(HOSTILE);
      expect(page('[href^="javascript:"]')).toHaveLength(0);
    });

    it('shows each event as one line that opens in place, and links to the comparison and the embed', () => {
      const gsaLine = page('details.event-line > summary').filter((_, s) => page(s).children('time').attr('datetime') === '2017-07-11');
      expect(gsaLine).toHaveLength(1);
      const parts = gsaLine.children().toArray().slice(0, 3);
      expect(parts.map((el) => [el.tagName, el.attribs.class ?? '', textOf(page(el))])).toEqual([
        ['time', '', '11 July 2017'],
        ['span', 'badge type-procurement-exclusion', 'Procurement exclusion'],
        ['span', 'line-title', expect.any(String)],
      ]);
      expect(hrefsOf(page)).toContain('/compare?vendors=kaspersky-lab');
      // The snippet is HTML shown as text to copy; parsed in its turn, it is a link around the picture.
      const snippet = parseHtml(page('pre.embed-code > code').text());
      const link = snippet.root().children().first();
      expect(link.is('a')).toBe(true);
      expect(link.attr('href')).toMatch(/^http:\/\/[^/]+\/vendors\/kaspersky-lab$/);
      const img = link.children().first();
      expect(img.is('img')).toBe(true);
      expect(img.attr('src')).toMatch(/^http:\/\/[^/]+\/vendors\/kaspersky-lab\/timeline.svg$/);
      expect(img.attr('alt')).toMatch(/^Kaspersky Lab: timeline. \d+ events/);
    });

    it('zooms to months when filtered to a short period, drawing only that period’s events', async () => {
      const res = await get('/vendors/kaspersky-lab?from=2018-05&to=2018-06');
      expect(res.status).toBe(200);
      const zoomed = parseHtml(res.text);
      const svg = chartOf(zoomed);
      expect(textsOf(svg, 'text')).toContain('May');
      expect(textsOf(svg, 'text')).toContain('Jun');
      const marks = marksOf(svg);
      expect(marks.length).toBe(listedEvents(zoomed).length);
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
      // The XML prolog and the root's namespace are the file's first bytes, which a parser does not keep.
      expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      const svg = parseSvg(res.text);
      expect(textOf(svg, 'svg > title#tl-title')).toMatch(/^Kaspersky Lab: \d+ events$/);
      expect(textOf(svg)).toMatch(/drawn \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(hrefsOf(svg, 'a.frame-link')).toEqual([expect.stringMatching(/^http:\/\/[^/]+\/vendors\/kaspersky-lab\?type=ban$/)]);
      const marks = marksOf(svg);
      expect(marks.length).toBeGreaterThan(1);
      for (const m of marks) expect(m.type).toBe('ban');
      expect(svg('.legend').length).toBeGreaterThan(0);
      // No script anywhere in the bytes (raw on purpose: an embedded picture must carry none, escaped or not as markup).
      expect(res.text).not.toContain('<script');
      expect(svg('[style]')).toHaveLength(0);
    });

    it('stays embeddable when asked again', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await getSvg('/vendors/kaspersky-lab/timeline.svg?type=advisory');
        expect([res.status, res.type, res.corp]).toEqual([200, 'image/svg+xml; charset=utf-8', 'cross-origin']);
      }
    });

    it('escapes a hostile title in the picture', async () => {
      const svg = (await getSvg('/vendors/kaspersky-lab/timeline.svg?from=2025')).text;
      // Escaping is a property of the raw bytes.
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('answers 404 for an unknown vendor and 400 naming a bad filter', async () => {
      expect((await get('/vendors/nobody/timeline.svg')).status).toBe(404);
      const bad = await get('/vendors/kaspersky-lab/timeline.svg?from=yesterday');
      expect(bad.status).toBe(400);
      expect(textOf(parseHtml(bad.text))).toContain('from');
    });
  });

  describe('the status map', () => {
    it('colours the map on the day, hatches the EU members for the EU measure and lists what is in force beside it', async () => {
      const res = await get('/reports/status?as_of=2018-06-30');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(page('.chart.status-map')).toHaveLength(1);
      const us = page('a.country[data-code="US"]');
      expect([us.attr('href'), textOf(us.children('title'))]).toEqual([
        '/jurisdictions/US',
        'United States: Removal ordered (Kaspersky Lab)',
      ]);
      const eu = page('g.eu-overlay');
      expect([eu.attr('pointer-events'), eu.attr('data-measure')]).toEqual(['none', 'ban-called-for']);
      expect(page('li[data-key="eu"]').attr('data-fill')).toBeTruthy();
      expect(textOf(page, 'li[data-key="eu"]')).toContain('EU-wide: Ban called for');
      // The list beside the map, as a reader reads it (the country's name is a link, the colon follows it).
      const side = textOf(page, 'div.status-side');
      expect(side).toContain('European Union: Ban called for (non-binding) (Kaspersky Lab; hatched on the map)');
      expect(side).toContain('United States: Removal ordered (Kaspersky Lab)');
    });

    it('shows a new measure on the map as soon as it is recorded (computed boards are kept only while nothing changes)', async () => {
      const nz = async (path: string) => parseHtml((await get(path)).text)('a.country[href="/jurisdictions/NZ"]').length;
      expect(await nz('/reports/status?as_of=2030-01-01')).toBe(0);
      expect(await nz('/')).toBe(0);
      await createEvent(
        t.db,
        EDITOR,
        parseEventForm(
          eventForm({
            title: 'New Zealand advises against Kaspersky (made up for the test)',
            jurisdiction: 'NZ',
            occurred_on: '2026-01-05',
          }),
        ),
      );
      expect(await nz('/reports/status?as_of=2030-01-01')).toBeGreaterThan(0);
    });

    it('tabulates the strongest measure at the end of each year, escalation reading left to right', async () => {
      const page = parseHtml((await get('/reports/status?vendor=kaspersky-lab')).text);
      const table = page('table.status-matrix');
      const years = textsOf(table, 'th[scope="col"]').filter((y) => /^\d{4}$/.test(y));
      expect(years[0]).toBe('2017');
      const us = table
        .find('tr')
        .filter((_, tr) => linksOf(page(tr), 'th > a').some((l) => l.href === '/jurisdictions/US' && l.text === 'United States'));
      expect(us).toHaveLength(1);
      const measures = attrsOf(us, 'td[data-measure]', 'data-measure');
      expect(measures.slice(0, 2)).toEqual(['removal-ordered', 'banned']);
      expect(attrsOf(us, 'td [aria-label]', 'aria-label')).toContain('United States, end of 2017: Removal ordered (Kaspersky Lab)');
    });

    it('gives the map alone as SVG with its legend, the day and a link back', async () => {
      const res = await getSvg('/reports/status.svg?as_of=2018-06-30&vendor=kaspersky-lab');
      expect(res.status).toBe(200);
      expect(res.type).toBe('image/svg+xml; charset=utf-8');
      expect(res.corp).toBe('cross-origin');
      const svg = parseSvg(res.text);
      expect(textOf(svg)).toContain('Measures in force against Kaspersky Lab on 2018-06-30');
      expect(
        hrefsOf(svg).filter((href) => /^http:\/\/[^/]+\/reports\/status\?as_of=2018-06-30&vendor=kaspersky-lab$/.test(href)).length,
      ).toBeGreaterThan(0);
      expect(svg('.legend').length).toBeGreaterThan(0);
      expect((await get('/reports/status.svg?as_of=2018-02-30')).status).toBe(400);
    });
  });

  describe('GET /compare', () => {
    it('draws the vendors on one axis in groups and tabulates what is in force side by side', async () => {
      const res = await get('/compare?vendors=kaspersky-lab,china-telecom-americas&as_of=2023-01-01');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(textsOf(chartOf(page), 'text.group-label')).toEqual(['Kaspersky Lab', 'China Telecom (Americas) Corp']);
      const us = page('table.compare-table tr').filter((_, tr) => textOf(page(tr), 'th > a') === 'United States');
      expect(us).toHaveLength(1);
      expect(textsOf(us, 'td')).toEqual(['Banned since 1 October 2018', 'Excluded from procurement since 25 March 2022']);
      expect(page('input[type="checkbox"][name="vendors"][value="kaspersky-lab"]')).toHaveLength(1);
      expect(checkedValues(page, 'vendors')).toContain('kaspersky-lab');
    });

    it('offers the choice of vendors with none chosen, and refuses unknown or too many vendors naming the parameter', async () => {
      const empty = await get('/compare');
      expect(empty.status).toBe(200);
      expect(parseHtml(empty.text)('svg.timeline-chart')).toHaveLength(0);
      const unknown = await get('/compare?vendors=kaspersky-lab,nobody');
      expect(unknown.status).toBe(400);
      expect(textOf(parseHtml(unknown.text))).toContain('nobody');
      expect((await get('/compare?vendors=a,b,c,d,e,f,g')).status).toBe(400);
      expect((await get('/compare?vendors=kaspersky-lab&as_of=2018')).status).toBe(400);
    });
  });

  describe('jurisdictions and the start page', () => {
    it('lists the jurisdictions with their measures in force, and shows one with a lane per acting body', async () => {
      const list = await get('/jurisdictions');
      expect(list.status).toBe(200);
      expect(linksOf(parseHtml(list.text))).toContainEqual({ href: '/jurisdictions/US', text: 'United States' });
      const us = await get('/jurisdictions/us');
      expect(us.status).toBe(200);
      const page = parseHtml(us.text);
      const svg = chartOf(page);
      expect(textsOf(svg, 'text.lane-label')).toContain('Department of Homeland Security');
      expect(marksOf(svg).length).toBe(listedEvents(page).length);
      expect((await get('/jurisdictions/XX')).status).toBe(404);
    });

    it('shows the map of today, key figures and vendors by latest activity on the start page', async () => {
      const res = await get('/');
      expect(res.status).toBe(200);
      const page = parseHtml(res.text);
      expect(page('.chart.status-map')).toHaveLength(1);
      expect(textOf(page)).toMatch(/Vendors \d+ Events \d+ Sources \d+/);
      expect(hrefsOf(page, 'ol.latest-vendors a')).toContain('/vendors/kaspersky-lab');
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
      created.push(
        await createEvent(
          t.db,
          EDITOR,
          parseEventForm(
            eventForm({
              title: `Paging test event ${i}`,
              jurisdiction: 'FJ',
              occurred_on: `2020-01-0${1 + (i % 3)}`,
              citations: [{ source_id: '1', url: '', title: '', publisher: '', published_on: '', reliability: '', quote: '', locator: '' }],
            }),
          ),
        ),
      );
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
      const page = parseHtml(res.text);
      const ids = listedEvents(page).map((e) => e.id);
      expect(ids.length).toBeLessThanOrEqual(EVENTS_PAGE_SIZE);
      const clustered = attrsOf(chartOf(page), '[data-count]', 'data-count').reduce((s, n) => s + Number(n), 0);
      expect(marksOf(chartOf(page)).length + clustered).toBe(ids.length);
      seen.push(...ids);
      url = hrefsOf(page, 'a[rel="next"]')[0] ?? null;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([...created].sort());
  });

  it('lists every vendor’s events with the filters, and refuses a bad page key', async () => {
    const all = await request(t.app).get('/events?vendor=china-telecom-americas');
    expect(all.status).toBe(200);
    const page = parseHtml(all.text);
    expect(listedEvents(page)).toHaveLength(1);
    expect(textOf(page)).toContain('Vendor: China Telecom (Americas) Corp');
    const bad = await request(t.app).get('/events?after=not-a-key');
    expect(bad.status).toBe(400);
    expect(textOf(parseHtml(bad.text))).toContain('after');
  });
});
