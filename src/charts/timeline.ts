/**
 * The timeline chart as geometry: events in, a view model out (lanes, marks, labels,
 * clusters, arrows, legend), ready for `renderTimelineSvg`. Pure: no database, no I/O.
 *
 * One lane per jurisdiction (grouped by vendor when several are compared). In a lane,
 * events go on the first row where they fit, with a caption under the mark when there is
 * room; when a lane has no row left, events gather into a "+N" cluster that links to a
 * zoomed view. So marks never cover each other and labels never overlap, with 1 event or 500.
 */
import { formatPartialDate as formatPartialDateOnce, type PartialDate, parsePartialDate as parsePartialDateOnce } from '../lib/partialDate';
import { remembered } from '../lib/remembered';
import { kindStyle } from './palette';
import { fitText, textWidth } from './text';
import { dayNumber, isoOfDay, type Tick, timeScale, yearCeil, yearFloor } from './timeScale';

export interface ChartEvent {
  /** Public id: the mark links to the event's page. */
  id: string;
  title: string;
  type: string;
  jurisdiction: string;
  occurredOn: string;
  effectiveOn: string | null;
  /** Relations this event states about others ("responds-to" event `to`). */
  links: ReadonlyArray<{ relation: string; to: string }>;
  /** The lane to draw it in, when not its jurisdiction's (e.g. the acting body's). */
  lane?: { key: string; name: string };
}

export interface ChartGroup {
  key: string;
  /** Heading of the group's lanes; empty for a single-vendor chart. */
  label: string;
  events: readonly ChartEvent[];
}

export interface TimelineOptions {
  /** Prefix for ids inside the SVG, unique on the page. */
  idPrefix: string;
  /** Zoom: the axis runs from the first day of `from` to the last day of `to` (partial dates). */
  from?: string | null;
  to?: string | null;
  eventHref(id: string): string;
  /** Where a cluster of events leads: a view zoomed to them, or null for none. */
  zoomHref?(groupKey: string, jurisdiction: string, from: string, to: string): string | null;
  laneLabel(code: string): string;
  typeLabel(type: string): string;
  /** Minimum width of the time axis in pixels. */
  minAxisWidth?: number;
  /** Rows a lane may use before events gather into clusters. */
  maxRows?: number;
}

export const LAYOUT = {
  /** The lane-name column grows with the longest name, within these bounds. */
  minGutter: 112,
  maxGutter: 236,
  right: 18,
  axisHeight: 26,
  monthAxisHeight: 40,
  groupHeight: 28,
  rowHeight: 32,
  lanePad: 6,
  clusterHeight: 22,
  markRadius: 6,
  spanHeight: 12,
  minSpanWidth: 6,
  gap: 5,
  labelFont: 11,
  laneFont: 12,
  axisFont: 11,
  maxLabelWidth: 300,
  clusterBin: 34,
  /** The chart's width when the period needs no more: fits a desktop page without scrolling. */
  targetWidth: 1174,
  maxRows: 4,
} as const;

export interface MarkView {
  eventId: string;
  groupKey: string;
  href: string;
  /** The native tooltip: date, kind, jurisdiction, title. */
  tooltip: string;
  type: string;
  kindLabel: string;
  fill: string;
  shape: 'point' | 'span';
  /** Point: centre. Span: left edge. */
  x: number;
  y: number;
  width: number;
  /** From the end of the mark to the day the measure takes force. */
  effective: { x1: number; x2: number } | null;
  label: { x: number; y: number; text: string; width: number } | null;
  /** Where arrows attach. */
  anchor: { x: number; y: number; r: number };
}

export interface ClusterView {
  groupKey: string;
  jurisdiction: string;
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  text: string;
  textWidth: number;
  href: string | null;
  tooltip: string;
  eventIds: string[];
}

export interface ArrowView {
  relation: string;
  fromId: string;
  toId: string;
  d: string;
  tooltip: string;
}

export interface LaneView {
  groupKey: string;
  code: string;
  name: string;
  label: string;
  labelWidth: number;
  y: number;
  height: number;
  shaded: boolean;
}

export interface GroupView {
  key: string;
  label: string;
  labelWidth: number;
  y: number;
}

export interface LegendEntry {
  key: string;
  label: string;
  kind: 'type' | 'point' | 'span' | 'effective' | 'relation' | 'cluster';
  fill?: string;
  dash?: string;
}

