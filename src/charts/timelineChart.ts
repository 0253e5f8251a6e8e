/**
 * From events as the pages load them to what the chart partial shows: the SVG, the legend
 * (with its swatches) and the text alternative. Pure: the routes pass the events in.
 */
import type { EventDetail } from '../events/repo';
import { eventTypeLabel } from '../events/taxonomy';
import { jurisdictionName as jurisdictionNameOnce } from '../lib/jurisdiction';
import { remembered } from '../lib/remembered';
import { type Frame, legendSwatch, renderTimelineSvg } from './renderTimeline';
import { attrs } from './svg';
import { type ChartEvent, type ChartGroup, layoutTimeline, type LegendEntry, type TimelineView } from './timeline';

// Every mark's tooltip names its jurisdiction (Intl.DisplayNames, not cheap); a chart has a few.
const jurisdictionName = remembered(jurisdictionNameOnce);

export function chartEventOf(e: EventDetail): ChartEvent {
  return {
    id: e.publicId,
    title: e.title,
    type: e.type,
    jurisdiction: e.jurisdiction,
    occurredOn: e.occurredOn,
    effectiveOn: e.effectiveOn,
    links: e.linksOut.map((l) => ({ relation: l.relation, to: l.event.publicId })),
  };
}

export interface ChartLegendItem {
  key: string;
  label: string;
  fill: string | null;
  /** A small inline SVG drawing the swatch. */
  swatch: string;
}

/** What views/partials/chart-timeline.ejs needs. */
export interface TimelineChart {
  id: string;
  svg: string;
  legend: ChartLegendItem[];
  summary: string;
  eventCount: number;
  view: TimelineView;
}

export interface TimelineChartOptions {
  idPrefix: string;
  from?: string;
  to?: string;
  /** Prepended to every link (the site's address, for embeds); empty for pages. */
  base?: string;
  /** A cluster's link: the page to zoom in on, given the group key, the jurisdiction and the period. */
  zoomHref?(groupKey: string, jurisdiction: string, from: string, to: string): string | null;
  frame?: Frame;
}

function legendItem(e: LegendEntry, idPrefix: string): ChartLegendItem {
  const swatch = `<svg${attrs({ width: 20, height: 16, viewBox: '0 0 20 16', 'aria-hidden': 'true', focusable: 'false', class: 'swatch' })}>${legendSwatch(e, 0, 0, idPrefix)}</svg>`;
  return { key: e.key, label: e.label, fill: e.fill ?? null, swatch };
}

export function timelineChart(groups: readonly ChartGroup[], options: TimelineChartOptions): TimelineChart {
  const base = options.base ?? '';
  const view = layoutTimeline(groups, {
    idPrefix: options.idPrefix,
    from: options.from || null,
    to: options.to || null,
    eventHref: (id) => `${base}/events/${encodeURIComponent(id)}`,
    zoomHref: options.zoomHref,
    laneLabel: jurisdictionName,
    typeLabel: eventTypeLabel,
  });
  return {
    id: options.idPrefix,
    svg: renderTimelineSvg(view, { frame: options.frame }),
    legend: view.legend.map((e) => legendItem(e, options.idPrefix)),
    summary: view.summary,
    eventCount: view.eventCount,
    view,
  };
}

/** One vendor's (or one list's) events as a single group of jurisdiction lanes. */
export function singleGroup(events: readonly EventDetail[]): ChartGroup[] {
  return [{ key: '', label: '', events: events.map(chartEventOf) }];
}
