import type { Db } from '../db/knex';
import { NotFound } from '../http/errors';
import {
  type EventCursor,
  type EventDetail,
  type EventFilter,
  findEventRowByPublicId,
  findEventRows,
  findLatestEventRows,
  hydrateEvents,
} from './repo';

/** How many events a page of the timeline shows at most; the CSV export has no such limit. */
export const TIMELINE_PAGE_LIMIT = 1000;

export async function listTimeline(db: Db, filter: EventFilter, limit = TIMELINE_PAGE_LIMIT): Promise<EventDetail[]> {
  return hydrateEvents(db, await findEventRows(db, filter, limit));
}

/**
 * Yields every matching event, a page at a time, reading by key so memory stays
 * flat however many rows match (knex's `.stream()` buffers the whole result on sqlite3).
 */
export async function* iterateEvents(db: Db, filter: EventFilter, pageSize = 200): AsyncGenerator<EventDetail> {
  let cursor: EventCursor | undefined;
  for (;;) {
    const rows = await findEventRows(db, filter, pageSize, cursor);
    if (rows.length === 0) return;
    for (const event of await hydrateEvents(db, rows)) yield event;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    cursor = { occurredStart: last.occurred_start, id: last.id };
  }
}

export async function getEvent(db: Db, publicId: string): Promise<EventDetail> {
  const row = await findEventRowByPublicId(db, publicId);
  if (!row) throw new NotFound(`No event has the id "${publicId}".`);
  const [event] = await hydrateEvents(db, [row]);
  return event;
}

export async function listLatestEvents(db: Db, limit: number): Promise<EventDetail[]> {
  return hydrateEvents(db, await findLatestEventRows(db, limit));
}

export interface YearGroup {
  year: string;
  events: EventDetail[];
}

/** Splits a timeline (already in order) into runs of the same year. */
export function groupByYear(events: readonly EventDetail[]): YearGroup[] {
  const groups: YearGroup[] = [];
  for (const event of events) {
    const year = event.occurredOn.slice(0, 4);
    const last = groups[groups.length - 1];
    if (last && last.year === year) last.events.push(event);
    else groups.push({ year, events: [event] });
  }
  return groups;
}
