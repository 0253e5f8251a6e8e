import type { Db } from '../db/knex';
import { parseTimelineQuery, type TimelineQuery } from '../events/filters';
import { type EventDetail, type EventFilter, findEventRows, hydrateEvents } from '../events/repo';
import { singleParam } from '../lib/errors';
import { decodeEventCursor, encodeEventCursor } from '../events/cursor';
import { whileUnchanged } from '../status/memo';
import { jurisdictionsOn, type StatusMap, statusMapOf } from '../status/map';
import { countKeyFigures, findVendorsByLatestActivity, type KeyFigures, type VendorActivity } from './repo';

export const EVENTS_PAGE_SIZE = 200;

export interface EventsPage {
  values: TimelineQuery;
  filter: EventFilter;
  events: EventDetail[];
  /** Key of the next page (`after`), or null on the last page. */
  next: string | null;
  after: string;
}

/** /events: every vendor's events with the timeline filters, a page at a time by key. */
export async function listEventsPage(db: Db, query: Record<string, unknown>): Promise<EventsPage> {
  const { values, filter } = await parseTimelineQuery(db, query, { allowVendor: true });
  const after = singleParam(query, 'after');
  const rows = await findEventRows(db, filter, EVENTS_PAGE_SIZE + 1, decodeEventCursor(after));
  const shown = rows.slice(0, EVENTS_PAGE_SIZE);
  const last = shown[shown.length - 1];
  return {
    values,
    filter,
    events: await hydrateEvents(db, shown),
    next: rows.length > EVENTS_PAGE_SIZE && last ? encodeEventCursor(last) : null,
    after,
  };
}

export interface HomeOverview {
  figures: KeyFigures & { jurisdictionsWithMeasures: number };
  recent: VendorActivity[];
}

const RECENT_VENDORS = 10;

/** The start page's picture of today: the status map, key figures, vendors by latest activity. */
export async function homeOverview(db: Db, today: string): Promise<HomeOverview & { map: StatusMap; asOf: string }> {
  const [figures, recent, jurisdictions] = await Promise.all([
    whileUnchanged(db, 'key-figures', () => countKeyFigures(db)),
    findVendorsByLatestActivity(db, RECENT_VENDORS),
    jurisdictionsOn(db, today),
  ]);
  return {
    figures: { ...figures, jurisdictionsWithMeasures: jurisdictions.length },
    recent,
    map: statusMapOf(jurisdictions, today),
    asOf: today,
  };
}
