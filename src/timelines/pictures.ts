/**
 * The timeline chart of a vendor's page and of its embed share one recipe, so the picture
 * in an article is the one on the page.
 */
import { describeFilters, type TimelineQuery, timelineQueryString } from '../events/filters';
import type { EventDetail } from '../events/repo';
import { singleGroup, type TimelineChart, timelineChart } from '../charts/timelineChart';
import type { Vendor } from '../vendors/repo';
import { drawnOn } from '../http/embed';

export function vendorPath(vendor: Pick<Vendor, 'slug'>): string {
  return `/vendors/${encodeURIComponent(vendor.slug)}`;
}

/**
 * The chart of a (filtered) vendor timeline. `base` is '' on the page and the site's
 * address in an embed, where a frame adds the title, the date and the link back.
 */
export function vendorTimelineChart(
  vendor: Vendor,
  events: readonly EventDetail[],
  values: TimelineQuery,
  options: { base?: string; framed?: boolean } = {},
): TimelineChart {
  const base = options.base ?? '';
  const path = vendorPath(vendor);
  const filters = describeFilters(values);
  return timelineChart(singleGroup(events), {
    idPrefix: 'tl',
    from: values.from,
    to: values.to,
    base,
    zoomHref: (_group, jurisdiction, from, to) => `${base}${path}${timelineQueryString({ ...values, jurisdiction, from, to })}`,
    frame: options.framed
      ? {
          title: `${vendor.name}: ${events.length} event${events.length === 1 ? '' : 's'}`,
          subtitle: `${filters.length ? `${filters.join('; ')} · ` : ''}Vendor Policy Tracker, drawn ${drawnOn()}`,
          href: `${base}${path}${timelineQueryString(values)}`,
        }
      : undefined,
  });
}