export interface TimelineView {
  idPrefix: string;
  width: number;
  height: number;
  axis: { y: number; height: number; ticks: Tick[]; yearTicks: Tick[]; top: number; bottom: number; left: number; right: number };
  groups: GroupView[];
  lanes: LaneView[];
  marks: MarkView[];
  clusters: ClusterView[];
  arrows: ArrowView[];
  legend: LegendEntry[];
  /** One or two sentences saying what the chart shows: the text alternative's lead. */
  summary: string;
  eventCount: number;
  period: { from: string; to: string };
}

export const RELATION_DASH: Record<string, string> = {
  'responds-to': '',
  implements: '7 4',
  supersedes: '2 3',
  reverses: '9 3 2 3',
};

// A chart parses and writes the same few dates for every event; parsed dates are read-only.
const parsePartialDate = remembered(parsePartialDateOnce);
const formatPartialDate = remembered(formatPartialDateOnce);

interface Placed {
  event: ChartEvent;
  occurred: PartialDate;
  effective: PartialDate | null;
}

function parseDates(event: ChartEvent): Placed | null {
  try {
    const occurred = parsePartialDate(event.occurredOn);
    const effective = event.effectiveOn ? parsePartialDate(event.effectiveOn) : null;
    return { event, occurred, effective };
  } catch {
    // A stored date that no longer parses is left out of the picture rather than breaking the page.
    return null;
  }
}

function domainOf(placed: readonly Placed[], options: TimelineOptions): { start: number; end: number } {
  const fromDate = options.from ? parsePartialDate(options.from) : null;
  const toDate = options.to ? parsePartialDate(options.to) : null;
  const starts = placed.map((p) => dayNumber(p.occurred.start));
  const ends = placed.map((p) => Math.max(dayNumber(p.occurred.end) + 1, p.effective ? dayNumber(p.effective.start) + 1 : 0));
  const today = dayNumber(new Date().toISOString().slice(0, 10));
  let start = fromDate ? dayNumber(fromDate.start) : yearFloor(starts.length ? Math.min(...starts) : today);
  let end = toDate ? dayNumber(toDate.end) + 1 : yearCeil(ends.length ? Math.max(...ends) : today + 1);
  if (!toDate && end <= start) end = yearCeil(start + 1);
  if (!fromDate && start >= end) start = yearFloor(end - 1);
  return { start, end };
}

function tooltipOf(p: Placed, options: TimelineOptions): string {
  const e = p.event;
  const when = formatPartialDate(e.occurredOn);
  const force = p.effective && e.effectiveOn !== e.occurredOn ? ` (in force from ${formatPartialDate(e.effectiveOn)})` : '';
  return `${when}${force} · ${options.typeLabel(e.type)} · ${options.laneLabel(e.jurisdiction)}: ${e.title}`;
}

interface Lane {
  code: string;
  name: string;
  items: Placed[];
}

function lanesOf(placed: readonly Placed[], options: TimelineOptions): Lane[] {
  const byCode = new Map<string, Lane>();
  for (const p of placed) {
    const code = p.event.lane?.key ?? p.event.jurisdiction;
    const lane = byCode.get(code) ?? { code, name: p.event.lane?.name ?? options.laneLabel(code), items: [] };
    lane.items.push(p);
    byCode.set(code, lane);
  }
  const lanes = [...byCode.values()];
  for (const lane of lanes)
    lane.items.sort((a, b) => (a.occurred.start < b.occurred.start ? -1 : a.occurred.start > b.occurred.start ? 1 : 0));
  // Lanes in the order their story starts, so the picture reads top-left to bottom-right.
  return lanes.sort((a, b) =>
    a.items[0].occurred.start < b.items[0].occurred.start
      ? -1
      : a.items[0].occurred.start > b.items[0].occurred.start
        ? 1
        : a.name.localeCompare(b.name),
  );
}

