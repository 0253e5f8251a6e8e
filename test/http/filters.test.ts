import request from 'supertest';
import { nowIso } from '../../src/lib/time';
import { eventIdsOf, fieldValue, hrefsOf, parseHtml, textOf as domTextOf } from '../helpers/dom';
import { badParameterOf, optionsOf } from '../helpers/domExtra';
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
  NCSC,
  NDAA,
  REJECTION,
  RESOLUTION,
  SUSPENSION,
  SWISS_MOVE,
  qs,
} from './support';

const TIMELINE = '/vendors/kaspersky-lab';

/** The visible text of a page. */
const textOf = (html: string): string => domTextOf(parseHtml(html));

/** Events of a vendor of their own, whose titles hold the characters LIKE treats as wildcards. */
const WILDCARD_VENDOR = 'wildcard-test-vendor';
const WILDCARD_EVENTS = [
  { public_id: 'wild-percent', title: 'Licence fees cut by 50% for agencies', summary: 'A plain summary.' },
  { public_id: 'wild-underscore', title: 'Directive names the module av_core', summary: 'A plain summary.' },
  { public_id: 'wild-backslash', title: 'Installer path C:\\Program Files\\AV flagged', summary: 'A plain summary.' },
  { public_id: 'wild-plain', title: 'Licence fees cut by 500 for agencies', summary: 'Nothing special: avXcore, 5000.' },
];

