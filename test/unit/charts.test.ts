import { worldAtlas } from '../../src/charts/atlas';
import { measureFill, NO_MEASURE_FILL } from '../../src/charts/palette';
import { renderTimelineSvg } from '../../src/charts/renderTimeline';
import { fitText, textWidth } from '../../src/charts/text';
import {
  type ChartEvent,
  type ChartGroup,
  LAYOUT,
  layoutTimeline,
  type TimelineOptions,
  type TimelineView,
} from '../../src/charts/timeline';
import { layoutStatusMap, renderStatusMapSvg } from '../../src/charts/worldMap';
import { euMembersOn } from '../../src/status/eu';
import { MEASURES } from '../../src/events/taxonomy';
import { parseSvg } from '../helpers/dom';

const options: TimelineOptions = {
  idPrefix: 't',
  eventHref: (id) => `/events/${id}`,
  zoomHref: (_g, j, from, to) => `/zoom?j=${j}&from=${from}&to=${to}`,
  laneLabel: (code) => ({ US: 'United States', EU: 'European Union', INT: 'International', GB: 'United Kingdom' })[code] ?? code,
  typeLabel: (t) => t,
};

function ev(id: string, occurredOn: string, extra: Partial<ChartEvent> = {}): ChartEvent {
  return { id, title: `Event ${id}`, type: 'ban', jurisdiction: 'US', occurredOn, effectiveOn: null, links: [], ...extra };
}

const one = (events: ChartEvent[]): ChartGroup[] => [{ key: '', label: '', events }];

interface Box {
  what: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Every text label of a view as a box: lane, group, axis, mark and cluster labels. */
function labelBoxes(view: TimelineView): Box[] {
  const boxes: Box[] = [];
  const font = (size: number) => ({ up: size * 0.8, down: size * 0.25 });
  for (const lane of view.lanes) {
    const f = font(LAYOUT.laneFont);
    const y = lane.y + LAYOUT.lanePad + 14;
    boxes.push({ what: `lane ${lane.code}`, x0: 8, x1: 8 + lane.labelWidth, y0: y - f.up, y1: y + f.down });
  }
  for (const g of view.groups) boxes.push({ what: `group ${g.key}`, x0: 6, x1: 6 + g.labelWidth, y0: g.y + 19 - 11, y1: g.y + 19 + 4 });
  for (const m of view.marks) {
    if (!m.label) continue;
    const f = font(LAYOUT.labelFont);
    const x = Math.max(m.label.x, view.axis.left);
    boxes.push({ what: `label ${m.eventId}`, x0: x, x1: x + m.label.width, y0: m.label.y - f.up, y1: m.label.y + f.down });
  }
  for (const c of view.clusters) boxes.push({ what: `cluster ${c.eventIds[0]}`, x0: c.x, x1: c.x + c.width, y0: c.y, y1: c.y + c.height });
  return boxes;
}

function overlaps(boxes: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) out.push(`${a.what} / ${b.what}`);
    }
  }
  return out;
}

/** Marks' own boxes (shape plus the bar to the day it takes force). */
function markBoxes(view: TimelineView): Box[] {
  return view.marks.map((m) => {
    const x0 = m.shape === 'point' ? m.x - LAYOUT.markRadius : m.x;
    const x1 = m.effective ? m.effective.x2 + 1 : m.shape === 'point' ? m.x + LAYOUT.markRadius : m.x + m.width;
    return { what: `mark ${m.eventId}`, x0, x1, y0: m.y - 6, y1: m.y + 6 };
  });
}