export function layoutTimeline(groups: readonly ChartGroup[], options: TimelineOptions): TimelineView {
  const L = LAYOUT;
  const maxRows = options.maxRows ?? L.maxRows;
  const parsed = groups.map((g) => ({ group: g, placed: g.events.map(parseDates).filter((p): p is Placed => p !== null) }));
  const allPlaced = parsed.flatMap((g) => g.placed);
  const domain = domainOf(allPlaced, options);
  const laneSets = parsed.map(({ group, placed }) => ({ group, lanes: lanesOf(placed, options) }));
  const longestName = Math.max(0, ...laneSets.flatMap((s) => s.lanes.map((l) => textWidth(l.name, L.laneFont))));
  const gutter = Math.round(Math.min(L.maxGutter, Math.max(L.minGutter, longestName + 22)));
  const scale = timeScale(domain.start, domain.end, gutter, options.minAxisWidth ?? L.targetWidth - gutter - L.right);
  const right = scale.left + scale.width;
  const width = right + L.right;
  const axisHeight = scale.unit === 'month' ? L.monthAxisHeight : L.axisHeight;

  const marks: MarkView[] = [];
  const clusters: ClusterView[] = [];
  const groupViews: GroupView[] = [];
  const laneViews: LaneView[] = [];
  const anchors = new Map<string, { x: number; y: number; r: number }>();
  let y = axisHeight;
  let laneIndex = 0;

  for (const { group, lanes } of laneSets) {
    if (group.label) {
      const groupLabel = fitText(group.label, width - 16, 14);
      groupViews.push({ key: group.key, label: groupLabel, labelWidth: textWidth(groupLabel, 14), y });
      y += L.groupHeight;
    }
    for (const lane of lanes) {
      const laneTop = y;
      const rowMarkEnd: number[] = [];
      const rowLabelEnd: number[] = [];
      const overflow = new Map<number, Placed[]>();
      const laneMarks: Array<{ mark: MarkView; row: number }> = [];

      for (const p of lane.items) {
        const style = kindStyle(p.event.type);
        const startDay = dayNumber(p.occurred.start);
        const endDay = dayNumber(p.occurred.end) + 1;
        const isPoint = p.occurred.precision === 'day';
        let x0: number;
        let x1: number;
        if (isPoint) {
          const cx = scale.x(startDay + 0.5);
          x0 = cx - L.markRadius;
          x1 = cx + L.markRadius;
        } else {
          x0 = scale.x(startDay);
          x1 = Math.max(scale.x(endDay), x0 + L.minSpanWidth);
        }
        let effective: { x1: number; x2: number } | null = null;
        if (p.effective && p.effective.start > p.occurred.end) {
          const ex = scale.x(dayNumber(p.effective.start));
          if (ex > x1 + 1) effective = { x1, x2: ex };
        }
        const markEnd = effective ? effective.x2 + 2 : x1;

        let row = -1;
        let withLabel = false;
        for (let r = 0; r < maxRows; r++) {
          if ((rowMarkEnd[r] ?? -Infinity) + L.gap <= x0 && (rowLabelEnd[r] ?? -Infinity) + L.gap <= x0) {
            row = r;
            withLabel = true;
            break;
          }
        }
        if (row < 0) {
          for (let r = 0; r < maxRows; r++) {
            if ((rowMarkEnd[r] ?? -Infinity) + L.gap <= x0) {
              row = r;
              break;
            }
          }
        }
        if (row < 0) {
          const bin = Math.floor((x0 - scale.left) / L.clusterBin);
          overflow.set(bin, [...(overflow.get(bin) ?? []), p]);
          continue;
        }
        rowMarkEnd[row] = markEnd;
        let label: MarkView['label'] = null;
        if (withLabel) {
          label = placeLabel(p.event.title, x0, Math.max(x1, markEnd), rowLabelEnd[row] ?? -Infinity, scale.left, right);
          if (label) rowLabelEnd[row] = label.x + label.width;
        }
        const mark: MarkView = {
          eventId: p.event.id,
          groupKey: group.key,
          href: options.eventHref(p.event.id),
          tooltip: tooltipOf(p, options),
          type: p.event.type,
          kindLabel: style.label,
          fill: style.fill,
          shape: isPoint ? 'point' : 'span',
          x: isPoint ? x0 + L.markRadius : x0,
          y: 0,
          width: isPoint ? L.markRadius * 2 : x1 - x0,
          effective,
          label,
          anchor: { x: 0, y: 0, r: 0 },
        };
        laneMarks.push({ mark, row });
      }

      const rows = Math.max(1, rowMarkEnd.length);
      const rowsTop = laneTop + L.lanePad;
      for (const { mark, row } of laneMarks) {
        const cy = rowsTop + row * L.rowHeight + 10;
        mark.y = cy;
        if (mark.label) mark.label.y = cy + 19;
        const ax = mark.shape === 'point' ? mark.x : mark.x + Math.min(mark.width, 16) / 2;
        mark.anchor = { x: ax, y: cy, r: mark.shape === 'point' ? L.markRadius : L.spanHeight / 2 };
        anchors.set(`${group.key}|${mark.eventId}`, mark.anchor);
        marks.push(mark);
      }
      let laneHeight = L.lanePad * 2 + rows * L.rowHeight;
      if (overflow.size) {
        const cy = laneTop + laneHeight - L.lanePad + 2;
        for (const [bin, items] of [...overflow.entries()].sort((a, b) => a[0] - b[0])) {
          const starts = items.map((i) => i.occurred.start).sort();
          const from = starts[0];
          const to = starts[starts.length - 1];
          const text = `+${items.length}`;
          const cluster: ClusterView = {
            groupKey: group.key,
            jurisdiction: lane.code,
            x: scale.left + bin * L.clusterBin + 2,
            y: cy,
            width: L.clusterBin - 4,
            height: 16,
            count: items.length,
            text,
            textWidth: textWidth(text, 10),
            href: options.zoomHref ? options.zoomHref(group.key, lane.code, from, to) : null,
            tooltip: `${items.length} more event${items.length === 1 ? '' : 's'} in ${lane.name}, ${formatPartialDate(from)}${from === to ? '' : ` to ${formatPartialDate(to)}`}${options.zoomHref ? ': zoom in to see each' : ''}`,
            eventIds: items.map((i) => i.event.id),
          };
          clusters.push(cluster);
          for (const i of items) anchors.set(`${group.key}|${i.event.id}`, { x: cluster.x + cluster.width / 2, y: cy + 8, r: 9 });
        }
        laneHeight += L.clusterHeight;
      }
      const name = lane.name;
      const label = fitText(name, gutter - 16, L.laneFont, 3) || lane.code;
      laneViews.push({
        groupKey: group.key,
        code: lane.code,
        name,
        label,
        labelWidth: textWidth(label, L.laneFont),
        y: laneTop,
        height: laneHeight,
        shaded: laneIndex % 2 === 0,
      });
      laneIndex++;
      y += laneHeight;
    }
  }

  const arrows: ArrowView[] = [];
  const titles = new Map(allPlaced.map((p) => [p.event.id, p.event.title]));
  for (const { group, placed } of parsed) {
    for (const p of placed) {
      for (const link of p.event.links) {
        const head = anchors.get(`${group.key}|${p.event.id}`);
        const tail = anchors.get(`${group.key}|${link.to}`);
        if (!head || !tail) continue;
        const d = curve(tail, head);
        if (!d) continue;
        arrows.push({
          relation: link.relation,
          fromId: p.event.id,
          toId: link.to,
          d,
          tooltip: `${p.event.title} (${link.relation.replace(/-/g, ' ')}) ${titles.get(link.to) ?? ''}`.trim(),
        });
      }
    }
  }

  const height = Math.max(y, axisHeight + L.rowHeight) + 4;
  const periodFrom = isoOfDay(scale.startDay);
  const periodTo = isoOfDay(scale.endDay - 1);
  return {
    idPrefix: options.idPrefix,
    width,
    height,
    axis: {
      y: 0,
      height: axisHeight,
      ticks: scale.ticks,
      yearTicks: scale.yearTicks,
      top: axisHeight,
      bottom: height - 4,
      left: scale.left,
      right,
    },
    groups: groupViews,
    lanes: laneViews,
    marks,
    clusters,
    arrows,
    legend: legendOf(marks, clusters, arrows, allPlaced),
    summary: summaryOf(allPlaced, periodFrom, periodTo, clusters, options),
    eventCount: allPlaced.length,
    period: { from: periodFrom, to: periodTo },
  };
}