describeEachDatabase('timeline filters on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const now = nowIso();
    const stamps = { version: 1, created_at: now, updated_at: now };
    await t.db('vendors').insert({ slug: WILDCARD_VENDOR, name: 'Wildcard Test Vendor', aliases: '', description: '', ...stamps });
    const vendor = await t.db('vendors').where({ slug: WILDCARD_VENDOR }).first('id');
    for (const [i, e] of WILDCARD_EVENTS.entries()) {
      const day = `2020-01-0${i + 1}`;
      await t.db('events').insert({ ...e, type: 'other', jurisdiction: 'INT', occurred_on: day, occurred_start: day, ...stamps });
      const row = await t.db('events').where({ public_id: e.public_id }).first('id');
      await t.db('event_vendors').insert({ event_id: row.id, vendor_id: vendor.id });
    }
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  async function timeline(params: Record<string, string>, path = TIMELINE): Promise<{ status: number; html: string; ids: string[] }> {
    const res = await request(t.app).get(`${path}${qs(params)}`);
    return { status: res.status, html: res.text, ids: eventIdsOf(parseHtml(res.text)) };
  }

  async function idsFor(params: Record<string, string>): Promise<string[]> {
    const res = await timeline(params);
    expect(res.status).toBe(200);
    return res.ids;
  }

  describe('type', () => {
    it('keeps only events of that type', async () => {
      expect(await idsFor({ type: 'ban' })).toEqual([NDAA, COMMERCE]);
      expect(await idsFor({ type: 'advisory' })).toEqual([NCSC, BSI]);
      expect(await idsFor({ type: 'resolution' })).toEqual([RESOLUTION]);
    });

    it('shows a known type that has no events as an empty timeline', async () => {
      expect(await idsFor({ type: 'legal-action' })).toEqual([]);
    });
  });

  describe('jurisdiction', () => {
    it('keeps only events of that jurisdiction', async () => {
      expect(await idsFor({ jurisdiction: 'US' })).toEqual([GSA, DHS, NDAA, FCC, COMMERCE]);
      expect(await idsFor({ jurisdiction: 'EU' })).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
      expect(await idsFor({ jurisdiction: 'GB' })).toEqual([NCSC]);
    });

    it('accepts a lower-case code', async () => {
      expect(await idsFor({ jurisdiction: 'us' })).toEqual([GSA, DHS, NDAA, FCC, COMMERCE]);
      expect(await idsFor({ jurisdiction: ' eu ' })).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
    });
  });

  describe('actor', () => {
    it('keeps only events taken by that body', async () => {
      expect(await idsFor({ actor: 'kaspersky-lab' })).toEqual([SWISS_MOVE, SUSPENSION, REJECTION]);
      expect(await idsFor({ actor: 'us-fcc' })).toEqual([FCC]);
    });

    it('does not count a body that was only affected', async () => {
      expect(await idsFor({ actor: 'europol' })).toEqual([]);
    });
  });

  describe('from and to', () => {
    it('from a year keeps events starting on or after its first day', async () => {
      expect(await idsFor({ from: '2022' })).toEqual([BSI, FCC, COMMERCE]);
      expect(await idsFor({ from: '2018' })).toEqual(KASPERSKY_TIMELINE.slice(4));
    });

    it('from a month includes an event known only to that month', async () => {
      expect(await idsFor({ from: '2018-05' })).toEqual(KASPERSKY_TIMELINE.slice(4));
    });

    it('from a day compares with the first day of each event, so a month-only event that began earlier is left out', async () => {
      expect(await idsFor({ from: '2018-05-02' })).toEqual(KASPERSKY_TIMELINE.slice(4));
      expect(await idsFor({ from: '2018-05-14' })).toEqual(KASPERSKY_TIMELINE.slice(4));
      expect(await idsFor({ from: '2018-05-15' })).toEqual(KASPERSKY_TIMELINE.slice(5));
    });

    it('from a day includes every event on that day', async () => {
      expect(await idsFor({ from: '2018-06-13' })).toEqual([RESOLUTION, SUSPENSION, REJECTION, BSI, FCC, COMMERCE]);
      expect(await idsFor({ from: '2018-06-14' })).toEqual([BSI, FCC, COMMERCE]);
    });

    it('to a year or a month runs to its last day', async () => {
      expect(await idsFor({ to: '2017' })).toEqual([GSA, DHS, NCSC, NDAA]);
      expect(await idsFor({ to: '2018-05' })).toEqual([GSA, DHS, NCSC, NDAA, DUTCH, SWISS_MOVE]);
      expect(await idsFor({ to: '2017-12' })).toEqual([GSA, DHS, NCSC, NDAA]);
    });

    it('to a day includes events starting on that day, and month-only events that started before it', async () => {
      expect(await idsFor({ to: '2018-06-13' })).toEqual(KASPERSKY_TIMELINE.slice(0, 9));
      expect(await idsFor({ to: '2018-06-12' })).toEqual(KASPERSKY_TIMELINE.slice(0, 6));
      expect(await idsFor({ to: '2018-05-13' })).toEqual([GSA, DHS, NCSC, NDAA]);
      expect(await idsFor({ to: '2018-04-30' })).toEqual([GSA, DHS, NCSC, NDAA]);
    });

    it('from and to together give the period between them', async () => {
      expect(await idsFor({ from: '2018', to: '2018' })).toEqual([DUTCH, SWISS_MOVE, RESOLUTION, SUSPENSION, REJECTION]);
      expect(await idsFor({ from: '2018-06-13', to: '2018-06-13' })).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
      expect(await idsFor({ from: '2017-09', to: '2017-12-01' })).toEqual([DHS, NCSC]);
      expect(await idsFor({ from: '2019', to: '2021' })).toEqual([]);
    });
  });

  describe('q (words)', () => {
    it('matches a word in the title or the summary, whatever its case', async () => {
      expect(await idsFor({ q: 'europol' })).toEqual([SUSPENSION]);
      expect(await idsFor({ q: 'EUROPOL' })).toEqual([SUSPENSION]);
      expect(await idsFor({ q: 'grapperhaus' })).toEqual([DUTCH]); // in the summary only
      expect(await idsFor({ q: 'Switzerland' })).toEqual([SWISS_MOVE]);
    });

    it('needs every word to match, each in the title or the summary', async () => {
      expect(await idsFor({ q: 'covered list' })).toEqual([FCC]);
      expect(await idsFor({ q: 'ransom europol' })).toEqual([SUSPENSION]);
      expect(await idsFor({ q: 'parliament kaspersky' })).toEqual([DUTCH, RESOLUTION, SUSPENSION, REJECTION]);
      expect(await idsFor({ q: 'europol switzerland' })).toEqual([]);
    });

    it('matches parts of words and text outside ASCII', async () => {
      expect(await idsFor({ q: 'Parliament’s' })).toEqual([REJECTION]);
      expect(await idsFor({ q: 'NDAA' })).toEqual([NDAA]);
    });

    it('treats % and _ as ordinary characters, not wildcards', async () => {
      const path = `/vendors/${WILDCARD_VENDOR}`;
      expect((await timeline({}, path)).ids).toEqual(['wild-percent', 'wild-underscore', 'wild-backslash', 'wild-plain']);
      expect((await timeline({ q: '%' }, path)).ids).toEqual(['wild-percent']);
      expect((await timeline({ q: '50%' }, path)).ids).toEqual(['wild-percent']);
      expect((await timeline({ q: '_' }, path)).ids).toEqual(['wild-underscore']);
      expect((await timeline({ q: 'av_core' }, path)).ids).toEqual(['wild-underscore']);
      // As wildcards these would match "500" and "avXcore".
      expect((await timeline({ q: '50_' }, path)).ids).toEqual([]);
      expect((await timeline({ q: 'av%core' }, path)).ids).toEqual([]);
      expect((await timeline({ q: '\\' }, path)).ids).toEqual(['wild-backslash']);
      expect((await timeline({ q: 'C:\\Program' }, path)).ids).toEqual(['wild-backslash']);
      // And on the demo timeline, which has neither character, they match nothing.
      expect(await idsFor({ q: '%' })).toEqual([]);
      expect(await idsFor({ q: '_' })).toEqual([]);
    });
  });

  describe('order', () => {
    it('desc gives the same events newest first', async () => {
      expect(await idsFor({ order: 'desc' })).toEqual([...KASPERSKY_TIMELINE].reverse());
      expect(await idsFor({ order: 'asc' })).toEqual([...KASPERSKY_TIMELINE]);
    });

    it('desc works together with the other filters', async () => {
      expect(await idsFor({ order: 'desc', jurisdiction: 'EU' })).toEqual([REJECTION, SUSPENSION, RESOLUTION]);
      expect(await idsFor({ order: 'desc', from: '2018', to: '2022-03' })).toEqual([
        FCC,
        BSI,
        REJECTION,
        SUSPENSION,
        RESOLUTION,
        SWISS_MOVE,
        DUTCH,
      ]);
    });
  });

  it('combines all filters', async () => {
    expect(
      await idsFor({
        type: 'ban',
        jurisdiction: 'us',
        actor: 'us-commerce-bis',
        from: '2024',
        to: '2024-06',
        q: 'commerce',
        order: 'desc',
      }),
    ).toEqual([COMMERCE]);
  });

  describe('the filter form', () => {
    it('shows the active values', async () => {
      const { html } = await timeline({
        type: 'ban',
        jurisdiction: 'us',
        actor: 'us-congress',
        from: '2017',
        to: '2018-06',
        q: 'federal',
        order: 'desc',
      });
      const page = parseHtml(html);
      expect(optionsOf(page, 'type')).toContainEqual({ value: 'ban', label: 'Ban', selected: true });
      expect(optionsOf(page, 'type')).toContainEqual({ value: 'advisory', label: 'Advisory', selected: false });
      expect(optionsOf(page, 'actor')).toContainEqual({ value: 'us-congress', label: 'US Congress and President', selected: true });
      expect(optionsOf(page, 'order')).toContainEqual({ value: 'desc', label: 'Newest first', selected: true });
      expect(optionsOf(page, 'order')).toContainEqual({ value: 'asc', label: 'Oldest first', selected: false });
      expect(optionsOf(page, 'jurisdiction')).toContainEqual({ value: 'US', label: 'United States (US)', selected: true });
      expect(fieldValue(page, 'from')).toBe('2017');
      expect(fieldValue(page, 'to')).toBe('2018-06');
      expect(page('input[name="q"]').attr('type')).toBe('search');
      expect(fieldValue(page, 'q')).toBe('federal');
      expect(page('details.filters').attr('open')).toBeDefined();
      expect(textOf(html)).toContain(
        'Type: Ban; Jurisdiction: United States; Actor: US Congress and President; From: 2017; To: 2018-06; Words: federal',
      );
    });

    it('selects nothing and stays closed without filters', async () => {
      const { html } = await timeline({});
      const page = parseHtml(html);
      const selected = page('option[selected]')
        .filter((_, o) => (page(o).attr('value') ?? '') !== '')
        .map((_, o) => page(o).text())
        .get();
      expect(selected.filter((label) => label !== 'Oldest first')).toEqual([]);
      expect(page('input[name="q"]').attr('type')).toBe('search');
      expect(fieldValue(page, 'q')).toBe('');
      expect(page('details.filters')).toHaveLength(1);
      expect(page('details.filters').attr('open')).toBeUndefined();
    });

    it('keeps the filters in the CSV link', async () => {
      const { html } = await timeline({ type: 'ban', order: 'desc' });
      expect(hrefsOf(parseHtml(html))).toContain('/vendors/kaspersky-lab/events.csv?type=ban&order=desc');
    });
  });

  it('says when nothing matches and offers to clear the filters', async () => {
    const { status, html, ids } = await timeline({ q: 'nothing-matches-this' });
    expect(status).toBe(200);
    expect(ids).toEqual([]);
    const text = textOf(html);
    expect(text).toContain('0 events match: Words: nothing-matches-this.');
    expect(text).toContain('No events match these filters.');
    const page = parseHtml(html);
    const clear = page('a[role="button"]').filter((_, a) => page(a).text() === 'Clear the filters');
    expect(clear.attr('href')).toBe('/vendors/kaspersky-lab');
  });

  describe('parameters that cannot be used', () => {
    it.each([
      [{ from: '2018-13' }, 'from'],
      [{ from: '18' }, 'from'],
      [{ to: '2021-02-29' }, 'to'],
      [{ to: 'yesterday' }, 'to'],
      [{ type: 'unknown' }, 'type'],
      [{ order: 'sideways' }, 'order'],
      [{ jurisdiction: 'XX' }, 'jurisdiction'],
      [{ jurisdiction: 'USA' }, 'jurisdiction'],
      [{ actor: 'nobody' }, 'actor'],
      [{ q: 'x'.repeat(201) }, 'q'],
    ])('%j gives a 400 page naming %s', async (params, name) => {
      const { status, html } = await timeline(params as Record<string, string>);
      expect(status).toBe(400);
      expect(badParameterOf(parseHtml(html))).toBe(name);
      expect(textOf(html)).toContain(`${name}:`);
    });

    it('a parameter given twice gives a 400 page naming it', async () => {
      const res = await request(t.app).get(`${TIMELINE}?type=ban&type=advisory`);
      expect(res.status).toBe(400);
      expect(badParameterOf(parseHtml(res.text))).toBe('type');
    });

    it('a start after the end gives a 400 page naming the period', async () => {
      const { status, html } = await timeline({ from: '2019', to: '2018-12-31' });
      expect(status).toBe(400);
      expect(['from', 'to']).toContain(badParameterOf(parseHtml(html)));
      expect(textOf(html)).toContain('the end of the period comes before its start');
    });

    it('a start and an end in the same month are accepted in either precision', async () => {
      expect(await idsFor({ from: '2018-06-13', to: '2018-06' })).toEqual([RESOLUTION, SUSPENSION, REJECTION]);
    });

    it('the error page says what was wrong with the value', async () => {
      const { html } = await timeline({ from: '2018-13' });
      expect(textOf(html)).toContain('from: "2018-13" is not a date: month 13 does not exist');
    });
  });

  describe('hostile input', () => {
    const HOSTILE = [
      '<script>alert(1)</script>',
      '"><script>alert(1)</script>',
      "' onmouseover='alert(1)",
      '%',
      '%%%%',
      '_',
      '\\',
      "'; drop table events; --",
      '\u0000',
      'a\u0000b',
      'x'.repeat(5000),
      'Zürich 東京 😀 ﷽',
      '\u202e\u200b',
      '   ',
      '[]',
      '{"$gt":""}',
    ];
    const PARAMS = ['type', 'jurisdiction', 'actor', 'from', 'to', 'q', 'order'];

    it.each(PARAMS)('no value of %s makes the server fail, and none appears unescaped', async (param) => {
      const failures: string[] = [];
      for (const value of HOSTILE) {
        const res = await request(t.app).get(`${TIMELINE}${qs({ [param]: value })}`);
        const label = `${param}=${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
        if (res.status !== 200 && res.status !== 400) failures.push(`${label} gave ${res.status}`);
        // The site's own scripts load from /assets/; any other <script is the hostile value unescaped.
        if (/<script(?! src="\/assets\/[a-z-]+\.js" defer>)/i.test(res.text) || /' onmouseover='/i.test(res.text))
          failures.push(`${label} appears unescaped`);
      }
      expect(failures).toEqual([]);
    });

    it('a script in q is shown as text in the form and in the summary of filters', async () => {
      const res = await request(t.app).get(`${TIMELINE}${qs({ q: '"><script>alert(1)</script>' })}`);
      expect(res.status).toBe(200);
      expect(fieldValue(parseHtml(res.text), 'q')).toBe('"><script>alert(1)</script>');
      expect(textOf(res.text)).toContain('Words: "><script>alert(1)</script>');
    });

    it('a script in an invalid parameter is shown as text on the error page', async () => {
      const res = await request(t.app).get(`${TIMELINE}${qs({ actor: '<script>alert(1)</script>' })}`);
      expect(res.status).toBe(400);
      // Escaping, so on the bytes, as in the test above.
      expect(res.text).not.toMatch(/<script(?! src="\/assets\/[a-z-]+\.js" defer>)/i);
      expect(textOf(res.text)).toContain('no actor is recorded as "<script>alert(1)</script>"');
    });

    it('unusual but harmless words search normally', async () => {
      expect(await idsFor({ q: 'Zürich 東京 😀' })).toEqual([]);
      expect(await idsFor({ q: '   ' })).toEqual([...KASPERSKY_TIMELINE]);
    });

    it('malformed percent-encoding does not make the server fail', async () => {
      for (const raw of ['q=%E0%A4%A', 'q=%', 'q=%zz', 'type=%FF', 'from=%C0%AF']) {
        const res = await request(t.app).get(`${TIMELINE}?${raw}`);
        expect(res.status).toBeLessThan(500);
      }
    });
  });
});