/** A deterministic pseudo-random sequence, so the big cases are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function manyEvents(count: number): ChartEvent[] {
  const rnd = seeded(42);
  const codes = ['US', 'GB', 'DE', 'EU', 'INT', 'NL', 'SE', 'FR'];
  const types = ['ban', 'advisory', 'vendor-statement', 'legal-action', 'removal-order', 'cooperation-suspended'];
  const events: ChartEvent[] = [];
  for (let i = 0; i < count; i++) {
    const year = 2015 + Math.floor(rnd() * 10);
    const month = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
    const precision = rnd();
    const occurredOn = precision < 0.1 ? String(year) : precision < 0.3 ? `${year}-${month}` : `${year}-${month}-${day}`;
    const links = i > 0 && rnd() < 0.2 ? [{ relation: 'responds-to', to: `e${Math.floor(rnd() * i)}` }] : [];
    events.push(
      ev(`e${i}`, occurredOn, {
        jurisdiction: codes[Math.floor(rnd() * codes.length)],
        type: types[Math.floor(rnd() * types.length)],
        links,
        title: `Event number ${i} with a rather long title that will need to be cut`,
      }),
    );
  }
  return events;
}

describe('text fitting', () => {
  it('keeps a title that fits and cuts one that does not, with an ellipsis, within the width', () => {
    expect(fitText('Ban', 100, 11)).toBe('Ban');
    const cut = fitText('A very long title about a government measure against a vendor', 120, 11);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 11)).toBeLessThanOrEqual(120);
    expect(fitText('Something', 8, 11)).toBe('');
  });
});

describe('timeline layout', () => {
  it('draws one event as one linked mark with its label, in one lane, on a month axis', () => {
    const view = layoutTimeline(one([ev('a', '2018-06-13')]), options);
    expect(view.marks).toHaveLength(1);
    expect(view.marks[0]).toMatchObject({ eventId: 'a', href: '/events/a', shape: 'point' });
    expect(view.marks[0].label?.text).toBe('Event a');
    expect(view.lanes.map((l) => l.code)).toEqual(['US']);
    // A year's timeline reads in months.
    expect(view.axis.ticks.map((t) => t.label)).toEqual([
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ]);
    expect(view.summary).toContain('1 event, 2018');
    expect(overlaps(labelBoxes(view))).toEqual([]);
  });

  it('uses years on a long period and months when zoomed by from and to', () => {
    const events = [ev('a', '2017-07-11'), ev('b', '2024-06-20')];
    expect(layoutTimeline(one(events), options).axis.ticks.map((t) => t.label)).toEqual([
      '2017',
      '2018',
      '2019',
      '2020',
      '2021',
      '2022',
      '2023',
      '2024',
    ]);
    const zoomed = layoutTimeline(one(events.slice(0, 1)), { ...options, from: '2017-06', to: '2017-09' });
    expect(zoomed.axis.ticks.map((t) => t.label)).toEqual(['Jun', 'Jul', 'Aug', 'Sep']);
    expect(zoomed.axis.yearTicks.map((t) => t.label)).toEqual(['2017']);
  });

  it('draws a day as a point, a month as a span over its month, a year as a span over its year', () => {
    const view = layoutTimeline(
      one([ev('d', '2018-06-13'), ev('m', '2018-05', { jurisdiction: 'GB' }), ev('y', '2019', { jurisdiction: 'EU' })]),
      options,
    );
    const byId = new Map(view.marks.map((m) => [m.eventId, m]));
    const pxPerDay = (view.axis.right - view.axis.left) / (365 + 365);
    expect(byId.get('d')?.shape).toBe('point');
    expect(byId.get('m')?.shape).toBe('span');
    expect(byId.get('m')!.width).toBeCloseTo(31 * pxPerDay, 0);
    expect(byId.get('y')?.shape).toBe('span');
    expect(byId.get('y')!.width).toBeCloseTo(365 * pxPerDay, 0);
    // May 2018 starts where May starts: a span, not a point on its first day.
    expect(byId.get('m')!.x).toBeCloseTo(view.axis.left + (31 + 28 + 31 + 30) * pxPerDay, 0);
  });

  it('draws a bar from the event to the day its measure takes force, and none when they are the same', () => {
    const view = layoutTimeline(
      one([
        ev('ndaa', '2017-12-12', { effectiveOn: '2018-10-01' }),
        ev('same', '2019-03-01', { effectiveOn: '2019-03-01', jurisdiction: 'GB' }),
      ]),
      options,
    );
    const ndaa = view.marks.find((m) => m.eventId === 'ndaa')!;
    expect(ndaa.effective).not.toBeNull();
    expect(ndaa.effective!.x2 - ndaa.effective!.x1).toBeGreaterThan(50);
    expect(view.marks.find((m) => m.eventId === 'same')!.effective).toBeNull();
    expect(view.legend.map((l) => l.key)).toContain('effective');
  });

  it('draws an arrow for each relation between two drawn events, from the earlier one to the one that states it', () => {
    const events = [
      ev('res', '2018-06-13', { jurisdiction: 'EU', type: 'resolution' }),
      ev('susp', '2018-06-13', { jurisdiction: 'EU', type: 'cooperation-suspended', links: [{ relation: 'responds-to', to: 'res' }] }),
      ev('law', '2017-12-12'),
      ev('rule', '2019-01-01', {
        links: [
          { relation: 'implements', to: 'law' },
          { relation: 'responds-to', to: 'not-in-the-chart' },
        ],
      }),
    ];
    const view = layoutTimeline(one(events), options);
    expect(view.arrows.map((a) => [a.relation, a.fromId, a.toId])).toEqual([
      ['responds-to', 'susp', 'res'],
      ['implements', 'rule', 'law'],
    ]);
    expect(view.arrows[0].d).toMatch(/^M[\d.]+ [\d.]+ Q/);
    expect(view.legend.filter((l) => l.kind === 'relation').map((l) => l.label)).toEqual(['responds to', 'implements']);
  });

  it('colours marks by kind of act: measures in shades by strength, the vendor’s own acts apart', () => {
    const view = layoutTimeline(
      one([ev('ban', '2018-01-01'), ev('adv', '2018-03-01', { type: 'advisory' }), ev('st', '2018-05-01', { type: 'vendor-statement' })]),
      options,
    );
    const fill = (id: string) => view.marks.find((m) => m.eventId === id)!.fill;
    expect(fill('ban')).toBe(measureFill('banned'));
    expect(fill('adv')).toBe(measureFill('advised-against'));
    expect(new Set([fill('ban'), fill('adv'), fill('st')]).size).toBe(3);
    for (const m of view.marks) expect(view.legend.some((l) => l.kind === 'type' && l.fill === m.fill)).toBe(true);
  });

  it('orders the measures’ shades from the strongest (darkest) down', () => {
    const lightness = (hex: string) => parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16) + parseInt(hex.slice(5, 7), 16);
    const shades = MEASURES.map((m) => lightness(measureFill(m.measure)));
    expect([...shades].sort((a, b) => a - b)).toEqual(shades);
  });

  it('keeps 500 events legible: every event drawn once as a mark or counted in a cluster, no marks or labels overlap', () => {
    const events = manyEvents(500);
    const view = layoutTimeline(one(events), options);
    const drawn = view.marks.map((m) => m.eventId);
    const clustered = view.clusters.flatMap((c) => c.eventIds);
    expect(new Set([...drawn, ...clustered]).size).toBe(500);
    expect(drawn.length + clustered.length).toBe(500);
    expect(view.clusters.length).toBeGreaterThan(0);
    for (const c of view.clusters) expect(c.href).toMatch(/^\/zoom\?j=[A-Z]+&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    expect(overlaps(labelBoxes(view))).toEqual([]);
    // Marks of the same lane and row never cover each other.
    expect(overlaps(markBoxes(view))).toEqual([]);
    // A lane never grows past its rows and its cluster line.
    for (const lane of view.lanes)
      expect(lane.height).toBeLessThanOrEqual(LAYOUT.lanePad * 2 + LAYOUT.maxRows * LAYOUT.rowHeight + LAYOUT.clusterHeight);
    const svg = renderTimelineSvg(view);
    expect(svg.match(/<a href="\/events\//g)).toHaveLength(drawn.length);
  });

  it('groups lanes by vendor when vendors are compared, an event shared by two vendors drawn in each group', () => {
    const shared = ev('entity-list', '2021-11-03', { type: 'export-control' });
    const view = layoutTimeline(
      [
        {
          key: 'nso',
          label: 'NSO Group',
          events: [shared, ev('n2', '2021-11-03', { type: 'vendor-statement', links: [{ relation: 'responds-to', to: 'entity-list' }] })],
        },
        { key: 'pt', label: 'Positive Technologies', events: [shared] },
      ],
      options,
    );
    expect(view.groups.map((g) => g.label)).toEqual(['NSO Group', 'Positive Technologies']);
    expect(view.marks.filter((m) => m.eventId === 'entity-list').map((m) => m.groupKey)).toEqual(['nso', 'pt']);
    expect(view.arrows).toHaveLength(1);
    expect(overlaps(labelBoxes(view))).toEqual([]);
  });
});

describe('timeline SVG', () => {
  it('escapes hostile titles and ids, and keeps every mark a link with a native tooltip', () => {
    const hostile = '<script>alert(1)</script> & "quotes" \u0007';
    const view = layoutTimeline(one([ev('x"><script>', '2020-02-02', { title: hostile })]), options);
    const svg = renderTimelineSvg(view, { frame: { title: hostile, subtitle: 'drawn today', href: 'https://example.org/?a=1&b=<2>' } });
    // How the text is escaped is a matter of bytes, so these look at the markup itself.
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('\u0007');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(svg).toContain('href="https://example.org/?a=1&amp;b=&lt;2&gt;"');
    // Read back as XML, the mark is a link to the id as given, with a tooltip as its first child.
    const doc = parseSvg(svg);
    const mark = doc('a.mark');
    expect(mark).toHaveLength(1);
    expect(mark.attr('href')).toBe('/events/x"><script>');
    expect(mark.children().first().is('title')).toBe(true);
    expect(doc('[style]')).toHaveLength(0);
  });
});

describe('status map', () => {
  const atlas = worldAtlas();

  it('has a shape for most countries and a dot for the smallest', () => {
    expect(atlas.shapes.length).toBeGreaterThan(160);
    expect(atlas.shapes.some((s) => s.code === 'US')).toBe(true);
    expect(atlas.dots.has('SG')).toBe(true);
    expect(atlas.dots.has('MT')).toBe(true);
  });

  it('colours a country by its measure, hatches the EU members for an EU measure and lists INT beside the map', () => {
    const view = layoutStatusMap(atlas, {
      idPrefix: 'm',
      cells: [
        { code: 'US', name: 'United States', measure: 'banned', label: 'Banned', vendors: ['Kaspersky Lab'] },
        { code: 'EU', name: 'European Union', measure: 'ban-called-for', label: 'Ban called for', vendors: ['Kaspersky Lab'] },
        { code: 'INT', name: 'International', measure: 'advised-against', label: 'Advised against', vendors: ['X'] },
        { code: 'MT', name: 'Malta', measure: 'advised-against', label: 'Advised against', vendors: ['X'] },
      ],
      euMembers: euMembersOn('2018-06-30'),
      measures: MEASURES,
      href: (c) => `/jurisdictions/${c}`,
    });
    const country = (code: string) => view.countries.find((c) => c.code === code)!;
    expect(country('US').fill).toBe(measureFill('banned'));
    expect(country('FR').fill).toBe(NO_MEASURE_FILL);
    expect(country('FR').eu).toBe(true);
    // Before Brexit the United Kingdom is hatched with the other members.
    expect(country('GB').eu).toBe(true);
    expect(view.dots.find((d) => d.code === 'MT')?.fill).toBe(measureFill('advised-against'));
    expect(view.unplaced.map((c) => c.code)).toEqual(['INT']);
    expect(view.legend.find((l) => l.key === 'eu')).toMatchObject({ hatch: true, fill: measureFill('ban-called-for') });
    const svg = renderStatusMapSvg(view, { hrefFor: (c) => `/jurisdictions/${c}` });
    const doc = parseSvg(svg);
    const us = doc('a[href="/jurisdictions/US"]');
    expect(us).toHaveLength(1);
    expect(us.attr('class')).toBe('country');
    expect(us.attr('data-code')).toBe('US');
    expect(us.children().first().is('title')).toBe(true);
    expect(us.children('title').text()).toBe('United States: Banned (Kaspersky Lab)');
    expect(doc('[fill="url(#m-eu)"]').length).toBeGreaterThan(0);
    expect(doc('[href="/jurisdictions/FR"]')).toHaveLength(0);
  });

  it('knows who was in the EU on the day', () => {
    expect(euMembersOn('2020-01-31').has('GB')).toBe(true);
    expect(euMembersOn('2020-02-01').has('GB')).toBe(false);
    expect(euMembersOn('2013-06-30').has('HR')).toBe(false);
    expect(euMembersOn('2024-01-01').size).toBe(27);
  });
});