/**
 * A caption under a mark: to the right of its start, or, near the end of the axis where
 * that would cut it, ending under the mark instead, whichever shows more of the title.
 * Never starts before `free` (where the row's previous caption ends) or the axis.
 */
function placeLabel(title: string, x0: number, markEnd: number, free: number, left: number, right: number): MarkView['label'] {
  const L = LAYOUT;
  const start = Math.max(x0, left);
  const rightText = fitText(title, Math.min(L.maxLabelWidth, right - start), L.labelFont);
  const full = fitText(title, L.maxLabelWidth, L.labelFont);
  let best = rightText ? { x: start, text: rightText } : null;
  if (rightText !== full) {
    const end = Math.min(right, Math.max(markEnd, x0 + 2 * L.markRadius));
    const from = Math.max(free + L.gap, left, end - L.maxLabelWidth);
    const leftText = fitText(title, end - from, L.labelFont);
    if (leftText.length > (best?.text.length ?? 0)) best = { x: end - textWidth(leftText, L.labelFont), text: leftText };
  }
  return best ? { x: best.x, y: 0, text: best.text, width: textWidth(best.text, L.labelFont) } : null;
}

/** A curve from the earlier event (tail) to the one that states the relation (head). */
function curve(tail: { x: number; y: number; r: number }, head: { x: number; y: number; r: number }): string | null {
  const dx = head.x - tail.x;
  const dy = head.y - tail.y;
  const dist = Math.hypot(dx, dy);
  if (dist < tail.r + head.r + 4) return null;
  const ux = dx / dist;
  const uy = dy / dist;
  let px = uy;
  let py = -ux;
  // Bend upwards; a near-vertical arrow (a same-day response) bends left, away from the captions.
  if (py > 0.3 || (Math.abs(py) <= 0.3 && px > 0)) {
    px = -px;
    py = -py;
  }
  const bend = Math.min(70, Math.max(26, dist * 0.3));
  const sx = tail.x + ux * (tail.r + 2);
  const sy = tail.y + uy * (tail.r + 2);
  const ex = head.x - ux * (head.r + 3);
  const ey = head.y - uy * (head.r + 3);
  const cx = (sx + ex) / 2 + px * bend;
  const cy = (sy + ey) / 2 + py * bend;
  const f = (v: number) => String(Math.round(v * 10) / 10);
  return `M${f(sx)} ${f(sy)} Q${f(cx)} ${f(cy)} ${f(ex)} ${f(ey)}`;
}

function legendOf(
  marks: readonly MarkView[],
  clusters: readonly ClusterView[],
  arrows: readonly ArrowView[],
  placed: readonly Placed[],
): LegendEntry[] {
  const types = [...new Set(placed.map((p) => p.event.type))].map(kindStyle).sort((a, b) => a.order - b.order);
  const out: LegendEntry[] = types.map((t) => ({ key: `type:${t.type}`, label: t.label, kind: 'type', fill: t.fill }));
  if (marks.some((m) => m.shape === 'point')) out.push({ key: 'shape:point', label: 'known to the day', kind: 'point' });
  if (marks.some((m) => m.shape === 'span')) out.push({ key: 'shape:span', label: 'known to the month or year (spans it)', kind: 'span' });
  if (marks.some((m) => m.effective)) out.push({ key: 'effective', label: 'until it takes force', kind: 'effective' });
  for (const relation of Object.keys(RELATION_DASH)) {
    if (arrows.some((a) => a.relation === relation))
      out.push({ key: `relation:${relation}`, label: relation.replace(/-/g, ' '), kind: 'relation', dash: RELATION_DASH[relation] });
  }
  if (clusters.length) out.push({ key: 'cluster', label: 'more events here: zoom in', kind: 'cluster' });
  return out;
}

function summaryOf(
  placed: readonly Placed[],
  from: string,
  to: string,
  clusters: readonly ClusterView[],
  options: TimelineOptions,
): string {
  if (!placed.length) return 'No events to draw for this period.';
  const years = from.slice(0, 4) === to.slice(0, 4) ? from.slice(0, 4) : `${from.slice(0, 4)} to ${to.slice(0, 4)}`;
  const codes = [...new Set(placed.map((p) => p.event.jurisdiction))];
  const counts = codes
    .map((code) => ({ code, count: placed.filter((p) => p.event.jurisdiction === code).length }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 6)
    .map((c) => `${options.laneLabel(c.code)} ${c.count}`);
  const hidden = clusters.reduce((sum, c) => sum + c.count, 0);
  return `${placed.length} event${placed.length === 1 ? '' : 's'}, ${years}, in ${codes.length} jurisdiction${codes.length === 1 ? '' : 's'} (${counts.join(', ')}${codes.length > 6 ? ', …' : ''}).${hidden ? ` ${hidden} of them are gathered in clusters that link to a closer view.` : ''}`;
}
